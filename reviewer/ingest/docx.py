"""Read a Word (.docx/.docm) file into blocks in reading order.

The zip is checked (size, ratio, encryption, DOCTYPE) before python-docx parses anything. python-docx loads
the package and the XML trees; the text itself is extracted here with lxml, because ``paragraph.text`` misses
tracked insertions and Word's automatic numbering, which this module rebuilds from ``word/numbering.xml``.
Headers, footers, footnotes, endnotes and comments live in other parts and are never read into blocks.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.styles import BabelFish
from lxml import etree

from reviewer.errors import ReviewerError
from reviewer.model import Block

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.opc.part import Part

# Limits checked on the zip directory before anything is decompressed. Module constants so tests can lower them.
MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
RATIO_MIN_BYTES = 1024 * 1024  # small parts (styles, settings) legitimately compress very well

_SCAN_CHUNK = 64 * 1024
_DOCTYPE_PATTERNS = tuple("<!doctype".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be"))
_SCAN_OVERLAP = max(len(p) for p in _DOCTYPE_PATTERNS) - 1
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_STRICT_NS = b"purl.oclc.org/ooxml/wordprocessingml/main"

_CT_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CT_MACRO_DOCUMENT = "application/vnd.ms-word.document.macroEnabled.main+xml"
_CT_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_CT_MACRO_TEMPLATE = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_APP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

P, TBL, TR, TC, SDT, SDT_CONTENT = (_W + t for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
PPR, RPR, TRPR, R, T = (_W + t for t in ("pPr", "rPr", "trPr", "r", "t"))
INS, DEL, MOVE_TO, MOVE_FROM = (_W + t for t in ("ins", "del", "moveTo", "moveFrom"))
CUSTOM_XML, SMART_TAG, HYPERLINK, FLD_SIMPLE = (_W + t for t in ("customXml", "smartTag", "hyperlink", "fldSimple"))
TAB, PTAB, BR, CR, NB_HYPHEN, SYM = (_W + t for t in ("tab", "ptab", "br", "cr", "noBreakHyphen", "sym"))
LAST_RENDERED, DRAWING, PICT, TXBX = (_W + t for t in ("lastRenderedPageBreak", "drawing", "pict", "txbxContent"))
RUBY, RUBY_BASE, ALT_CHUNK = (_W + t for t in ("ruby", "rubyBase", "altChunk"))
MC_ALT, MC_CHOICE, MC_FALLBACK = (_MC + t for t in ("AlternateContent", "Choice", "Fallback"))
M_T, M_OMATH, M_OMATH_PARA = _M + "t", _M + "oMath", _M + "oMathPara"
PSTYLE, NUMPR, OUTLINE_LVL, JC, PAGE_BREAK_BEFORE = (
    _W + t for t in ("pStyle", "numPr", "outlineLvl", "jc", "pageBreakBefore"))
BOLD, RSTYLE = _W + "b", _W + "rStyle"
VAL, TYPE = _W + "val", _W + "type"

# Inline wrappers whose children are ordinary paragraph content.
_INLINE_WRAPPERS = frozenset({INS, MOVE_TO, CUSTOM_XML, SMART_TAG, HYPERLINK, FLD_SIMPLE, _W + "dir", _W + "bdo"})
# Block-level wrappers whose children are paragraphs and tables.
_BLOCK_WRAPPERS = frozenset({CUSTOM_XML, INS, MOVE_TO})

# Every part this module parses goes through this parser; each safety option is spelled out rather than left to
# lxml's defaults: entities are never substituted (no XXE, no billion laughs), no DTD is loaded, nothing is fetched
# over the network, and libxml2's limits on depth (256) and text node size stay on. python-docx's own parser
# (docx.oxml.parser.oxml_parser) sets resolve_entities=False and keeps the same defaults; tests pin both.
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

_TRACKED_NOTE = "tracked changes read as accepted (insertions in, deletions out)"
_MACRO_NOTE = "macro-enabled document (.docm): read as text; macros were not run or read"


def read_docx(data: bytes, path: str | Path) -> tuple[list[Block], int | None, list[str], list[str]]:
    """Read DOCX bytes into (blocks, pages, warnings, notes); raise ReviewerError for unsafe or broken files."""
    notes: list[str] = []
    warnings: list[str] = []
    zf, data, main_type = open_word_package(data, path)
    if main_type in (_CT_MACRO_DOCUMENT, _CT_MACRO_TEMPLATE):
        notes.append(_MACRO_NOTE)
    pages = _app_pages(zf)
    with zf.open("word/document.xml") as fh:
        if _STRICT_NS in fh.read(4096):
            raise ReviewerError(path, "Strict Open XML documents are not supported (save as a standard .docx)")
    part = _load(data, path).part
    # python-docx resolves the package graph; the parts are re-parsed here with plain lxml because walking
    # python-docx's custom element proxies is several times slower on large documents.
    root = _part_xml(zf, part)
    body = root.find(_W + "body") if root is not None else None
    if body is None:
        return [], pages, warnings, notes
    styles = _Styles(_part_xml(zf, _related(part, _RT_STYLES)))
    numbering = _Numbering(_part_xml(zf, _related(part, _RT_NUMBERING)), styles)
    if next(body.iter(INS, DEL, MOVE_FROM, MOVE_TO), None) is not None:
        notes.append(_TRACKED_NOTE)
    comments = _part_xml(zf, _related(part, _RT_COMMENTS))
    n_comments = 0 if comments is None else sum(1 for _ in comments.iterchildren(_W + "comment"))
    if n_comments:
        notes.append(f"{n_comments} Word comment{'s' if n_comments != 1 else ''} ignored")
    chunks = sum(1 for _ in body.iter(ALT_CHUNK))
    if chunks:
        warnings.append(f"{chunks} embedded document chunk{'s' if chunks != 1 else ''} (altChunk) not read")

    reader = _Reader(styles, numbering, body)
    reader.read_container(body)
    reader.flush()
    blocks = reader.blocks
    if not reader.pages_known and pages != 1:
        # Without rendered or explicit page breaks a page number would be a guess: leave it unknown.
        blocks = [replace(b, page=None) for b in blocks]
    return blocks, pages, warnings, notes


# --------------------------------------------------------------------------------------------------------------
# Package safety and loading


def open_word_package(data: bytes, path: str | Path) -> tuple[zipfile.ZipFile, bytes, str | None]:
    """The checked zip, bytes python-docx will open, and the main part's content type.

    Zip bombs, encrypted parts and DOCTYPE declarations are refused first; a .docm/.dotx/.dotm comes back as
    a plain-document copy without its macros (python-docx accepts only the plain document content type).
    """
    zf = _open_checked(data, path)
    main_type = _main_content_type(zf)
    if main_type in (_CT_MACRO_DOCUMENT, _CT_TEMPLATE, _CT_MACRO_TEMPLATE):
        data = _as_plain_docx(zf, main_type)
    elif main_type is not None and main_type != _CT_DOCUMENT:
        raise ReviewerError(path, f"not a Word document (word/document.xml is {main_type})")
    return zf, data, main_type


def _open_checked(data: bytes, path: str | Path) -> zipfile.ZipFile:
    """Open the zip and refuse it unless its directory and XML parts are safe to hand to an XML parser."""
    if data.startswith(_OLE_MAGIC):
        raise ReviewerError(path, "is a password-protected Word file or a legacy .doc file (save it as an "
                                  "unprotected .docx)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError, OSError):
        # NotImplementedError: a directory entry claiming a zip version Python cannot read (corruption, in practice)
        raise ReviewerError(path, "not a valid Word file (damaged zip)") from None
    if len(infos) > MAX_ENTRIES:
        raise ReviewerError(path, f"refused: DOCX has {len(infos)} parts (limit {MAX_ENTRIES}; zip bomb?)")
    # zipfile never returns more than an entry's declared file_size, so the declared sizes bound all reads below.
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise ReviewerError(path, f"refused: DOCX would expand to {_mb(total)} MB (zip bomb?)")
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReviewerError(path, f"refused: DOCX part {info.filename} is encrypted")
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ReviewerError(path, f"refused: DOCX part {info.filename} expands {ratio} times to "
                                      f"{_mb(info.file_size)} MB (zip bomb?)")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise ReviewerError(path, "not a Word document (no word/document.xml)")
    # Parts named as XML first ([Content_Types].xml among them), then any other part it declares as XML: python-docx
    # parses a part by its content type, whatever its name (a main document at word/main.dat, say).
    scanned = [info for info in infos if info.filename.lower().endswith(_XML_SUFFIXES)]
    for info in scanned:
        if _has_doctype(zf, info, path):
            raise ReviewerError(path, DOCTYPE_REFUSED)
    xml_named = {info.filename for info in scanned}
    xml_typed = _xml_typed_parts(zf)
    for info in infos:
        if info.filename not in xml_named and xml_typed(info.filename) and _has_doctype(zf, info, path):
            raise ReviewerError(path, DOCTYPE_REFUSED)
    return zf


DOCTYPE_REFUSED = "refused: DOCX contains a DOCTYPE declaration (possible XML entity attack)"


def _xml_typed_parts(zf: zipfile.ZipFile):
    """A test: does [Content_Types].xml declare this zip member as XML (other than an image, such as SVG)?"""
    try:
        root = etree.fromstring(zf.read("[Content_Types].xml"), _SAFE_PARSER)
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        return lambda name: False  # python-docx cannot load the package without it either
    defaults = {(d.get("Extension") or "").lower(): d.get("ContentType") or "" for d in root.iterchildren(_CT_NS + "Default")}
    overrides = {(o.get("PartName") or "").lstrip("/").lower(): o.get("ContentType") or ""
                 for o in root.iterchildren(_CT_NS + "Override")}

    def is_xml(name: str) -> bool:
        lowered = name.lower()
        kind = overrides.get(lowered) or defaults.get(lowered.rpartition(".")[2] if "." in lowered else "", "")
        kind = kind.split(";")[0].strip().lower()
        return not kind.startswith("image/") and (kind.endswith("+xml") or kind in ("application/xml", "text/xml"))

    return is_xml


def _mb(n: int) -> int:
    """Bytes to whole megabytes, rounded up so a refusal never says 0 MB."""
    return -(-n // (1024 * 1024))


def _has_doctype(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str | Path) -> bool:
    """Whether the part declares a DOCTYPE, read in chunks so a large part is never held twice."""
    tail = b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_SCAN_CHUNK):
                window = (tail + chunk).lower()
                if any(p in window for p in _DOCTYPE_PATTERNS):
                    return True
                tail = window[-_SCAN_OVERLAP:]
    except NotImplementedError:
        raise ReviewerError(path, "not a valid Word file (unsupported zip compression)") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise ReviewerError(path, "not a valid Word file (damaged zip)") from None
    return False


def _main_content_type(zf: zipfile.ZipFile) -> str | None:
    """The content type declared for /word/document.xml in [Content_Types].xml."""
    try:
        root = etree.fromstring(zf.read("[Content_Types].xml"), _SAFE_PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return None  # python-docx reports the missing or broken part
    for override in root.iterchildren(_CT_NS + "Override"):
        if (override.get("PartName") or "").lower() == "/word/document.xml":
            return override.get("ContentType")
    return None


def _as_plain_docx(zf: zipfile.ZipFile, main_type: str) -> bytes:
    """A copy of the package declaring a plain document, without the macro storage (never read)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in zf.infolist():
            name = info.filename
            if name.lower().endswith("vbaproject.bin"):
                continue
            blob = zf.read(info)
            if name == "[Content_Types].xml":
                blob = blob.replace(main_type.encode(), _CT_DOCUMENT.encode())
            elif name.endswith(".rels") and b"vbaProject" in blob:
                blob = _drop_vba_relationships(blob)
            dst.writestr(name, blob)
    return out.getvalue()


def _drop_vba_relationships(blob: bytes) -> bytes:
    """The .rels XML without relationships to the VBA project, whose part is left out of the copy."""
    root = etree.fromstring(blob, _SAFE_PARSER)
    for rel in list(root.iterchildren(_RELS_NS + "Relationship")):
        if (rel.get("Type") or "").endswith("/vbaProject") or (rel.get("Target") or "").endswith("vbaProject.bin"):
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _app_pages(zf: zipfile.ZipFile) -> int | None:
    """The page count Word saved in docProps/app.xml, if any."""
    try:
        root = etree.fromstring(zf.read("docProps/app.xml"), _SAFE_PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return None
    words = root.find(_APP_NS + "Words")
    if words is not None and (words.text or "").strip() == "0":
        return None  # statistics never computed (python-docx's template says 1 page, 0 words)
    el = root.find(_APP_NS + "Pages")
    try:
        pages = int((el.text or "").strip()) if el is not None else 0
    except ValueError:
        return None
    return pages if pages > 0 else None


def _load(data: bytes, path: str | Path) -> DocxDocument:
    """Parse the package with python-docx, turning its many failure modes into one line."""
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors, ... for broken parts
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        if "Excessive depth" in reason:  # libxml2's own limit; its advice (XML_PARSE_HUGE) is not the user's to take
            reason = "its XML is nested more than 256 levels deep"
        raise ReviewerError(path, f"not a valid Word file ({reason})") from None


def _related(part: Part, reltype: str) -> Part | None:
    """The part related to ``part`` by ``reltype``, or None (python-docx's own accessors create missing parts)."""
    try:
        return part.part_related_by(reltype)
    except (KeyError, ValueError):
        return None


def _part_xml(zf: zipfile.ZipFile, part: Part | None) -> etree._Element | None:
    """A part's XML parsed from the original zip (already checked for DOCTYPE), or None if absent or broken."""
    if part is None:
        return None
    try:
        blob = zf.read(str(part.partname).lstrip("/"))
    except KeyError:
        blob = part.blob  # a part name python-docx normalised differently from the zip entry
    try:
        return etree.fromstring(blob, _SAFE_PARSER)
    except etree.XMLSyntaxError:
        return None


# --------------------------------------------------------------------------------------------------------------
# Styles


def _on(el: etree._Element | None) -> bool | None:
    """An OOXML on/off property: None when absent, else its value (a bare element means on)."""
    if el is None:
        return None
    return el.get(VAL, "true").lower() not in ("0", "false", "off", "none")


def _int(el: etree._Element | None, attr: str = VAL) -> int | None:
    """An integer attribute, or None when absent or malformed."""
    if el is None:
        return None
    try:
        return int(el.get(attr, ""))
    except ValueError:
        return None


_HEADING_NAME = re.compile(r"^(?:heading|見出し)\s*([1-9])$", re.IGNORECASE)


@dataclass(frozen=True)
class _StyleInfo:
    """What a paragraph or character style contributes, resolved through its basedOn chain."""

    name: str = ""
    chain: tuple[str, ...] = ()  # this style's id, then its bases
    num_id: str | None = None
    ilvl: int | None = None
    heading: int = 0
    bold: bool = False
    centered: bool = False


class _Styles:
    """styles.xml, resolved lazily per style id."""

    def __init__(self, root: etree._Element | None):
        self._els: dict[str, etree._Element] = {}
        self._cache: dict[str | None, _StyleInfo] = {}
        self._char_bold: dict[str, bool | None] = {}
        self.default_paragraph: str | None = None
        if root is None:
            return
        for style in root.iterchildren(_W + "style"):
            sid = style.get(_W + "styleId")
            if sid is None:
                continue
            self._els.setdefault(sid, style)
            is_default = style.get(_W + "default", "").lower() in ("1", "true", "on")
            if is_default and style.get(TYPE, "paragraph") == "paragraph" and self.default_paragraph is None:
                self.default_paragraph = sid

    def element(self, sid: str) -> etree._Element | None:
        """The w:style element with this id."""
        return self._els.get(sid)

    def char_bold(self, sid: str) -> bool | None:
        """Bold set by a character style or its bases; None when they leave it alone."""
        if sid not in self._char_bold:
            value = None
            seen: list[str] = []
            current: str | None = sid
            while value is None and current in self._els and current not in seen and len(seen) < 32:
                seen.append(current)
                style = self._els[current]
                rpr = style.find(RPR)
                value = _on(rpr.find(BOLD)) if rpr is not None else None
                based = style.find(_W + "basedOn")
                current = based.get(VAL) if based is not None else None
            self._char_bold[sid] = value
        return self._char_bold[sid]

    def info(self, sid: str | None) -> _StyleInfo:
        """Resolved properties of a style (the default paragraph style for None or an unknown id)."""
        if sid not in self._els:
            sid = self.default_paragraph
        cached = self._cache.get(sid)
        if cached is None:
            cached = self._cache[sid] = self._resolve(sid)
        return cached

    def _resolve(self, sid: str | None) -> _StyleInfo:
        """Walk the basedOn chain once; the nearest style that sets a property wins."""
        chain: list[etree._Element] = []
        ids: list[str] = []
        while sid is not None and sid in self._els and sid not in ids and len(ids) < 32:
            ids.append(sid)
            chain.append(self._els[sid])
            based = self._els[sid].find(_W + "basedOn")
            sid = based.get(VAL) if based is not None else None
        if not chain:
            return _StyleInfo()
        name_el = chain[0].find(_W + "name")
        raw_name = name_el.get(VAL, "") if name_el is not None else ids[0]
        num_id = ilvl = None
        heading = None
        bold = centered = None
        for style in chain:
            ppr = style.find(PPR)
            if ppr is not None:
                numpr = ppr.find(_W + "numPr")
                if num_id is None and numpr is not None and numpr.find(_W + "numId") is not None:
                    num_id = numpr.find(_W + "numId").get(VAL)
                    ilvl = _int(numpr.find(_W + "ilvl"))
                if heading is None:
                    heading = _outline_heading(ppr.find(OUTLINE_LVL))
                jc = ppr.find(_W + "jc")
                if centered is None and jc is not None:
                    centered = jc.get(VAL) == "center"
            if heading is None:
                style_name = style.find(_W + "name")
                heading = _name_heading(style_name.get(VAL, "") if style_name is not None else "")
            rpr = style.find(RPR)
            if bold is None and rpr is not None:
                bold = _on(rpr.find(BOLD))
        return _StyleInfo(name=BabelFish.internal2ui(raw_name), chain=tuple(ids), num_id=num_id, ilvl=ilvl,
                          heading=heading or 0, bold=bool(bold), centered=bool(centered))


def _outline_heading(outline: etree._Element | None) -> int | None:
    """Heading level from a w:outlineLvl element (0-8 -> 1-9, 9 = body text -> 0); None when absent."""
    level = _int(outline)
    if level is None:
        return None
    return level + 1 if 0 <= level <= 8 else 0


def _name_heading(name: str) -> int | None:
    """Heading level implied by a built-in style name ("heading 2", "見出し 2", "Title")."""
    match = _HEADING_NAME.match(name.strip())
    if match:
        return int(match.group(1))
    return 1 if name.strip().lower() == "title" else None


# --------------------------------------------------------------------------------------------------------------
# Numbering


@dataclass(frozen=True)
class _Level:
    """One w:lvl of a numbering definition."""

    start: int = 0  # the spec's default when w:start is absent
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: None = after any higher level, 0 = never, n = after level n
    legal: bool = False
    pstyle: str | None = None
    pad: int = 0  # zero-padding width of a w14 custom format ("001, 002, ...")


@dataclass
class _Num:
    """One w:num: an instance of an abstract definition, with per-level overrides."""

    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


def _parse_level(lvl: etree._Element) -> _Level:
    """A w:lvl element as a _Level (one pass over its children)."""
    props: dict[str, etree._Element] = {}
    for child in lvl:
        if child.tag == MC_ALT:
            # Word 2010+ wraps a custom numFmt in AlternateContent, with a standard format as the Fallback.
            for branch in child:
                fmt_el = branch.find(_W + "numFmt")
                if fmt_el is not None:
                    props.setdefault(_W + "numFmt" if branch.tag == MC_CHOICE else "fallback", fmt_el)
        elif isinstance(child.tag, str):
            props.setdefault(child.tag, child)
    fmt, pad = _level_format(props.get(_W + "numFmt"), props.get("fallback"))
    text_el, pstyle = props.get(_W + "lvlText"), props.get(PSTYLE)
    start = _int(props.get(_W + "start"))
    return _Level(start=start if start is not None else 0, fmt=fmt,
                  text=text_el.get(VAL, "") if text_el is not None else "",
                  restart=_int(props.get(_W + "lvlRestart")), legal=bool(_on(props.get(_W + "isLgl"))),
                  pstyle=pstyle.get(VAL) if pstyle is not None else None, pad=pad)


def _level_format(fmt_el: etree._Element | None, fallback: etree._Element | None) -> tuple[str, int]:
    """A level's numFmt and zero-padding; a w14 custom format is decoded when it is zero-padded decimal."""
    if fmt_el is None:
        fmt_el, fallback = fallback, None
    if fmt_el is None:
        return "decimal", 0
    fmt = fmt_el.get(VAL, "decimal")
    if fmt == "custom":
        first = (fmt_el.get(_W + "format") or "").split(",")[0].strip()
        if re.fullmatch(r"0*1", first):
            return "decimal", len(first)
        return (fallback.get(VAL, "decimal") if fallback is not None else "decimal"), 0
    return fmt, 0


class _Numbering:
    """numbering.xml definitions plus the running counters that turn numPr into labels."""

    def __init__(self, root: etree._Element | None, styles: _Styles):
        self._styles = styles
        self._abstract_els: dict[str, etree._Element] = {}
        self._abstracts: dict[str, dict[int, _Level]] = {}  # parsed on first use: most definitions never are
        self._num_style_link: dict[str, str] = {}  # abstractNumId -> numbering style it defers to
        self._style_link: dict[str, str] = {}  # numbering style id -> abstractNumId that defines it
        self._nums: dict[str, _Num] = {}
        self._levels_cache: dict[str, tuple[str, dict[int, _Level]] | None] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._used: set[str] = set()
        if root is None:
            return
        for abstract in root.iterchildren(_W + "abstractNum"):
            aid = abstract.get(_W + "abstractNumId")
            if aid is None:
                continue
            self._abstract_els.setdefault(aid, abstract)
            link = abstract.find(_W + "numStyleLink")
            if link is not None and link.get(VAL):
                self._num_style_link[aid] = link.get(VAL)
            link = abstract.find(_W + "styleLink")
            if link is not None and link.get(VAL):
                self._style_link.setdefault(link.get(VAL), aid)
        for num in root.iterchildren(_W + "num"):
            nid, aid_el = num.get(_W + "numId"), num.find(_W + "abstractNumId")
            if nid is None or aid_el is None or aid_el.get(VAL) is None:
                continue
            entry = _Num(abstract=aid_el.get(VAL))
            for override in num.iterchildren(_W + "lvlOverride"):
                ilvl = _int(override, _W + "ilvl")
                if ilvl is None or not 0 <= ilvl <= 8:
                    continue
                start = _int(override.find(_W + "startOverride"))
                if start is not None:
                    entry.start_overrides[ilvl] = start
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    entry.levels[ilvl] = _parse_level(lvl)
            self._nums[nid] = entry

    def _abstract_levels(self, aid: str) -> dict[int, _Level]:
        """The levels of an abstract definition, parsed once."""
        levels = self._abstracts.get(aid)
        if levels is None:
            levels = self._abstracts[aid] = {}
            abstract = self._abstract_els.get(aid)
            for lvl in abstract.iterchildren(_W + "lvl") if abstract is not None else ():
                ilvl = _int(lvl, _W + "ilvl")
                if ilvl is not None and 0 <= ilvl <= 8:
                    levels[ilvl] = _parse_level(lvl)
        return levels

    def _resolve_abstract(self, aid: str) -> str:
        """Follow numStyleLink through the numbering style to the abstract definition that holds the levels."""
        seen: set[str] = set()
        while aid in self._num_style_link and aid not in seen:
            seen.add(aid)
            link = self._num_style_link[aid]
            target = None
            style_num = self._styles.info(link).num_id if self._styles.element(link) is not None else None
            if style_num is not None and style_num in self._nums:
                target = self._nums[style_num].abstract
            if target is None or target == aid:
                target = self._style_link.get(link)
            if target is None:
                break
            aid = target
        return aid

    def _levels(self, num_id: str) -> tuple[str, dict[int, _Level]] | None:
        """(counter key, effective levels) of a num, cached."""
        if num_id not in self._levels_cache:
            num = self._nums.get(num_id)
            if num is None:
                self._levels_cache[num_id] = None
            else:
                aid = self._resolve_abstract(num.abstract)
                levels = dict(self._abstract_levels(aid))
                levels.update(num.levels)
                self._levels_cache[num_id] = (aid, levels)
        return self._levels_cache[num_id]

    def level_for_style(self, num_id: str, style_chain: tuple[str, ...]) -> int:
        """The level whose w:pStyle names the paragraph's style (nearest in its chain), else 0."""
        resolved = self._levels(num_id)
        if resolved is None:
            return 0
        for sid in style_chain:
            for ilvl, level in sorted(resolved[1].items()):
                if level.pstyle == sid:
                    return ilvl
        return 0

    def next_label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the counters for one numbered paragraph and return its label (None if the numbering is void)."""
        resolved = self._levels(num_id)
        if resolved is None:
            return None
        key, levels = resolved
        level = levels.get(ilvl)
        if level is None:
            return None
        num = self._nums[num_id]
        counters = self._counters.setdefault(key, [None] * 9)
        if num_id not in self._used:
            self._used.add(num_id)
            if num.start_overrides:
                # A num with startOverride is Word's "restart numbering": it starts its list afresh.
                for k in range(min(num.start_overrides), 9):
                    counters[k] = None
        current = counters[ilvl]
        counters[ilvl] = self._start(num, levels, ilvl) if current is None else current + 1
        for k in range(ilvl + 1, 9):
            restart = levels[k].restart if k in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                counters[k] = None
        if level.fmt == "bullet":
            return ""
        return self._render(level, levels, counters, num).strip()

    @staticmethod
    def _start(num: _Num, levels: dict[int, _Level], k: int) -> int:
        """Starting value of level k for this num."""
        if k in num.start_overrides:
            return num.start_overrides[k]
        return levels[k].start if k in levels else 0

    def _render(self, level: _Level, levels: dict[int, _Level], counters: list[int | None], num: _Num) -> str:
        """lvlText with %1..%9 replaced by each level's value in its format."""

        def value(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            ref = levels.get(k)
            if ref is None:
                return ""
            n = counters[k] if counters[k] is not None else self._start(num, levels, k)
            fmt, pad = ref.fmt, ref.pad
            # isLgl shows every level as a plain number ("Article I" -> "1.01"); decimalZero stays padded.
            if level.legal and fmt != "decimalZero":
                fmt, pad = "decimal", 0
            return format_number(n, fmt, pad)

        return re.sub(r"%([1-9])", value, level.text)


# --------------------------------------------------------------------------------------------------------------
# Number formats

_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_AIUEO = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ"
_AIUEO_FULL = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_IROHA = "ｲﾛﾊﾆﾎﾍﾄﾁﾘﾇﾙｦﾜｶﾖﾀﾚｿﾂﾈﾅﾗﾑｳヰﾉｵｸﾔﾏｹﾌｺｴﾃｱｻｷﾕﾒﾐｼヱﾋﾓｾｽ"
_IROHA_FULL = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_KANJI_DIGITS = "〇一二三四五六七八九"
_LEGAL_DIGITS = "〇壱弐参四伍六七八九"
_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_WORDS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                  "nine": "ninth", "twelve": "twelfth"}


def format_number(n: int, fmt: str, pad: int = 0) -> str:
    """Render counter value ``n`` in a w:numFmt format (unknown formats fall back to decimal)."""
    if fmt in ("bullet", "none"):
        return ""
    if n <= 0 and fmt not in ("decimal", "decimalZero", "ideographDigital", "decimalFullWidth",
                              "decimalFullWidth2", "decimalHalfWidth"):
        return str(n)  # the non-decimal systems have no zero
    if fmt in ("decimal", "decimalHalfWidth"):
        return str(n).zfill(pad) if pad else str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("upperLetter", "lowerLetter"):
        # Word repeats the letter after z: y, z, aa, bb, ...
        letters = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if fmt == "cardinalText":
        return _capitalise(_words(n))
    if fmt == "ordinalText":
        return _capitalise(_ordinal_words(n))
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(_FULL_WIDTH_DIGITS)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + n - 1) if n <= 20 else f"({n})"
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if n <= 20 else f"{n}."
    if fmt == "ideographEnclosedCircle":
        return chr(0x3280 + n - 1) if n <= 10 else f"({n})"
    if fmt in ("aiueo", "aiueoFullWidth", "iroha", "irohaFullWidth"):
        alphabet = {"aiueo": _AIUEO, "aiueoFullWidth": _AIUEO_FULL, "iroha": _IROHA,
                    "irohaFullWidth": _IROHA_FULL}[fmt]
        return alphabet[(n - 1) % len(alphabet)] * ((n - 1) // len(alphabet) + 1)
    if fmt == "ideographDigital":
        return "".join(_KANJI_DIGITS[int(d)] for d in str(n)) if n >= 0 else str(n)
    if fmt == "japaneseDigitalTenThousand":
        digital = "".join(_KANJI_DIGITS[int(d)] for d in str(n % 10000))
        return ("".join(_KANJI_DIGITS[int(d)] for d in str(n // 10000)) + "万" if n >= 10000 else "") + digital
    if fmt in ("japaneseCounting", "chineseCounting", "chineseCountingThousand", "taiwaneseCounting"):
        return _kanji(n, _KANJI_DIGITS, "十百千万", explicit_one=fmt != "japaneseCounting" and n >= 100)
    if fmt == "japaneseLegal":
        return _kanji(n, _LEGAL_DIGITS, "拾百阡萬", explicit_one=True)
    if fmt == "ideographTraditional":
        return _TRADITIONAL[n - 1] if n <= len(_TRADITIONAL) else str(n)
    if fmt == "ideographZodiac":
        return _ZODIAC[n - 1] if n <= len(_ZODIAC) else str(n)
    if fmt == "hex":
        return f"{n:X}"
    if fmt == "chicago":
        return "*†‡§"[(n - 1) % 4] * ((n - 1) // 4 + 1)
    return str(n)


def _roman(n: int) -> str:
    """Lower-case Roman numeral (Word goes past 3999 by repeating m)."""
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _kanji(n: int, digits: str, units: str, *, explicit_one: bool) -> str:
    """Japanese/Chinese counting numerals: 十一, 二十, 百五; ``units`` is ten, hundred, thousand, ten-thousand."""
    if n >= 100_000_000:
        return str(n)

    def below(m: int) -> str:
        out = []
        for value, unit in ((1000, units[2]), (100, units[1]), (10, units[0])):
            d, m = divmod(m, value)
            if d:
                out.append(("" if d == 1 and not explicit_one else digits[d]) + unit)
        if m:
            out.append(digits[m])
        return "".join(out)

    if n >= 10_000:
        return below(n // 10_000) + units[3] + below(n % 10_000)
    return below(n)


def _words(n: int) -> str:
    """English cardinal words, e.g. 21 -> "twenty-one"."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        return f"{_ONES[n // 100]} hundred" + (f" {_words(n % 100)}" if n % 100 else "")
    if n < 1_000_000:
        return f"{_words(n // 1000)} thousand" + (f" {_words(n % 1000)}" if n % 1000 else "")
    return str(n)


def _ordinal_words(n: int) -> str:
    """English ordinal words, e.g. 21 -> "twenty-first"."""
    words = _words(n)
    head, sep, last = words.rpartition("-") if "-" in words.split(" ")[-1] else words.rpartition(" ")
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def _capitalise(text: str) -> str:
    """Upper-case the first letter only ("Twenty-first")."""
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------------------------------------------
# Symbol fonts

# Symbol fonts store glyphs as U+F0xx private-use characters. The few that carry meaning in contracts
# (bullets, check boxes, arrows) are mapped to Unicode; the rest are decoration and dropped.
_PUA = re.compile("[\uf000-\uf0ff]")
_WINGDINGS = {0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x72: "❒", 0x75: "◆", 0x76: "❖", 0x9F: "•", 0xA1: "○",
              0xA7: "▪", 0xA8: "◻", 0xD8: "➢", 0xE8: "➔", 0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑"}
_SYMBOL = {0xB7: "•", 0xA7: "♣", 0xA8: "♦", 0xA9: "♥", 0xAA: "♠", 0xAE: "→", 0xB0: "°", 0xB1: "±", 0xB4: "×",
           0xB8: "÷", 0xA3: "≤", 0xB3: "≥", 0xB9: "≠", 0xD2: "®", 0xD3: "©", 0xD4: "™", 0xE2: "®", 0xE3: "©",
           0xE4: "™", 0x2D: "−"}


def _decode_symbols(text: str, font: str) -> str:
    """Map symbol-font private-use characters to Unicode (Symbol's table if the font says so, else Wingdings)."""
    table = _SYMBOL if font == "symbol" else _WINGDINGS

    def glyph(match: re.Match[str]) -> str:
        return table.get(ord(match.group()) - 0xF000, "")

    return _PUA.sub(glyph, text)


# --------------------------------------------------------------------------------------------------------------
# Reading the body


@dataclass
class _Para:
    """A paragraph as extracted, before it becomes a block or part of a table cell."""

    text: str
    label: str
    list_level: int | None
    style: str
    heading: int
    bold: bool
    centered: bool
    page: int
    mark_deleted: bool
    textboxes: list[etree._Element]


class _Acc:
    """Accumulates one paragraph's inline content."""

    __slots__ = ("parts", "page", "has_text", "all_bold", "textboxes")

    def __init__(self, page: int):
        self.parts: list[str] = []
        self.page = page
        self.has_text = False
        self.all_bold = True
        self.textboxes: list[etree._Element] = []


def _block_children(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a body, cell or text box, looking through content controls and wrappers."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == P or tag == TBL:
            yield child
        elif tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _block_children(content)
        elif tag in _BLOCK_WRAPPERS:
            yield from _block_children(child)
        elif tag == MC_ALT:
            choice = _alt_branch(child)
            if choice is not None:
                yield from _block_children(choice)


def _alt_branch(alt: etree._Element) -> etree._Element | None:
    """The branch of mc:AlternateContent to read: the first Choice, else the Fallback (never both)."""
    choice = alt.find(MC_CHOICE)
    return choice if choice is not None else alt.find(MC_FALLBACK)


def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
    """A table's rows, looking through content controls and custom XML."""
    for child in tbl.iterchildren():
        if child.tag == TR:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _rows(content)
        elif child.tag == CUSTOM_XML:
            yield from _rows(child)


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    """A row's cells, looking through content controls and custom XML."""
    for child in tr.iterchildren():
        if child.tag == TC:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _cells(content)
        elif child.tag == CUSTOM_XML:
            yield from _cells(child)


def _find_textboxes(el: etree._Element, out: list[etree._Element]) -> None:
    """Collect the outermost w:txbxContent under a drawing, skipping mc:Fallback copies of the same box."""
    for child in el.iterchildren():
        tag = child.tag
        if tag == TXBX:
            out.append(child)
        elif tag == MC_FALLBACK:
            continue
        elif isinstance(tag, str):
            _find_textboxes(child, out)


class _Reader:
    """Walks the body in reading order, keeping the page and numbering state that spans paragraphs."""

    def __init__(self, styles: _Styles, numbering: _Numbering, body: etree._Element):
        self.styles = styles
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.page = 1
        self.gap = False
        self.carry: list[_Para] = []  # paragraphs whose mark was deleted: they run on into the next one
        self.row_page: int | None = None  # page of the first text in the table row being read
        # Word records where it last broke pages; when present they already include hard page breaks.
        self.rendered = next(body.iter(LAST_RENDERED), None) is not None
        self.pages_known = self.rendered

    # ---- containers

    def read_container(self, container: etree._Element) -> None:
        """Emit blocks for every paragraph and table row in a body or text box."""
        for child in _block_children(container):
            if child.tag == P:
                self._emit_paragraph(self.paragraph(child))
            else:
                self._emit_table(child)

    def _emit_paragraph(self, para: _Para) -> None:
        """Append a paragraph's block, or record the blank line or the run-on text it leaves."""
        if para.mark_deleted:
            # Accepting the deletion of a paragraph mark merges this paragraph into the next one.
            self.carry.append(para)
        else:
            text, page = para.text, para.page
            if self.carry:
                carried = "".join(p.text for p in self.carry)
                if carried.strip():
                    text, page = carried + text, self.carry[0].page
                self.carry = []
            self._append(para, text.rstrip(), page)
        for box in para.textboxes:
            self.read_container(box)

    def _append(self, para: _Para, text: str, page: int) -> None:
        """Append a block with ``para``'s properties, or note a blank line."""
        if not text.strip():
            self.gap = True
            return
        self.blocks.append(Block(text=text, page=page, label=para.label, style=para.style, heading_level=para.heading,
                                 list_level=para.list_level, gap_before=self.gap, bold=para.bold,
                                 centered=para.centered))
        self.gap = False

    def flush(self) -> None:
        """Emit run-on text left by deleted paragraph marks with nothing after them (end of body, a table)."""
        if self.carry:
            carried, self.carry = self.carry, []
            self._append(carried[0], "".join(p.text for p in carried).rstrip(), carried[0].page)

    def _emit_table(self, tbl: etree._Element) -> None:
        """Append one block per non-empty table row."""
        self.flush()
        for tr in _rows(tbl):
            trpr = tr.find(TRPR)
            if trpr is not None and trpr.find(DEL) is not None:
                continue  # a tracked row deletion, read as accepted
            self.row_page = None
            cells: list[str] = []
            bold: list[bool] = []
            for tc in _cells(tr):
                cells.append(self._cell_text(tc, bold))
            if not any(cells):
                continue
            page = self.row_page if self.row_page is not None else self.page
            self.blocks.append(Block(text=" | ".join(cells), page=page, in_table=True, gap_before=self.gap,
                                     bold=bool(bold) and all(bold)))
            self.gap = False

    def _cell_text(self, container: etree._Element, bold: list[bool]) -> str:
        """A cell's paragraphs (with their labels, which a row block has no other place for) joined by spaces."""
        parts: list[str] = []
        for child in _block_children(container):
            if child.tag == TBL:
                rows = [" | ".join(self._cell_text(tc, bold) for tc in _cells(tr)) for tr in _rows(child)]
                parts.extend(r for r in rows if r.strip(" |"))
                continue
            para = self.paragraph(child)
            text = para.text.strip()
            if text:
                parts.append(f"{para.label} {text}" if para.label else text)
                bold.append(para.bold)
                if self.row_page is None:
                    self.row_page = para.page
            for box in para.textboxes:
                box_text = self._cell_text(box, bold)
                if box_text:
                    parts.append(box_text)
        return " ".join(parts)

    # ---- paragraphs

    def paragraph(self, p: etree._Element) -> _Para:
        """Extract one w:p: text (tracked changes accepted), numbering label, style facts and page."""
        style_id: str | None = None
        own_heading: int | None = None
        centered: bool | None = None
        numpr: etree._Element | None = None
        mark_deleted = False
        first = p[0] if len(p) else None
        if first is not None and first.tag == PPR:
            # One pass over w:pPr: find() per property costs more than the rest of the paragraph.
            for prop in first:
                tag = prop.tag
                if tag == PSTYLE:
                    style_id = prop.get(VAL)
                elif tag == NUMPR:
                    numpr = prop
                elif tag == OUTLINE_LVL:
                    own_heading = _outline_heading(prop)
                elif tag == JC:
                    centered = prop.get(VAL) == "center"
                elif tag == RPR:
                    mark_deleted = any(c.tag == DEL or c.tag == MOVE_FROM for c in prop)
                elif tag == PAGE_BREAK_BEFORE and not self.rendered and _on(prop):
                    self.page += 1
                    self.pages_known = True
        style = self.styles.info(style_id)

        acc = _Acc(self.page)
        self._inline(p, acc, style.bold)
        text = "".join(acc.parts)  # not stripped yet: a paragraph with a deleted mark runs on into the next

        label, list_level = "", None
        if not mark_deleted:
            label, list_level = self._label(numpr, style)
        return _Para(text=text, label=label, list_level=list_level, style=style.name,
                     heading=own_heading if own_heading is not None else style.heading,
                     bold=acc.has_text and acc.all_bold, centered=style.centered if centered is None else centered,
                     page=acc.page, mark_deleted=mark_deleted, textboxes=acc.textboxes)

    def _label(self, numpr: etree._Element | None, style: _StyleInfo) -> tuple[str, int | None]:
        """The paragraph's numbering label and level, from its own numPr or its style's."""
        num_id: str | None = None
        ilvl: int | None = None
        if numpr is not None:
            num_el = numpr.find(_W + "numId")
            num_id = num_el.get(VAL) if num_el is not None else None
            ilvl = _int(numpr.find(_W + "ilvl"))
        if num_id is None:
            num_id = style.num_id
            if ilvl is None:
                ilvl = style.ilvl
        if num_id is None or num_id == "0":
            return "", None
        if ilvl is None:
            ilvl = self.numbering.level_for_style(num_id, style.chain)
        ilvl = min(max(ilvl, 0), 8)
        label = self.numbering.next_label(num_id, ilvl)
        if label is None:
            return "", None
        return label, ilvl

    def _inline(self, el: etree._Element, acc: _Acc, style_bold: bool) -> None:
        """Collect the text of paragraph content: runs and the wrappers around them."""
        for child in el.iterchildren():
            tag = child.tag
            if tag == R:
                self._run(child, acc, style_bold)
            elif tag in _INLINE_WRAPPERS:
                self._inline(child, acc, style_bold)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._inline(content, acc, style_bold)
            elif tag == MC_ALT:
                branch = _alt_branch(child)
                if branch is not None:
                    self._inline(branch, acc, style_bold)
            elif tag == M_OMATH_PARA or tag == M_OMATH:
                acc.parts.extend(t.text or "" for t in child.iter(M_T))
            # w:del, w:moveFrom (tracked deletions), w:pPr, bookmarks, proofing marks: no text

    def _run(self, r: etree._Element, acc: _Acc, style_bold: bool) -> None:
        """Collect the text of one w:r and note whether it is bold."""
        start = len(acc.parts)
        self._run_content(r, acc)
        if len(acc.parts) > start and any(part.strip() for part in acc.parts[start:]):
            if acc.all_bold and not self._run_bold(r, style_bold):
                acc.all_bold = False
            acc.has_text = True

    def _run_content(self, r: etree._Element, acc: _Acc) -> None:
        """Collect the text-bearing children of a run (or of an mc:AlternateContent branch inside one)."""
        parts = acc.parts
        for child in r.iterchildren():
            tag = child.tag
            if tag == T:
                text = child.text or ""
                if _PUA.search(text):
                    text = _decode_symbols(text, self._run_font(r))
                parts.append(text)
            elif tag == TAB or tag == PTAB:
                parts.append("\t")
            elif tag == BR:
                kind = child.get(TYPE)
                if kind == "page" and not self.rendered:
                    self._page_break(acc)
                parts.append("\n")
            elif tag == CR:
                parts.append("\n")
            elif tag == NB_HYPHEN:
                parts.append("-")
            elif tag == LAST_RENDERED:
                if self.rendered:
                    self._page_break(acc)
            elif tag == SYM:
                try:
                    char = chr(int(child.get(_W + "char") or "", 16))
                except ValueError:
                    continue
                parts.append(_decode_symbols(char, (child.get(_W + "font") or "").lower()))
            elif tag == DRAWING or tag == PICT:
                _find_textboxes(child, acc.textboxes)
            elif tag == MC_ALT:
                branch = _alt_branch(child)
                if branch is not None:
                    self._run_content(branch, acc)
            elif tag == RUBY:
                # Furigana (w:rt) is a reading aid; only the base text is part of the sentence.
                base = child.find(RUBY_BASE)
                if base is not None:
                    self._inline(base, acc, False)
            # w:delText, w:instrText (field codes), w:softHyphen, footnote references: no text

    def _page_break(self, acc: _Acc) -> None:
        """Count a page break met inside the paragraph being read."""
        self.page += 1
        self.pages_known = True
        if not "".join(acc.parts).strip():
            acc.page = self.page  # nothing shown yet: the paragraph starts on the new page

    def _run_bold(self, r: etree._Element, style_bold: bool) -> bool:
        """Effective bold of a run: direct formatting, else its character style, else the paragraph style."""
        rpr = r[0] if len(r) and r[0].tag == RPR else None  # the schema puts w:rPr first
        if rpr is None:
            return style_bold
        char_style = None
        for prop in rpr:
            if prop.tag == BOLD:
                return bool(_on(prop))
            if prop.tag == RSTYLE:
                char_style = prop.get(VAL)
        if char_style is not None:
            value = self.styles.char_bold(char_style)
            if value is not None:
                return value
        return style_bold

    def _run_font(self, r: etree._Element) -> str:
        """The run's directly set Latin font name (lower-case), used to decode symbol-font characters."""
        rpr = r[0] if len(r) and r[0].tag == RPR else None
        fonts = rpr.find(_W + "rFonts") if rpr is not None else None
        if fonts is None:
            return ""
        return (fonts.get(_W + "ascii") or fonts.get(_W + "hAnsi") or fonts.get(_W + "cs") or "").lower()

"""PDF ingestion with pypdfium2: text lines with page, position and gaps; running headers and footers removed.

pdfplumber's own ``extract_text()`` manages about 10 pages/s here, pypdfium2's text about 600: the text and
the geometry we need (where each line starts, the gap above it) come from pdfium directly. pdfplumber
(pdfminer) is kept as the fallback for files pdfium refuses to open but pdfminer can read.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reviewer.errors import ReviewerError
from reviewer.model import Block

# A page with fewer printable characters than this and at least one image is taken for a scan.
SCANNED_MAX_CHARS = 20
# Share of the page height at the top and bottom where running headers and footers live.
MARGIN_ZONE = 0.12
# A line seen in the margin zone of at least this share of pages (and at least twice) is a running line.
RUNNING_MIN_SHARE = 0.3

_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$",
    re.IGNORECASE,
)
_PAGE_OF = re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_DASHED_PAGE = re.compile(r"^[-–—]\s*\d{1,4}\s*[-–—]$")
_DIGITS = re.compile(r"\d+")
_TITLE_WORDS = re.compile(r"agreement|contract|licen[cs]e|契約|覚書", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# Prefixes whose hyphen is part of the word when a line breaks after it ("non-exclusive").
_KEEP_HYPHEN = frozenset(
    "non co sub re pre anti self multi cross third inter intra semi post counter ex quasi pro de un well "
    "long short first second end off on cut".split()
)
_BROKEN_WORD = re.compile(r"([A-Za-z]{2,})-$")

# Neither pdfium nor pdfminer bounds what a compressed stream inflates to: a 1 MB FlateDecode stream of zeros takes
# pdfium past 2 GB (and aborts the process under a memory limit). Content, font and object streams are therefore
# inflated once here, in bounded pieces, before either parser sees the file. Images are never decoded to read text.
MAX_STREAM_BYTES = 256 * 1024 * 1024  # one stream
MAX_INFLATED_BYTES = 1024 * 1024 * 1024  # all of them together
_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_DICT_LOOKBACK = 4096
_INFLATE_IN = 64 * 1024
_INFLATE_OUT = 8 * 1024 * 1024


@dataclass
class _Line:
    text: str
    page: int
    left: float
    top: float
    bottom: float
    right: float
    bold: bool


def read_pdf(data: bytes, path: Path | str, *, password: str | None = None):
    """Read a PDF into line blocks. Returns (blocks, pages, warnings, notes)."""
    import pypdfium2 as pdfium

    check_streams(data, path)
    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            if password:
                raise ReviewerError(path, "the PDF password given is not correct") from None
            raise ReviewerError(path, "password-protected PDF: give the password with --password, "
                                      "or save an unprotected copy") from None
        return _read_with_pdfminer(data, path, message)
    try:
        return _read_pdfium(pdf, path)
    finally:
        pdf.close()


def check_streams(data: bytes, path: Path | str) -> None:
    """Refuse a PDF whose zlib-compressed streams (images apart) inflate beyond the limits: a decompression bomb.

    The streams are found by their ``>> stream`` keyword, not by parsing, so that a damaged file is bounded too.
    Every stream is tried, whatever its dictionary says its filter is (a name may be escaped, ``/Fl#61teDecode``,
    or given by reference): one that is not zlib data fails at its first bytes and costs nothing, and so does an
    encrypted one. Only images are left out (``/Subtype /Image``): they are never decoded to read text. A bomb
    behind another filter first (``[/ASCIIHexDecode /FlateDecode]``) or inside an encrypted stream is bounded by
    the worker's memory limit alone.
    """
    total = 0
    view = memoryview(data)
    for match in _STREAM_START.finditer(data):
        start = match.start()
        head = data.rfind(b"obj", max(0, start - _DICT_LOOKBACK), start)
        if _IMAGE.search(data, head if head >= 0 else max(0, start - _DICT_LOOKBACK), start):
            continue
        size = _inflated_size(view, match.end(), min(MAX_STREAM_BYTES, MAX_INFLATED_BYTES - total))
        if size > MAX_STREAM_BYTES:
            raise ReviewerError(path, f"refused: a compressed stream in the PDF expands to more than "
                                      f"{MAX_STREAM_BYTES // (1024 * 1024)} MB (decompression bomb?)")
        total += size
        if total > MAX_INFLATED_BYTES:
            raise ReviewerError(path, f"refused: the PDF's compressed streams expand to more than "
                                      f"{MAX_INFLATED_BYTES // (1024 * 1024)} MB (decompression bomb?)")


def _inflated_size(view: memoryview, start: int, limit: int) -> int:
    """How many bytes the zlib stream at ``start`` inflates to, counting no further than just past ``limit``."""
    inflater = zlib.decompressobj()
    total = 0
    position = start
    try:
        while position < len(view) and not inflater.eof and total <= limit:
            pending: bytes | memoryview = view[position:position + _INFLATE_IN]
            position += _INFLATE_IN
            while pending and total <= limit:
                total += len(inflater.decompress(pending, min(_INFLATE_OUT, limit - total + 1)))
                pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # damaged or encrypted: whatever inflated so far is what a parser could get
    return total


def _read_pdfium(pdf, path):
    import pypdfium2.raw as raw

    warnings: list[str] = []
    notes: list[str] = []
    pages: list[list[_Line]] = []
    heights: list[float] = []
    n_pages = len(pdf)
    for index in range(n_pages):
        page = pdf[index]
        try:
            height = page.get_height() or 792.0
            textpage = page.get_textpage()
            try:
                lines = _page_lines(textpage, index + 1, raw)
            finally:
                textpage.close()
            if sum(len(line.text) for line in lines) < SCANNED_MAX_CHARS and _has_images(page, raw):
                warnings.append(f"page {index + 1} has no text layer (scanned?): run OCR")
        finally:
            page.close()
        pages.append(lines)
        heights.append(height)
    if _is_restricted(pdf, raw):
        notes.append("the PDF restricts copying or printing (owner password); its text was read for review only")
    _drop_running_lines(pages, heights)
    return _to_blocks(pages, _Hyphens(pages)), n_pages, warnings, notes


def _page_lines(textpage, page_no: int, raw) -> list[_Line]:
    """The page's text as lines, each with the box of its first and last character."""
    text = textpage.get_text_range()
    if not text:
        return []
    handle = textpage.raw
    lines: list[_Line] = []
    position = 0
    for piece in text.split("\r\n"):
        start = position
        position += len(piece) + 2
        cleaned = _clean(piece)
        if not cleaned:
            continue
        first = start + (len(piece) - len(piece.lstrip()))
        last = start + len(piece.rstrip()) - 1
        left, bottom, _, top = textpage.get_charbox(first, loose=True)
        _, _, right, _ = textpage.get_charbox(last, loose=True)
        bold = raw.FPDFText_GetFontWeight(handle, first) >= 600 and raw.FPDFText_GetFontWeight(handle, last) >= 600
        lines.append(_Line(cleaned, page_no, left, top, bottom, right, bold))
    return lines


_INLINE_PAGE_NUMBER = re.compile(r"^[-–—]\s*\d{1,4}\s*[-–—]\s+(?=\S)")


def _clean(text: str) -> str:
    # pdfium reports a hyphen it could not map as U+FFFE; non-breaking and ideographic spaces are spaces.
    # pdfium marks a hyphen that ends a line as U+FFFE (and joins the lines): resolved per document below.
    text = text.replace("\u00ad", "").replace("\x00", "")
    text = _SPACES.sub(" ", text).strip()
    return _INLINE_PAGE_NUMBER.sub("", text)  # "- 8 - 8.2 Notwithstanding": a page number run into the text


def _has_images(page, raw) -> bool:
    for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        return True
    return False


def _is_restricted(pdf, raw) -> bool:
    try:
        permissions = raw.FPDF_GetDocPermissions(pdf.raw) & 0xFFFFFFFF
    except Exception:  # an old pdfium without the call: nothing to say
        return False
    # Bits 3 (print) and 5 (copy) cleared means the owner restricted them.
    print_and_copy = 0b10100  # bit 3 print, bit 5 copy (PDF 32000-1, table 22)
    return permissions != 0xFFFFFFFF and permissions & print_and_copy != print_and_copy


def _running_key(text: str) -> str:
    return _DIGITS.sub("#", text.lower())


def _drop_running_lines(pages: list[list[_Line]], heights: list[float]) -> None:
    """Remove page numbers and lines repeated in the top or bottom margin of many pages."""
    def in_margin(line: _Line, height: float) -> bool:
        return line.top > height * (1 - MARGIN_ZONE) or line.bottom < height * MARGIN_ZONE

    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_running_key(line.text) for line in lines if len(line.text) < 150})
    # Bare page numbers wherever the content order put them: numbers alone on a line that run with the pages.
    offsets = Counter(int(line.text) - i for i, lines in enumerate(pages) for line in lines
                      if line.text.isdigit() and len(line.text) <= 4)
    page_offsets = {off for off, n in offsets.items() if n >= max(2, 0.3 * len(pages))}
    in_margin_min = max(2, RUNNING_MIN_SHARE * len(pages))
    anywhere_min = max(3, 0.5 * len(pages))  # repeated this often, a line is furniture wherever it sits
    seen_anywhere: set[str] = set()
    for i, (lines, height) in enumerate(zip(pages, heights, strict=True)):
        kept = []
        for n, line in enumerate(lines):
            count = counts[_running_key(line.text)] if len(pages) > 1 else 0
            if i == 0 and n < 3 and _TITLE_WORDS.search(line.text):
                count = 0  # the title on the first page, repeated as a running header on the others: keep it
            if _PAGE_OF.match(line.text) or _DASHED_PAGE.match(line.text):
                continue
            if line.text.isdigit() and (abs(int(line.text) - (i + 1)) <= 6 or int(line.text) - i in page_offsets):
                continue  # a bare page number, wherever the PDF's content order put it
            if in_margin(line, height) and (_PAGE_NUMBER.match(line.text) or count >= in_margin_min):
                continue
            if count >= anywhere_min and len(line.text) >= 15:
                key = _running_key(line.text)
                if key in seen_anywhere:
                    continue
                seen_anywhere.add(key)  # the first copy stays: repeated signature pages are still text once
            kept.append(line)
        pages[i] = kept


class _Hyphens:
    """Words broken at a line end, mended the way the document itself spells them elsewhere.

    "manufac-/ture" becomes "manufacture" when the document uses that word, "non-/exclusive" stays
    "non-exclusive" when it uses that; with no evidence either way, known prefixes keep their hyphen.
    """

    _MARKED = re.compile(r"([A-Za-z]+)\ufffe([A-Za-z]+)")
    _WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")

    def __init__(self, pages: list[list[_Line]]):
        self.pages = pages
        self._words: Counter[str] | None = None

    @property
    def words(self) -> Counter[str]:
        """How often each word occurs in the document, counted the first time a hyphen needs a decision."""
        if self._words is None:
            text = "\n".join(line.text for lines in self.pages for line in lines).replace("\ufffe", " ").lower()
            self._words = Counter(self._WORD.findall(text))
        return self._words

    def joiner(self, left: str, right: str) -> str:
        """"" to join the two halves into one word, "-" to keep the hyphen."""
        joined, hyphened = (left + right).lower(), f"{left}-{right}".lower()
        if self.words[joined] != self.words[hyphened]:
            return "" if self.words[joined] > self.words[hyphened] else "-"
        return "-" if left.lower() in _KEEP_HYPHEN or left[:1].isupper() and right[:1].isupper() else ""

    def mend(self, text: str) -> str:
        """Resolve pdfium's line-end hyphen marks inside one line of text."""
        if "\ufffe" not in text:
            return text
        text = self._MARKED.sub(lambda m: m.group(1) + self.joiner(m.group(1), m.group(2)) + m.group(2), text)
        return text.replace("\ufffe", "-")


def _to_blocks(pages: list[list[_Line]], hyphens: _Hyphens) -> list[Block]:
    """Lines to blocks: words broken across lines rejoined, vertical gaps and centring recorded."""
    blocks: list[Block] = []
    for lines in pages:
        if not lines:
            continue
        pitches = sorted(a.bottom - b.bottom for a, b in zip(lines, lines[1:], strict=False) if a.bottom - b.bottom > 1)
        pitch = pitches[len(pitches) // 2] if pitches else 12.0
        lefts = sorted(line.left for line in lines)
        margin_left = lefts[len(lefts) // 10] if lefts else 0.0
        rights = sorted(line.right for line in lines)
        margin_right = rights[len(rights) * 9 // 10] if rights else 0.0
        previous: _Line | None = None
        texts = [hyphens.mend(line.text) for line in lines]
        for i, line in enumerate(lines):
            # A word broken at the line end moves up whole: "manufac-" + "ture of" -> "manufacture" + "of".
            match = _BROKEN_WORD.search(texts[i])
            if match and i + 1 < len(lines) and texts[i + 1][:1].islower():
                head, _, tail = texts[i + 1].partition(" ")
                joiner = hyphens.joiner(match.group(1), re.match(r"[A-Za-z]*", head).group(0))
                texts[i] = texts[i][:-1] + joiner + head
                texts[i + 1] = tail
            gap = False
            if previous is not None:
                step = previous.bottom - line.bottom
                gap = step > 1.45 * pitch or step < -pitch  # a blank line's worth of space, or a jump up (new column)
                if not gap and texts[i - 1][-1:] in ".:;" and texts[i][:1].isupper():
                    # Evenly spaced paragraphs: the last line stops short, or the next one is indented.
                    full = margin_right - margin_left
                    gap = previous.right < margin_right - 0.15 * full or line.left > margin_left + 0.03 * full
            width = line.right - line.left
            centered = (
                margin_right > margin_left
                and width < 0.7 * (margin_right - margin_left)
                and abs((line.left + line.right) / 2 - (margin_left + margin_right) / 2) < 0.08 * (margin_right - margin_left)
                and line.left > margin_left + 20
            )
            previous = line
            if not texts[i]:
                continue
            blocks.append(Block(text=texts[i], page=line.page, is_line=True, gap_before=gap, bold=line.bold,
                                centered=centered))
    return blocks


def _read_with_pdfminer(data: bytes, path, pdfium_message: str):
    """Fallback for files pdfium will not open: pdfplumber's slower but more forgiving parser."""
    import io

    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - pdfplumber is a dependency
        raise ReviewerError(path, f"not a readable PDF ({pdfium_message})") from None
    blocks: list[Block] = []
    warnings: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            n_pages = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                text = page.extract_text() or ""
                if len(text.strip()) < SCANNED_MAX_CHARS and page.images:
                    warnings.append(f"page {number} has no text layer (scanned?): run OCR")
                for line in text.splitlines():
                    cleaned = _clean(line)
                    if cleaned and not _PAGE_NUMBER.match(cleaned):
                        blocks.append(Block(text=cleaned, page=number, is_line=True))
                page.close()
    except PDFPasswordIncorrect:
        raise ReviewerError(path, "password-protected PDF: give the password with --password, "
                                  "or save an unprotected copy") from None
    except Exception as exc:
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise ReviewerError(path, f"not a readable PDF (damaged: {reason})") from None
    return blocks, n_pages, warnings, ["read with the fallback PDF parser (pdfminer): pdfium could not open it"]

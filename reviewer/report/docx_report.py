"""The Word report: the contract with the review as Word comments, and a gap summary at the end.

For a DOCX input it is a copy of the original file: comments are anchored on the paragraphs of the clauses each
finding concerns (found again by their first words, since the report holds text, not XML positions), nothing of
the original text is changed, and the summary is added after a page break. For PDF or text input it is the
extracted contract written out as a new document (clause numbers, headings, text) with the same comments.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from reviewer.report.html import (
    GAP_STATUSES,
    Clauses,
    count_line,
    finding_clause_ids,
    generated_line,
    labels,
    normalised,
    report_language,
    sorted_findings,
    source_name,
    status_counts,
)
from reviewer.report.json_report import clean

AUTHOR, INITIALS = "reviewer", "RV"
MINCHO, GOTHIC = "MS Mincho", "MS Gothic"  # on every Japanese Windows; Word and LibreOffice substitute elsewhere
MAX_ANCHORS = 4  # clauses that get a comment for one finding; the gap summary lists them all
STATUS_COLOUR = {"red_flag": RGBColor(0xB3, 0x26, 0x1E), "missing": RGBColor(0xB4, 0x53, 0x09),
                 "weak": RGBColor(0x8A, 0x6D, 0x00), "present": RGBColor(0x1E, 0x6B, 0x34),
                 "not_applicable": RGBColor(0x5F, 0x63, 0x68)}
GREY = RGBColor(0x6B, 0x6B, 0x6B)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _R, _T, _TAB, _BR = _W + "p", _W + "r", _W + "t", _W + "tab", _W + "br"
_SKIP = {_W + "del", _W + "moveFrom", _MC_FALLBACK, _W + "commentReference"}
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def render_docx(report: dict[str, Any], original: str | Path | bytes | None = None) -> bytes:
    """The Word report as DOCX bytes.

    ``original`` is the reviewed file (a path or its bytes); by default the report's ``source.path``. A DOCX
    that cannot be read again, or no longer matches the reviewed file, gives the rebuilt document instead.
    """
    report = normalised(report)
    lang = report_language(report)
    clauses = Clauses(report.get("clauses", []), lang)
    findings = sorted_findings(report.get("findings", []))
    source = report.get("source", {})
    problem = ""
    document = anchors = None
    if source.get("format") == "docx":
        data, problem = _original_bytes(report, original)
        if data is not None:
            try:
                document = _open_original(data, source.get("path", ""))
            except Exception as exc:  # a file python-docx cannot load again: fall back, say why
                problem = f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"
    if document is not None:
        anchors = map_clauses(document, report.get("clauses", []))
    else:
        document, anchors = _rebuild(report, clauses, problem)
    _annotate(document, anchors, findings, clauses)
    _append_summary(document, report, findings, clauses)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------------------
# The original DOCX, opened again with the same safety checks as ingestion


def _original_bytes(report: dict[str, Any], original: str | Path | bytes | None) -> tuple[bytes | None, str]:
    source = report.get("source", {})
    if isinstance(original, (bytes, bytearray)):
        data = bytes(original)
    else:
        path = Path(original) if original is not None else Path(source.get("path", ""))
        try:
            data = path.read_bytes()
        except OSError as exc:
            return None, f"{path.name}: {exc.strerror or exc}"
    expected = source.get("sha256")
    if expected and hashlib.sha256(data).hexdigest() != expected:
        return None, "the file has changed since it was reviewed"
    return data, ""


def _open_original(data: bytes, path: str) -> docx.document.Document:
    from reviewer.ingest.docx import open_word_package

    _, data, _ = open_word_package(data, path)  # checked as at ingestion; .docm comes back without macros
    return docx.Document(io.BytesIO(data))


def _excluded(el, stop) -> bool:
    """Whether ``el`` sits in deleted text, a fallback copy or a nested paragraph (text box) below ``stop``."""
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _SKIP or parent.tag == _P:
            return True
        parent = parent.getparent()
    return False


def _paragraph_text(p) -> str:
    """A paragraph's own visible text, tracked changes read as accepted (as ingestion reads them)."""
    parts = []
    for el in p.iter(_T, _TAB, _BR):
        if _excluded(el, p):
            continue
        parts.append(el.text or "" if el.tag == _T else " ")
    return "".join(parts)


def _body_paragraphs(document) -> list:
    """Every w:p of the body in reading order (tables, content controls and text boxes included)."""
    body = document.element.body
    return [p for p in body.iter(_P) if not any(a.tag == _MC_FALLBACK for a in p.iterancestors())]


def _norm(text: str) -> str:
    """Letters and digits only, width and case folded: what survives any way of writing the same words."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


_LABEL = re.compile(r"^\s*(?:[(（]?[0-9０-９]{1,3}[.)）．]|[(（][0-9０-９a-zA-Zａ-ｚ]{1,4}[)）]|[a-zA-Z][.)]|[①-⑳]|"
                    r"第[0-9０-９一二三四五六七八九十百]+[条項号]|[一二三四五六七八九十]+[、．.])\s*")


def _keys(clause: dict[str, Any], last: bool = False) -> list[str]:
    """Words that identify a clause's first (or last) paragraph, most specific first.

    The whole start of the line; the same without a typed label that Word may hold as automatic numbering
    instead ("1. ", "(a)"); then shorter prefixes, for a paragraph that was merged or split differently.
    """
    text = clause.get("text", "") or clause.get("heading", "") or clause.get("number", "")
    lines = [line for line in text.split("\n") if _norm(line)]
    if not lines:
        return []
    line = lines[-1] if last else lines[0]
    cells = [c for c in line.split(" | ") if _norm(c)] or [line]
    cell = cells[-1] if last else cells[0]
    if last:
        return [_norm(cell)[-60:]]
    keys = [_norm(cell)[:60], _norm(_LABEL.sub("", cell, count=1))[:60]]
    keys += [k[:n] for k in keys[:2] for n in (24, 12) if len(k) > n]
    return [k for k in dict.fromkeys(keys) if k]


def map_clauses(document, clauses: list[dict[str, Any]]) -> dict[str, tuple[Any, Any]]:
    """Clause id to its first and last w:p in the document, for the clauses that can be found.

    Clauses come in document order, so the search moves forward from the last match; a short key (a table cell,
    a one-word heading, a shortened prefix) is only looked for close by, and a clause not found ahead is looked
    for from the start.
    """
    paragraphs = _body_paragraphs(document)
    keys = [_norm(_paragraph_text(p)) for p in paragraphs]
    found: dict[str, tuple[Any, Any]] = {}
    cursor = 0
    for clause in clauses:
        start = None
        for n, key in enumerate(_keys(clause)):
            near = len(key) < 8 or n >= 2  # short, or a shortened prefix: only close to where we are
            start = _search(keys, key, cursor, cursor + 40 if near else len(keys))
            if start is None and not near:
                start = _search(keys, key, 0, cursor)
            if start is not None:
                break
        if start is None:
            continue
        if start >= cursor:
            cursor = start
        end = start
        if "\n" in clause.get("text", "").strip():
            last = _keys(clause, last=True)
            if last:
                hit = _search(keys, last[0], start, min(len(keys), start + clause["text"].count("\n") + 20))
                end = hit if hit is not None else start
        found[clause["id"]] = (paragraphs[start], paragraphs[end])
    return found


def _search(keys: list[str], key: str, lo: int, hi: int) -> int | None:
    for i in range(max(lo, 0), min(hi, len(keys))):
        if key in keys[i]:
            return i
    return None


def _runs(p) -> list:
    """The paragraph's own runs with visible text (a run-less paragraph gets one empty run to anchor on)."""
    runs = [r for r in p.iter(_R) if not _excluded(r, p)]
    with_text = [r for r in runs if any(child.tag == _T and child.text for child in r)]
    if with_text:
        return with_text
    if runs:
        return runs
    r = OxmlElement("w:r")
    p.append(r)
    return [r]


# --------------------------------------------------------------------------------------------------------------
# A new document for PDF and text input


def _rebuild(report: dict[str, Any], clauses: Clauses, problem: str = "") -> tuple[Any, dict[str, tuple[Any, Any]]]:
    """The extracted contract as a document: clause numbers, headings and text, one paragraph per line."""
    lang = clauses.lang
    lab = labels(lang)
    contract_lang = report.get("source", {}).get("language", lang)
    document = docx.Document()
    _set_style_fonts(document, contract_lang == "ja" or lang == "ja")
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    note = lab["extracted_note"].format(name=source_name(report))
    if problem:
        note += f" ({problem})"
    run = _add_text(document.add_paragraph(), note)
    run.italic, run.font.size, run.font.color.rgb = True, Pt(8.5), GREY
    title = report.get("contract", {}).get("title") or ""
    title_clause = next((c["id"] for c in clauses.list if title and c.get("heading") == title), None)
    if title_clause is None:
        _add_text(document.add_paragraph(style="Title"), title or source_name(report))
    anchors: dict[str, tuple[Any, Any]] = {}
    for clause in clauses.list:
        depth = min(clauses.depth(clause["id"]), 6)
        number, heading, text = clause.get("number", ""), clause.get("heading", ""), clause.get("text", "")
        lines = [line for line in text.split("\n") if line.strip()]
        commentary = clause.get("kind") == "commentary"
        made = []
        if (heading or clause.get("kind") == "heading") and depth == 0 and not commentary:
            p = document.add_paragraph(style="Title" if clause["id"] == title_clause else "Heading 2")
            _add_text(p, " ".join(x for x in (number, heading) if x))
            made.append(p)
            number = heading = ""
        for i, line in enumerate(lines or ([""] if number or heading else [])):
            p = document.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.75 * depth)
            p.paragraph_format.space_after = Pt(4)
            if i == 0 and commentary:
                label = _add_text(p, f"[{lab['commentary_note']}] ")
                label.font.size = Pt(8)
            if i == 0 and number:
                _add_text(p, number + ("\u3000" if _CJK.search(number) else "  ")).bold = True
            if i == 0 and heading:
                _add_text(p, heading + ("\u3000" if _CJK.search(heading) else ". ")).bold = True
            if line:
                _add_text(p, line)
            if commentary:
                for r in p.runs:
                    r.italic, r.font.color.rgb = True, GREY
            made.append(p)
        if made:
            anchors[clause["id"]] = (made[0]._p, made[-1]._p)
    return document, anchors


def _set_style_fonts(document, japanese: bool) -> None:
    """Contract fonts on the styles: Mincho for body text, Gothic for headings, East Asian font always set."""
    body_latin = MINCHO if japanese else "Times New Roman"
    head_latin = GOTHIC if japanese else "Arial"
    for name, latin, east, size in (("Normal", body_latin, MINCHO, 10.5), ("Title", head_latin, GOTHIC, 16),
                                    ("Heading 1", head_latin, GOTHIC, 14), ("Heading 2", head_latin, GOTHIC, 11.5),
                                    ("Heading 3", head_latin, GOTHIC, 11)):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        rpr = style.element.get_or_add_rPr()
        _fonts(rpr, latin, east)
        style.font.size = Pt(size)
        if name != "Normal":
            style.font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)
        if japanese:
            lang_el = rpr.find(qn("w:lang"))
            if lang_el is None:
                lang_el = OxmlElement("w:lang")
                later = next((c for c in rpr if c.tag in {qn("w:eastAsianLayout"), qn("w:specVanish"), qn("w:oMath")}), None)
                if later is not None:
                    later.addprevious(lang_el)
                else:
                    rpr.append(lang_el)
            lang_el.set(qn("w:eastAsia"), "ja-JP")
    title = document.styles["Title"]
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _fonts(rpr, latin: str | None, east: str) -> None:
    """Set w:rFonts (theme fonts removed, which would otherwise win)."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    if latin:
        rfonts.set(qn("w:ascii"), latin)
        rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east)


def _add_text(paragraph, text: str, east: str = MINCHO) -> Run:
    """A run of clean text whose Japanese characters use an East Asian font."""
    run = paragraph.add_run(clean(text))
    _fonts(run._r.get_or_add_rPr(), None, east)
    if _CJK.search(text):
        run._r.get_or_add_rPr().find(qn("w:rFonts")).set(qn("w:hint"), "eastAsia")
    return run


# --------------------------------------------------------------------------------------------------------------
# Comments and the gap summary


def _header(finding: dict[str, Any], lab: dict[str, Any], lang: str) -> str:
    status = lab["status"].get(finding.get("status"), finding.get("status", ""))
    severity = lab["severity"].get(finding.get("severity"), finding.get("severity", ""))
    title = finding["title"]
    if lang == "ja":
        return f"【{status}・{lab['severity_label']} {severity}】{title}"
    return f"[{status} · {lab['severity_label']} {severity.lower()}] {title}"


def _annotate(document, anchors: dict[str, tuple[Any, Any]], findings: list[dict[str, Any]], clauses: Clauses) -> int:
    """One comment per finding and clause concerned (up to MAX_ANCHORS clauses); returns how many were placed."""
    lang = clauses.lang
    lab = labels(lang)
    colon = lab["colon"]
    placed = 0
    body = document._body
    for finding in findings:
        status = finding.get("status")
        if status == "not_applicable":
            continue
        ids = [cid for cid in finding_clause_ids(finding, clauses.by_id) if cid in anchors]
        ids = ids[:1] if status == "present" else ids[:MAX_ANCHORS]
        for n, cid in enumerate(ids):
            first_p, last_p = anchors[cid]
            first_runs, last_runs = _runs(first_p), _runs(last_p)
            start = Run(first_runs[0], Paragraph(first_p, body))
            end = Run(last_runs[-1], Paragraph(last_p, body))
            comment = document.add_comment([start, end], text="", author=AUTHOR, initials=INITIALS)
            head = _add_text(comment.paragraphs[0], _header(finding, lab, lang), GOTHIC)
            head.bold = True
            head.font.color.rgb = STATUS_COLOUR.get(status, GREY)
            if finding.get("message"):
                _add_text(comment.add_paragraph(), finding["message"])
            if status == "missing":
                _add_text(comment.add_paragraph(), lab["examined_here"]).italic = True
            if n == 0:
                if finding.get("rationale") and status != "present":
                    _add_text(comment.add_paragraph(), f"{lab['rationale']}{colon}{finding['rationale']}")
                if finding.get("suggestion"):
                    _add_text(comment.add_paragraph(), lab["suggestion"] + colon).bold = True
                    for line in finding["suggestion"].split("\n"):
                        _add_text(comment.add_paragraph(), line)
                basis = lab["basis"].get(finding.get("basis"), "")
                if basis:
                    _add_text(comment.add_paragraph(), f"{lab['basis_label']}{colon}{basis}").italic = True
            elif finding.get("suggestion"):
                _add_text(comment.add_paragraph(), lab["see_first"].format(ref=clauses.ref(ids[0]))).italic = True
            placed += 1
    return placed


def _para(document, indent: float = 0.0):
    """A new paragraph at the end, left-aligned and unindented whatever the document's Normal style says."""
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt.first_line_indent = Cm(0)
    fmt.left_indent = Cm(indent)
    return paragraph


def _heading(document, text: str, level: int):
    """A heading by direct formatting and outline level: a document's own heading styles may carry numbering
    ("ARTICLE 16") or a look meant for its articles."""
    paragraph = _para(document)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(14 if level == 1 else 10)
    paragraph.paragraph_format.space_after = Pt(6 if level == 1 else 3)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level - 1))
    ppr = paragraph._p.get_or_add_pPr()
    later = next((c for c in ppr if c.tag in {qn("w:divId"), qn("w:cnfStyle"), qn("w:rPr"), qn("w:sectPr"),
                                               qn("w:pPrChange")}), None)
    if later is not None:
        later.addprevious(outline)
    else:
        ppr.append(outline)
    run = _add_text(paragraph, text, GOTHIC)
    run.bold = True
    run.font.size = Pt(15 if level == 1 else 12)
    return paragraph, run


def _append_summary(document, report: dict[str, Any], findings: list[dict[str, Any]], clauses: Clauses) -> None:
    """The gap summary after the contract: red flags, missing and weak protections with suggested wording."""
    lang = clauses.lang
    lab = labels(lang)
    ja = lang == "ja"
    colon = lab["colon"]
    contract = report.get("contract", {})
    _para(document).add_run().add_break(WD_BREAK.PAGE)
    _heading(document, lab["gap_summary"], 1)
    side = lab["side"].get(contract.get("side"), contract.get("side", ""))
    title = contract.get("title") or source_name(report)
    _add_text(_para(document), f"{lab['contract']}{colon}{title}")
    intro = _para(document)
    _add_text(intro, lab["gap_intro"].format(side=side, counts=count_line(status_counts(findings), lang)))
    if contract.get("side_evidence"):
        why = _add_text(_para(document), f"{lab['why']}{colon}{contract['side_evidence']}")
        why.font.size, why.font.color.rgb = Pt(9), GREY
    gaps = [f for f in findings if f.get("status") in GAP_STATUSES]
    if not findings:
        _add_text(_para(document), lab["no_findings"])
    elif not gaps:
        _add_text(_para(document), lab["no_gaps"])
    for finding in gaps:
        paragraph, run = _heading(document, _header(finding, lab, lang), 2)
        run.font.color.rgb = STATUS_COLOUR.get(finding.get("status"), GREY)
        if finding.get("message"):
            _add_text(_para(document), finding["message"])
        refs = clauses.refs(finding) or lab["nothing_found"]
        name = lab["examined"] if finding.get("status") == "missing" else lab["clauses"]
        _add_text(_para(document), f"{name}{colon}{refs}")
        if finding.get("rationale"):
            why = _add_text(_para(document), f"{lab['rationale']}{colon}{finding['rationale']}")
            why.font.color.rgb = GREY
        if finding.get("suggestion"):
            label = _para(document)
            label.paragraph_format.keep_with_next = True
            _add_text(label, lab["suggestion"] + colon).bold = True
            for line in finding["suggestion"].split("\n"):
                p = _para(document, indent=0.8)
                p.paragraph_format.space_after = Pt(0)
                _shade(p)
                _add_text(p, line)
            _para(document)
    present = [f for f in findings if f.get("status") == "present"]
    if present:
        _heading(document, lab["present_list"], 2)
        for finding in present:
            refs = clauses.refs(finding, limit=6)
            text = finding["title"]
            _add_text(_para(document), f"・{text}（{refs}）" if ja and refs else f"• {text} ({refs})" if refs
                      else f"・{text}" if ja else f"• {text}")
    foot = _add_text(_para(document), generated_line(report, lang))
    foot.italic, foot.font.size, foot.font.color.rgb = True, Pt(8), GREY


def _shade(paragraph) -> None:
    """Light grey shading and a left rule, so suggested wording stands apart from the contract's own text."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for attr, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"), ("w:color", "9AA0A6")):
        left.set(qn(attr), value)
    borders.append(left)
    shading = OxmlElement("w:shd")
    for attr, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "F3F4F6")):
        shading.set(qn(attr), value)
    # schema order inside w:pPr: ... w:pBdr, w:shd, ... w:ind ...; insert before any later sibling
    later = {qn(t) for t in ("w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                             "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                             "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                             "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                             "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")}
    anchor = next((child for child in ppr if child.tag in later), None)
    if anchor is not None:
        anchor.addprevious(borders)
        anchor.addprevious(shading)
    else:
        ppr.append(borders)
        ppr.append(shading)

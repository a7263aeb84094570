"""Tests for reviewer.ingest.docx on real Word files built here with python-docx and edited with lxml/zipfile."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph
from lxml import etree

from reviewer.errors import ReviewerError
from reviewer.ingest import docx as docx_reader
from reviewer.ingest.docx import format_number, read_docx
from reviewer.model import Block

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBERING_PART = "word/numbering.xml"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

Parts = dict[str, bytes | Callable[[bytes], bytes] | None]


# ---------------------------------------------------------------------------------------------------------------
# Building real .docx files


def save(document: Document, tmp_path: Path, parts: Parts | None = None, name: str = "t.docx") -> bytes:
    """Save ``document``, then replace, edit (callable), add or drop (None) zip parts; write it and return bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    data = rezip(buffer.getvalue(), parts or {})
    (tmp_path / name).write_bytes(data)
    return data


def rezip(data: bytes, parts: Parts) -> bytes:
    """A copy of a zip with some parts replaced, edited, added or dropped."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            blob = src.read(name)
            if name in parts:
                change = parts[name]
                if change is None:
                    continue
                blob = change(blob) if callable(change) else change
            dst.writestr(name, blob)
        for name, change in parts.items():
            if name not in src.namelist() and isinstance(change, bytes):
                dst.writestr(name, change)
    return out.getvalue()


def xml(fragment: str) -> BaseOxmlElement:
    """A WordprocessingML element from markup using the w: prefix (the declaration is added here)."""
    return parse_xml(re.sub(r"^<([\w:]+)", lambda m: f"<{m.group(1)} {nsdecls('w')}", fragment, count=1))


def numbered(document: Document, text: str, num_id: int, ilvl: int = 0, style: str | None = None) -> Paragraph:
    """Add a paragraph carrying its own w:numPr."""
    paragraph = document.add_paragraph(text, style=style)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id
    return paragraph


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    """One w:lvl."""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:lvlText w:val="{text}"/><w:suff w:val="tab"/></w:lvl>')


def numbering_xml(abstracts: dict[int, str], nums: dict[int, str]) -> bytes:
    """numbering.xml from abstractNum bodies (by id) and w:num bodies (by numId)."""
    body = "".join(f'<w:abstractNum w:abstractNumId="{aid}">{levels}</w:abstractNum>'
                   for aid, levels in abstracts.items())
    body += "".join(f'<w:num w:numId="{nid}">{content}</w:num>' for nid, content in nums.items())
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    return f'{head}<w:numbering {nsdecls("w")}>{body}</w:numbering>'.encode()


def read(data: bytes, path: str = "t.docx") -> tuple[list[Block], int | None, list[str], list[str]]:
    """read_docx with a default file name."""
    return read_docx(data, path)


def texts(blocks: list[Block]) -> list[str]:
    """The blocks' texts."""
    return [b.text for b in blocks]


def labels(blocks: list[Block]) -> list[tuple[str, str]]:
    """(label, text) of each block."""
    return [(b.label, b.text) for b in blocks]


LEGAL = (level(0, "decimal", "%1.") + level(1, "decimal", "%1.%2") + level(2, "lowerLetter", "(%3)")
         + level(3, "lowerRoman", "(%4)"))


# ---------------------------------------------------------------------------------------------------------------
# Numbering


def test_multilevel_legal_numbering_restarts_under_a_new_top_level(tmp_path):
    document = docx.Document()
    for text, ilvl in [("Definitions", 0), ("Terms", 1), ("first", 2), ("one", 3), ("two", 3), ("second", 2),
                       ("More terms", 1), ("Licence", 0), ("Grant", 1), ("restarted", 2), ("again", 3)]:
        numbered(document, text, 1, ilvl)
    data = save(document, tmp_path, {NUMBERING_PART: numbering_xml({0: LEGAL}, {1: '<w:abstractNumId w:val="0"/>'})})
    blocks, *_ = read(data)
    assert labels(blocks) == [("1.", "Definitions"), ("1.1", "Terms"), ("(a)", "first"), ("(i)", "one"),
                              ("(ii)", "two"), ("(b)", "second"), ("1.2", "More terms"), ("2.", "Licence"),
                              ("2.1", "Grant"), ("(a)", "restarted"), ("(i)", "again")]
    assert [b.list_level for b in blocks] == [0, 1, 2, 3, 3, 2, 1, 0, 1, 2, 3]


def test_is_lgl_and_lvl_restart(tmp_path):
    abstract = (level(0, "upperRoman", "Article %1") + level(1, "decimalZero", "Section %1.%2", extra="<w:isLgl/>")
                + level(2, "lowerLetter", "(%3)", extra='<w:lvlRestart w:val="1"/>'))
    document = docx.Document()
    for text, ilvl in [("A", 0), ("B", 1), ("c", 2), ("D", 1), ("e", 2), ("F", 0), ("g", 2)]:
        numbered(document, text, 1, ilvl)
    data = save(document, tmp_path, {NUMBERING_PART: numbering_xml({0: abstract}, {1: '<w:abstractNumId w:val="0"/>'})})
    blocks, *_ = read(data)
    # Level 3 restarts only after level 1: a new Section continues (b), a new Article restarts (a).
    assert [b.label for b in blocks] == ["Article I", "Section 1.01", "(a)", "Section 1.02", "(b)", "Article II",
                                         "(a)"]


def test_japanese_formats(tmp_path):
    abstract = (level(0, "decimalFullWidth", "第%1条") + level(1, "decimalEnclosedCircle", "%2")
                + level(2, "japaneseCounting", "%3"))
    document = docx.Document()
    for text, ilvl in [("目的", 0), ("甲は", 1), ("乙は", 1), ("号一", 2), ("号二", 2), ("定義", 0), ("項", 1)]:
        numbered(document, text, 3, ilvl)
    data = save(document, tmp_path, {NUMBERING_PART: numbering_xml({0: abstract}, {3: '<w:abstractNumId w:val="0"/>'})})
    blocks, *_ = read(data)
    assert labels(blocks) == [("第１条", "目的"), ("①", "甲は"), ("②", "乙は"), ("一", "号一"), ("二", "号二"),
                              ("第２条", "定義"), ("①", "項")]


def test_style_linked_numbering_on_heading_styles(tmp_path):
    document = docx.Document()
    # Heading 1 names its level in numPr; Heading 2 names only the list, and the level's w:pStyle picks ilvl 1.
    for style_name, ilvl in (("Heading 1", 0), ("Heading 2", None)):
        num_pr = document.styles[style_name].element.get_or_add_pPr().get_or_add_numPr()
        if ilvl is not None:
            num_pr.get_or_add_ilvl().val = ilvl
        num_pr.get_or_add_numId().val = 5
    abstract = (level(0, "decimal", "Article %1", extra='<w:pStyle w:val="Heading1"/>')
                + level(1, "decimal", "%1.%2", extra='<w:pStyle w:val="Heading2"/>'))
    document.add_heading("Definitions", 1)
    document.add_heading("Terms", 2)
    document.add_paragraph("Body text is not numbered.")
    document.add_heading("Interpretation", 2)
    document.add_heading("Licence", 1)
    document.add_heading("Grant", 2)
    unnumbered = document.add_heading("Schedule", 1)
    unnumbered._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 0  # numId 0 switches it off
    data = save(document, tmp_path, {NUMBERING_PART: numbering_xml({0: abstract}, {5: '<w:abstractNumId w:val="0"/>'})})
    blocks, *_ = read(data)
    assert [(b.label, b.text, b.heading_level, b.style) for b in blocks] == [
        ("Article 1", "Definitions", 1, "Heading 1"), ("1.1", "Terms", 2, "Heading 2"),
        ("", "Body text is not numbered.", 0, "Normal"), ("1.2", "Interpretation", 2, "Heading 2"),
        ("Article 2", "Licence", 1, "Heading 1"), ("2.1", "Grant", 2, "Heading 2"), ("", "Schedule", 1, "Heading 1")]
    assert blocks[0].bold and not blocks[2].bold  # Heading 1 is bold through its style


def test_start_override_restarts_and_shared_abstract_continues(tmp_path):
    nums = {
        1: '<w:abstractNumId w:val="0"/>',
        2: '<w:abstractNumId w:val="0"/>',  # another instance of the same list: continues
        3: '<w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>',
        4: '<w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>',
    }
    document = docx.Document()
    for text, num_id in [("a", 1), ("b", 1), ("c", 2), ("d", 3), ("e", 3), ("f", 4), ("g", 4)]:
        numbered(document, text, num_id)
    data = save(document, tmp_path, {NUMBERING_PART: numbering_xml({0: level(0, "decimal", "%1.")}, nums)})
    blocks, *_ = read(data)
    assert [b.label for b in blocks] == ["1.", "2.", "3.", "1.", "2.", "5.", "6."]


def test_num_style_link_and_level_override(tmp_path):
    document = docx.Document()
    styles = document.styles.element
    styles.append(xml('<w:style w:type="numbering" w:styleId="ContractList"><w:name w:val="Contract List"/>'
                      '<w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>'))
    numbered(document, "linked one", 8)
    numbered(document, "linked two", 8, 1)
    numbered(document, "overridden", 9)
    abstracts = {
        0: '<w:styleLink w:val="ContractList"/>' + level(0, "upperRoman", "%1.") + level(1, "upperLetter", "%2)"),
        1: '<w:numStyleLink w:val="ContractList"/>',
        2: level(0, "decimal", "%1."),
    }
    nums = {7: '<w:abstractNumId w:val="0"/>', 8: '<w:abstractNumId w:val="1"/>',
            9: '<w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0">' + level(0, "ordinal", "%1 item", start=3)
               + "</w:lvlOverride>"}
    data = save(document, tmp_path, {NUMBERING_PART: numbering_xml(abstracts, nums)})
    blocks, *_ = read(data)
    assert [b.label for b in blocks] == ["I.", "A)", "3rd item"]


def test_bullets_and_numbering_from_list_styles(tmp_path):
    document = docx.Document()
    # The template's List Bullet and List Number styles carry numPr to a bullet list and a "%1." list.
    document.add_paragraph("a bullet", style="List Bullet")
    document.add_paragraph("first", style="List Number")
    document.add_paragraph("second", style="List Number")
    blocks, *_ = read(save(document, tmp_path))
    assert [(b.label, b.list_level, b.text) for b in blocks] == [("", 0, "a bullet"), ("1.", 0, "first"),
                                                                  ("2.", 0, "second")]


@pytest.mark.parametrize(("n", "fmt", "expected"), [
    (1, "decimal", "1"), (7, "decimalZero", "07"), (12, "decimalZero", "12"), (4, "upperRoman", "IV"),
    (9, "lowerRoman", "ix"), (1994, "upperRoman", "MCMXCIV"), (3, "lowerLetter", "c"), (27, "upperLetter", "AA"),
    (28, "lowerLetter", "bb"), (1, "ordinal", "1st"), (2, "ordinal", "2nd"), (3, "ordinal", "3rd"),
    (11, "ordinal", "11th"), (22, "ordinal", "22nd"), (3, "cardinalText", "Three"), (21, "cardinalText", "Twenty-one"),
    (2, "ordinalText", "Second"), (20, "ordinalText", "Twentieth"), (12, "decimalFullWidth", "１２"),
    (5, "decimalFullWidth2", "５"), (5, "decimalHalfWidth", "5"), (1, "decimalEnclosedCircle", "①"),
    (20, "decimalEnclosedCircle", "⑳"), (21, "decimalEnclosedCircle", "(21)"),
    (2, "decimalEnclosedCircleChinese", "②"), (1, "decimalEnclosedParen", "⑴"), (1, "decimalEnclosedFullstop", "⒈"),
    (1, "aiueo", "ｱ"), (3, "aiueoFullWidth", "ウ"), (1, "iroha", "ｲ"), (3, "irohaFullWidth", "ハ"),
    (10, "ideographDigital", "一〇"), (1, "japaneseCounting", "一"), (10, "japaneseCounting", "十"),
    (11, "japaneseCounting", "十一"), (20, "japaneseCounting", "二十"), (105, "japaneseCounting", "百五"),
    (10, "japaneseLegal", "壱拾"), (3, "japaneseLegal", "参"), (12345, "japaneseDigitalTenThousand", "一万二三四五"),
    (3, "chineseCounting", "三"), (1, "ideographTraditional", "甲"), (4, "ideographTraditional", "丁"),
    (1, "ideographZodiac", "子"), (3, "bullet", ""), (3, "none", ""), (3, "someFutureFormat", "3"),
])
def test_format_number(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_custom_zero_padded_format_in_alternate_content(tmp_path):
    custom = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><mc:AlternateContent '
              'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
              'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><mc:Choice Requires="w14">'
              '<w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice><mc:Fallback>'
              '<w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent><w:lvlText w:val="%1"/></w:lvl>')
    document = docx.Document()
    numbered(document, "padded", 4)
    data = save(document, tmp_path, {NUMBERING_PART: numbering_xml({0: custom}, {4: '<w:abstractNumId w:val="0"/>'})})
    assert read(data)[0][0].label == "001"


# ---------------------------------------------------------------------------------------------------------------
# Text, tracked changes, other parts


def test_tracked_insertions_in_deletions_out(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("The Licensee ")
    paragraph._p.append(xml('<w:ins w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r><w:t>shall</w:t></w:r>'
                            '</w:ins>'))
    paragraph._p.append(xml('<w:del w:id="2" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r>'
                            '<w:delText>may</w:delText></w:r></w:del>'))
    paragraph._p.append(xml('<w:r><w:t xml:space="preserve"> pay</w:t></w:r>'))
    paragraph._p.append(xml('<w:moveFrom w:id="3" w:author="A"><w:r><w:t> promptly</w:t></w:r></w:moveFrom>'))
    paragraph._p.append(xml('<w:moveTo w:id="4" w:author="A"><w:r><w:t> royalties</w:t></w:r></w:moveTo>'))
    paragraph.add_run(".")
    # A paragraph whose mark is deleted merges into the next one when the deletion is accepted.
    joined = document.add_paragraph("Payment is due ")
    joined._p.get_or_add_pPr().append(xml('<w:rPr><w:del w:id="5" w:author="A"/></w:rPr>'))
    document.add_paragraph("within 30 days.")
    gone = document.add_paragraph()
    gone._p.append(xml('<w:del w:id="6" w:author="A"><w:r><w:delText>Deleted clause.</w:delText></w:r></w:del>'))
    gone._p.get_or_add_pPr().append(xml('<w:rPr><w:del w:id="7" w:author="A"/></w:rPr>'))
    document.add_paragraph("Last.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "kept", "row"
    table.cell(1, 0).text, table.cell(1, 1).text = "deleted", "row"
    table.rows[1]._tr.get_or_add_trPr().append(xml('<w:del w:id="8" w:author="A"/>'))
    data = save(document, tmp_path)
    blocks, _, _, notes = read(data)
    assert texts(blocks) == ["The Licensee shall pay royalties.", "Payment is due within 30 days.", "Last.",
                             "kept | row"]
    assert "tracked changes read as accepted (insertions in, deletions out)" in notes
    assert not any(b.gap_before for b in blocks[:3])  # a merged or vanished paragraph is not a blank line


def test_run_on_text_before_a_table_or_at_the_end_is_kept(tmp_path):
    document = docx.Document()
    before = document.add_paragraph("Text whose mark was deleted")
    before._p.get_or_add_pPr().append(xml('<w:rPr><w:del w:id="1" w:author="A"/></w:rPr>'))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "a", "b"
    last = document.add_paragraph("Final run-on")
    last._p.get_or_add_pPr().append(xml('<w:rPr><w:del w:id="2" w:author="A"/></w:rPr>'))
    blocks, *_ = read(save(document, tmp_path))
    assert texts(blocks) == ["Text whose mark was deleted", "a | b", "Final run-on"]


def test_no_tracked_note_without_changes(tmp_path):
    document = docx.Document()
    document.add_paragraph("Plain.")
    _, pages, warnings, notes = read(save(document, tmp_path))
    assert (pages, warnings, notes) == (None, [], [])


def test_header_footer_comment_text_never_in_blocks(tmp_path):
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "HEADER CONFIDENTIAL DRAFT"
    section.footer.paragraphs[0].text = "FOOTER PAGE TEXT"
    paragraph = document.add_paragraph("The Recipient shall keep the information secret.")
    document.add_comment(paragraph.runs, text="COMMENT: too broad?", author="Reviewer", initials="R")
    document.add_paragraph("Second clause.")
    blocks, _, _, notes = read(save(document, tmp_path))
    assert texts(blocks) == ["The Recipient shall keep the information secret.", "Second clause."]
    joined = "\n".join(texts(blocks))
    for secret in ("HEADER", "FOOTER", "COMMENT"):
        assert secret not in joined
    assert "1 Word comment ignored" in notes


def test_table_rows_in_reading_order_with_nested_table(tmp_path):
    document = docx.Document()
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=3, cols=3)
    for col, text in enumerate(["Item", "Fee", "Due"]):
        table.cell(0, col).text = text
    table.cell(1, 0).text = "Initial fee"
    table.cell(1, 1).paragraphs[0].text = "USD 100"
    table.cell(1, 1).add_paragraph("net")
    nested = table.cell(1, 2).add_table(rows=1, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "30 days", "after signing"
    document.add_paragraph("After the table.")
    blocks, *_ = read(save(document, tmp_path))
    # The nested table's cells are flattened into the cell; the empty third row is skipped.
    assert texts(blocks) == ["Before the table.", "Item | Fee | Due",
                             "Initial fee | USD 100 net | 30 days | after signing", "After the table."]
    assert [b.in_table for b in blocks] == [False, True, True, False]


def test_blank_paragraphs_become_gap_before(tmp_path):
    document = docx.Document()
    for text in ["First", "", "   ", "Second", "Third"]:
        document.add_paragraph(text)
    blocks, *_ = read(save(document, tmp_path))
    assert [(b.text, b.gap_before) for b in blocks] == [("First", False), ("Second", True), ("Third", False)]


def test_style_bold_centered_and_headings(tmp_path):
    document = docx.Document()
    document.add_paragraph("AGREEMENT", style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    bold = document.add_paragraph()
    bold.add_run("All bold ").bold = True
    bold.add_run("  ")  # whitespace runs do not count
    bold.add_run("text").bold = True
    mixed = document.add_paragraph()
    mixed.add_run("Partly ").bold = True
    mixed.add_run("bold")
    document.add_heading("Second level", 2)
    outline = document.add_paragraph("Outline level 3")
    outline._p.get_or_add_pPr().append(xml('<w:outlineLvl w:val="2"/>'))
    not_bold = document.add_heading("Unbolded heading", 1)
    not_bold.runs[0].bold = False
    blocks, *_ = read(save(document, tmp_path))
    assert [(b.text, b.style, b.heading_level, b.bold, b.centered) for b in blocks] == [
        ("AGREEMENT", "Title", 1, False, True), ("All bold   text", "Normal", 0, True, False),
        ("Partly bold", "Normal", 0, False, False), ("Second level", "Heading 2", 2, True, False),
        ("Outline level 3", "Normal", 3, False, False), ("Unbolded heading", "Heading 1", 1, False, False)]


def test_special_characters_fields_and_text_boxes(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph._p.append(xml('<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t>'
                            '<w:softHyphen/><w:t>e</w:t><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>'))
    fields = document.add_paragraph("See clause ")
    for run in ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r><w:instrText> REF _Ref1 \\h </w:instrText></w:r>',
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', "<w:r><w:t>4.2</w:t></w:r>",
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>', "<w:r><w:t>.</w:t></w:r>"):
        fields._p.append(xml(run))
    anchored = document.add_paragraph("Anchor paragraph.")
    anchored._p.append(xml(
        '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Box text.</w:t></w:r></w:p>'
        '</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>'
        '<w:t>Box text.</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
    ruby = document.add_paragraph()
    ruby._p.append(xml('<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>こうしゃ</w:t></w:r></w:rt><w:rubyBase><w:r>'
                       '<w:t>甲社</w:t></w:r></w:rubyBase></w:ruby></w:r>'))
    blocks, *_ = read(save(document, tmp_path))
    assert texts(blocks) == ["a\tb\nc-de☑", "See clause 4.2.", "Anchor paragraph.", "Box text.", "甲社"]


def test_content_controls_are_read_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("One.")
    body = document.element.body
    sdt = xml('<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Two, in a control.</w:t></w:r></w:p>'
              '</w:sdtContent></w:sdt>')
    body.insert(len(body) - 1, sdt)  # before w:sectPr
    inline = document.add_paragraph("Three ")
    inline._p.append(xml('<w:sdt><w:sdtContent><w:r><w:t>inline</w:t></w:r></w:sdtContent></w:sdt>'))
    blocks, *_ = read(save(document, tmp_path))
    assert texts(blocks) == ["One.", "Two, in a control.", "Three inline"]


def test_pages_and_page_numbers(tmp_path):
    document = docx.Document()
    document.add_paragraph("Page one.")
    second = document.add_paragraph()
    second._p.append(xml('<w:r><w:lastRenderedPageBreak/><w:t>Page two.</w:t></w:r>'))
    document.add_paragraph("Still two.")
    app = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats'
           b'.org/officeDocument/2006/extended-properties"><Pages>2</Pages><Words>5</Words></Properties>')
    blocks, pages, _, _ = read(save(document, tmp_path, {"docProps/app.xml": app}))
    assert pages == 2
    assert [b.page for b in blocks] == [1, 2, 2]


def test_explicit_page_breaks_when_never_rendered(tmp_path):
    document = docx.Document()
    document.add_paragraph("One.")
    document.add_page_break()
    document.add_paragraph("Two.")
    blocks, pages, _, _ = read(save(document, tmp_path))
    assert pages is None  # python-docx's template statistics (1 page, 0 words) are not believed
    assert [b.page for b in blocks] == [1, 2]


def test_unknown_pages_leave_page_none(tmp_path):
    document = docx.Document()
    document.add_paragraph("Only.")
    blocks, pages, _, _ = read(save(document, tmp_path))
    assert pages is None and blocks[0].page is None


# ---------------------------------------------------------------------------------------------------------------
# Package handling and refusals


def _macro_enabled(blob: bytes) -> bytes:
    return blob.replace(b"wordprocessingml.document.main+xml", b"PLACEHOLDER").replace(
        b"application/vnd.openxmlformats-officedocument.PLACEHOLDER",
        b"application/vnd.ms-word.document.macroEnabled.main+xml").replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')


def _vba_rel(blob: bytes) -> bytes:
    return blob.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/'
                        b'2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')


def test_docm_is_read_with_a_note(tmp_path):
    document = docx.Document()
    document.add_paragraph("Macro document text.")
    data = save(document, tmp_path, {"[Content_Types].xml": _macro_enabled, "word/_rels/document.xml.rels": _vba_rel,
                                     "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really a VBA project"},
                name="t.docm")
    with pytest.raises(ValueError):
        docx.Document(io.BytesIO(data))  # python-docx alone refuses the macro-enabled content type
    blocks, _, _, notes = read(data, "t.docm")
    assert texts(blocks) == ["Macro document text."]
    assert "macro-enabled document (.docm): read as text; macros were not run or read" in notes


def test_doctype_is_refused(tmp_path):
    document = docx.Document()
    document.add_paragraph("x")
    evil = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>'
    for part in ("word/document.xml", "customXml/item1.xml"):
        data = save(document, tmp_path, {part: evil})
        with pytest.raises(ReviewerError, match="refused: DOCX contains a DOCTYPE declaration"):
            read(data)
    lower = save(document, tmp_path, {"word/settings.xml": lambda b: b.replace(b"?>", b"?><!doctype x>", 1)})
    with pytest.raises(ReviewerError, match="DOCTYPE"):
        read(lower)


def test_zip_bomb_ratio_is_refused(tmp_path):
    document = docx.Document()
    document.add_paragraph("x")
    data = save(document, tmp_path, {"word/media/zeros.bin": bytes(8 * 1024 * 1024)})
    with pytest.raises(ReviewerError, match=r"zeros\.bin expands \d+ times .*zip bomb"):
        read(data)


def test_total_size_and_entry_limits(tmp_path, monkeypatch):
    document = docx.Document()
    document.add_paragraph("x")
    data = save(document, tmp_path, {"word/media/zeros.bin": bytes(3 * 1024 * 1024)})
    monkeypatch.setattr(docx_reader, "MAX_RATIO", 10_000)
    assert texts(read(data)[0]) == ["x"]
    monkeypatch.setattr(docx_reader, "MAX_TOTAL_BYTES", 2 * 1024 * 1024)
    with pytest.raises(ReviewerError, match=r"refused: DOCX would expand to 4 MB \(zip bomb\?\)"):
        read(data)
    monkeypatch.setattr(docx_reader, "MAX_TOTAL_BYTES", 200 * 1024 * 1024)
    monkeypatch.setattr(docx_reader, "MAX_ENTRIES", 5)
    with pytest.raises(ReviewerError, match="parts"):
        read(data)


def test_encrypted_entry_is_refused(tmp_path):
    document = docx.Document()
    document.add_paragraph("x")
    data = bytearray(save(document, tmp_path))
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x01  # general purpose flag bit 0: encrypted
    with pytest.raises(ReviewerError, match="encrypted"):
        read(bytes(data))


@pytest.mark.parametrize(("mangle", "reason"), [
    (lambda data: data[: len(data) // 2], "not a valid Word file (damaged zip)"),
    (lambda data: b"PK\x03\x04" + b"\x00" * 200, "not a valid Word file (damaged zip)"),
    (lambda data: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "password-protected"),
    (lambda data: rezip(data, {"word/document.xml": None}), "not a Word document (no word/document.xml)"),
    (lambda data: rezip(data, {"word/document.xml": b"<w:document"}), "not a valid Word file"),
    (lambda data: rezip(data, {"[Content_Types].xml": lambda b: b.replace(
        b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")}), "not a Word document"),
])
def test_broken_files_give_one_line_errors(tmp_path, mangle, reason):
    document = docx.Document()
    document.add_paragraph("x")
    with pytest.raises(ReviewerError) as info:
        read(mangle(save(document, tmp_path)), "broken.docx")
    message = str(info.value)
    assert reason in message and message.startswith("broken.docx: ") and "\n" not in message


def test_read_document_dispatches_docx(tmp_path):
    from reviewer.ingest import read_document

    document = docx.Document()
    document.add_paragraph("Through the front door.")
    path = tmp_path / "front.docx"
    path.write_bytes(save(document, tmp_path))
    raw = read_document(path)
    assert raw.format == "docx" and raw.blocks[0].text == "Through the front door."


def test_hundred_pages_read_quickly(tmp_path):
    document = docx.Document()
    for i in range(3000):
        if i % 30 == 0:
            numbered(document, f"Article {i}", 1, 0)
        else:
            numbered(document, f"Clause text number {i} with some words to make a line of contract prose.", 1, 1)
    data = save(document, tmp_path, {NUMBERING_PART: numbering_xml({0: LEGAL}, {1: '<w:abstractNumId w:val="0"/>'})})
    start = time.perf_counter()
    blocks, *_ = read(data)
    elapsed = time.perf_counter() - start
    assert len(blocks) == 3000 and blocks[-1].label == "100.29"
    assert elapsed < 3.0  # typically ~0.3 s; generous so a loaded machine does not fail it


# ---------------------------------------------------------------------------------------------------------------
# Real files


def _part_texts(data: bytes, prefixes: tuple[str, ...]) -> list[str]:
    """Every w:t text in the parts whose names start with one of ``prefixes`` (headers, footers, ...)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith(prefixes):
                root = etree.fromstring(zf.read(name))
                found.extend(t.text.strip() for t in root.iter(f"{{{W_NS}}}t") if t.text and t.text.strip())
    return found


@pytest.mark.data
def test_jpo_model_contracts():
    folder = DATA / "jpo_model_contracts"
    files = sorted(folder.glob("*.docx"))
    if not files:
        pytest.skip(f"../shared/data not found: {folder}")
    assert len(files) == 8
    for path in files:
        data = path.read_bytes()
        blocks, pages, warnings, _ = read_docx(data, path)
        assert len(blocks) > 100, path.name
        assert any(b.text.startswith("第1条") for b in blocks), path.name
        assert pages and pages > 5 and warnings == []
        assert all(b.page is not None and 1 <= b.page <= pages + 1 for b in blocks)
        hidden = set(_part_texts(data, ("word/header", "word/footer", "word/footnotes", "word/endnotes")))
        assert not hidden & {b.text.strip() for b in blocks}, path.name
        # The commentary lists are Word numbering: "1." ... and circled numbers, rebuilt in order.
        numbered_labels = [b.label for b in blocks if b.label]
        assert numbered_labels, path.name
        assert all(not b.text.startswith(b.label) for b in blocks if b.label)
        circled = [b.label for b in blocks if b.label and b.label in "①②③④⑤⑥⑦⑧⑨⑩"]
        assert circled[0] == "①", path.name


def test_example_technology_licence():
    path = EXAMPLES / "technology_licence.docx"
    if not path.exists():
        pytest.skip(f"example not found: {path}")
    blocks, *_ = read_docx(path.read_bytes(), path)
    found = {b.label for b in blocks}
    assert {"ARTICLE 1", "1.1", "(a)", "ARTICLE 15"} <= found
    assert not any("CONFIDENTIAL – Draft" in b.text for b in blocks)

"""Generate the bundled sample contracts in ``examples/``.

Writes four files next to this script:

* ``technology_licence.docx`` / ``technology_licence.pdf`` - an English
  TECHNOLOGY LICENSE AGREEMENT whose article and clause numbers are Word
  automatic numbering (``w:numPr`` on the paragraphs, one multilevel legal list
  in ``numbering.xml``), so the labels ("ARTICLE 3", "3.2", "(a)", "(i)") are
  *not* part of the paragraph text;
* ``jissi_kyodaku.docx`` / ``jissi_kyodaku.pdf`` - a Japanese
  特許及びノウハウ実施許諾契約書 with the numbers typed as text (第1条, ２, （1）, 一, ①),
  as most Japanese contracts are.

Both DOCX files carry a running header and a page-number footer (PAGE field),
so the PDFs have headers/footers that a reader has to strip.

All parties, people, addresses, patent numbers and amounts are fictitious and the
text was written for this project.  ``README.md`` beside this script is the
answer key (which protections are present, weak, missing or red flags).

Usage::

    python examples/make_examples.py            # DOCX, plus PDF if soffice is found
    python examples/make_examples.py --no-pdf   # DOCX only

Requirements: python-docx (and lxml, which it depends on).  The PDFs are made
with LibreOffice headless (``soffice --headless --convert-to pdf``); on Debian
``apt-get install -y libreoffice-writer-nogui fonts-noto-cjk`` provides it and
the Japanese fonts (the Japanese PDF needs a CJK font or it shows tofu).  Set
``SOFFICE=/path/to/soffice`` to use a particular binary.

The DOCX output is byte-for-byte deterministic (fixed core properties and zip
timestamps).  The PDFs are normalised after conversion (creation date and
document ID replaced by fixed values of the same length), so they are
deterministic for a given LibreOffice version and font set.
"""

# The contract text is data: long string lines are kept whole so the clauses stay readable.
# ruff: noqa: E501

from __future__ import annotations

import argparse
import datetime as _dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
FIXED_DATE = _dt.datetime(2025, 4, 1, 9, 0, 0)
ZIP_DATE = (2025, 4, 1, 9, 0, 0)
AUTHOR = "reviewer examples"

# Set to "Heading 1" to give the Japanese article headings a heading style too.
# By default they are bold Normal paragraphs, as in most Japanese contracts.
JA_HEADING_STYLE = None


# ---------------------------------------------------------------------------
# generic helpers
# ---------------------------------------------------------------------------


def _strip_theme_fonts(rpr_parent) -> None:
    """Remove theme font attributes so explicit font names take effect."""
    rfonts = rpr_parent.find(qn("w:rFonts"))
    if rfonts is None:
        return
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]


def _set_fonts(rpr, ascii_font: str, east_asia: str | None = None, lang_ea: str | None = None) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    _strip_theme_fonts(rpr)
    rfonts.set(qn("w:ascii"), ascii_font)
    rfonts.set(qn("w:hAnsi"), ascii_font)
    rfonts.set(qn("w:cs"), ascii_font)
    if east_asia:
        rfonts.set(qn("w:eastAsia"), east_asia)
    if lang_ea:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), lang_ea)


def _setup_styles(
    doc, *, font: str, size: float, east_asia: str | None = None, lang_ea: str | None = None, justify: bool = True
) -> None:
    styles = doc.styles
    # document defaults: drop theme fonts
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _set_fonts(rpr, font, east_asia, lang_ea)
    normal = styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), font, east_asia, lang_ea)
    normal.font.size = Pt(size)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing = 1.08 if east_asia is None else 1.0
    if justify:
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for name in ("Heading 1", "Title", "Header", "Footer"):
        st = styles[name]
        _set_fonts(st.element.get_or_add_rPr(), font, east_asia, lang_ea)
        st.font.color.rgb = RGBColor(0, 0, 0)
        theme = st.element.rPr.find(qn("w:color"))
        if theme is not None:
            for attr in ("w:themeColor", "w:themeShade"):
                if theme.get(qn(attr)) is not None:
                    del theme.attrib[qn(attr)]

    h1 = styles["Heading 1"]
    h1.font.size = Pt(size + 0.5)
    h1.font.bold = True
    h1.paragraph_format.space_before = Pt(12)
    h1.paragraph_format.space_after = Pt(6)
    h1.paragraph_format.keep_with_next = True
    h1.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    title = styles["Title"]
    ppr = title.element.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is not None:
        ppr.remove(bdr)
    title.font.size = Pt(16)
    title.font.bold = True
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(18)
    spacing = title.element.rPr.find(qn("w:spacing"))
    if spacing is not None:
        title.element.rPr.remove(spacing)


def _page_setup(doc) -> None:
    for section in doc.sections:
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        section.left_margin = Mm(25)
        section.right_margin = Mm(25)
        section.top_margin = Mm(25)
        section.bottom_margin = Mm(22)
        section.header_distance = Mm(12)
        section.footer_distance = Mm(10)


def _add_field(paragraph, instr: str, placeholder: str = "1") -> None:
    def fld(kind):
        r = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    fld("begin")
    r = paragraph.add_run()
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r._r.append(it)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def _header_footer(doc, header_text: str, footer_before: str, footer_after: str) -> None:
    section = doc.sections[0]
    hp = section.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = hp.add_run(header_text)
    run.italic = True
    run.font.size = Pt(9)
    fp = section.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run(footer_before).font.size = Pt(9)
    _add_field(fp, "PAGE")
    for r in fp.runs[1:]:
        r.font.size = Pt(9)
    if footer_after:
        fp.add_run(footer_after).font.size = Pt(9)


def _core_properties(doc, title: str, language: str) -> None:
    cp = doc.core_properties
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.title = title
    cp.subject = "Sample contract for the reviewer tool (fictitious)"
    cp.comments = "Fictitious sample written for the reviewer project. Generated by examples/make_examples.py."
    cp.keywords = "sample; technology licence; know-how"
    cp.language = language
    cp.created = FIXED_DATE
    cp.modified = FIXED_DATE
    cp.last_printed = FIXED_DATE
    cp.revision = 1


def _save_deterministic(doc, path: Path) -> None:
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, zin.read(info.filename))


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = parse_xml(
        f"<w:tblBorders {nsdecls('w')}>"
        + "".join(f'<w:{e} w:val="nil"/>' for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"
    )
    tbl_pr.append(borders)


def _set_col_widths(table, widths) -> None:
    table.autofit = False
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w


def _cell_text(cell, lines, *, bold_first=False, size=None) -> None:
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        p.paragraph_format.space_after = Pt(2)
        r = p.add_run(line)
        if bold_first and i == 0:
            r.bold = True
        if size:
            r.font.size = Pt(size)


# ---------------------------------------------------------------------------
# Word automatic numbering (multilevel legal list)
# ---------------------------------------------------------------------------

_LEVELS = [
    # (numFmt, lvlText, left, hanging, bold, suffix)
    ("decimal", "ARTICLE %1", 1700, 1700, True, "tab"),
    ("decimal", "%1.%2", 720, 720, False, "tab"),
    ("lowerLetter", "(%3)", 1440, 720, False, "tab"),
    ("lowerRoman", "(%4)", 2160, 720, False, "tab"),
    ("upperLetter", "(%5)", 2880, 720, False, "tab"),
    ("decimal", "%6.", 3600, 720, False, "tab"),
    ("lowerLetter", "%7.", 4320, 720, False, "tab"),
    ("lowerRoman", "%8.", 5040, 720, False, "tab"),
    ("decimal", "%9.", 5760, 720, False, "tab"),
]


def add_legal_numbering(doc) -> int:
    """Add a multilevel legal list to numbering.xml and return its numId."""
    numbering = doc.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id = max(abstract_ids, default=-1) + 1
    num_id = max(num_ids, default=0) + 1

    lvls = []
    for ilvl, (fmt, text, left, hanging, bold, suff) in enumerate(_LEVELS):
        rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
        lvls.append(
            f'<w:lvl w:ilvl="{ilvl}">'
            f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="{suff}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>'
            f'<w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>{rpr}</w:lvl>'
        )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:nsid w:val="6A1C3E52"/><w:multiLevelType w:val="multilevel"/>'
        '<w:tmpl w:val="0409001D"/><w:name w:val="Contract Articles"/>' + "".join(lvls) + "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    numbering.append(num)
    return num_id


def _set_num(paragraph, num_id: int, ilvl: int) -> None:
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = ilvl
    numpr.get_or_add_numId().val = num_id


# ---------------------------------------------------------------------------
# English: TECHNOLOGY LICENSE AGREEMENT
# ---------------------------------------------------------------------------
#
# Markup: ("art", key, HEADING) numbered article heading (level 0)
#         ("cl", level, key, run_in_heading_or_None, text) numbered clause, level 1-3
#         ("txt", text) unnumbered paragraph without indent
#         ("cont", level, text) unnumbered continuation paragraph at that level's indent
# References in text: {A:key} -> "Article N", {S:key} -> "Section N.M[(x)]", {N:key} -> "N.M"

EN_BODY = [
    ("art", "defs", "DEFINITIONS"),
    (
        "txt",
        "In this Agreement, the following capitalised terms have the meanings set out below. Words in the "
        "singular include the plural and vice versa, and headings are for convenience only.",
    ),
    (
        "cl",
        1,
        "def_affiliate",
        None,
        "\u201cAffiliate\u201d means, with respect to a party, any entity that directly or indirectly controls, is "
        "controlled by, or is under common control with that party, where \u201ccontrol\u201d means ownership of more "
        "than fifty percent (50%) of the voting shares or the power to appoint a majority of the board of directors.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "\u201cConfidential Information\u201d means the Know-How, the Technical Documentation and any other technical, "
        "commercial or financial information disclosed by or on behalf of Licensor to Licensee, whether before or "
        "after the Effective Date and in whatever form, including information observed by Licensee\u2019s personnel "
        "during visits to Licensor\u2019s facilities.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "\u201cContract Year\u201d means each consecutive period of twelve (12) months beginning on the Effective Date "
        "or on an anniversary of the Effective Date.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "\u201cEffective Date\u201d means the date on which this Agreement has been signed by both parties, as "
        "stated on the signature page.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "\u201cField\u201d means ceramic substrates for use in power semiconductor modules for automotive and "
        "industrial applications.",
    ),
    (
        "cl",
        1,
        "def_improvement",
        None,
        "\u201cImprovement\u201d means any modification, enhancement or development of the Licensed Technology or "
        "the Products, whether or not patentable, that is made or acquired by a party during the term of this "
        "Agreement.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "\u201cKnow-How\u201d means the unpatented technical information, data, processes, formulations, "
        "specifications and practical experience of Licensor relating to the manufacture of the Products, as "
        "described in Schedule B.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "\u201cLicensed Patents\u201d means the patents and patent applications listed in Schedule A, together with "
        "any divisionals, continuations, reissues and extensions thereof and any patents issuing therefrom.",
    ),
    ("cl", 1, None, None, "\u201cLicensed Technology\u201d means the Licensed Patents and the Know-How."),
    (
        "cl",
        1,
        None,
        None,
        "\u201cNet Selling Price\u201d means the gross amount invoiced by Licensee for the Products sold, leased or "
        "otherwise disposed of, less (a) trade discounts actually allowed, (b) value added tax and similar taxes "
        "separately invoiced, and (c) freight and insurance charges separately invoiced; where Products are "
        "transferred to an Affiliate or otherwise than at arm\u2019s length, the Net Selling Price shall be the price "
        "that would have been charged to an independent customer.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "\u201cPlant\u201d means Licensee\u2019s manufacturing facility located at Lot 12, Tuas Crescent Industrial "
        "Park, Singapore, and any additional facility in the Territory approved by Licensor in writing.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "\u201cProducts\u201d means silicon nitride ceramic substrates within the Field that are manufactured using the "
        "Licensed Technology, of the grades designated by Licensor as HS-N80 and HS-N90.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "\u201cTechnical Documentation\u201d means the drawings, specifications, process sheets, manuals and other "
        "documents embodying the Know-How that Licensor delivers to Licensee under this Agreement.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "\u201cTerritory\u201d means the Republic of Singapore for the manufacture of the Products, and the member "
        "states of the Association of Southeast Asian Nations for the sale of the Products.",
    ),
    ("art", "grant", "GRANT OF LICENSE"),
    (
        "cl",
        1,
        "grant_main",
        "Grant.",
        "Subject to the terms and conditions of this Agreement, Licensor hereby grants to Licensee a "
        "non-exclusive, non-transferable licence under the Licensed Technology, without the right to grant "
        "sublicences except as provided in {A:sub}, to:",
    ),
    ("cl", 2, None, None, "manufacture the Products at the Plant within the Field; and"),
    ("cl", 2, None, None, "use, offer for sale and sell the Products so manufactured in the Territory."),
    (
        "cl",
        1,
        None,
        "Restrictions.",
        "Licensee shall not use the Licensed Technology outside the Field or the Territory, nor for any product "
        "other than the Products, and shall not sell Products to any person whom Licensee knows or has reason to "
        "believe intends to resell them outside the Territory.",
    ),
    (
        "cl",
        1,
        None,
        "Reservation of Rights.",
        "All rights not expressly granted to Licensee under this Agreement are reserved to Licensor. Nothing in "
        "this Agreement shall be construed as conferring on Licensee, by implication, estoppel or otherwise, any "
        "licence or other right under any patent, know-how or other intellectual property of Licensor other than "
        "the Licensed Technology.",
    ),
    (
        "cl",
        1,
        "noncompete",
        "Competing Products.",
        "During the term of this Agreement, Licensee shall not, and shall procure that its Affiliates do not, "
        "manufacture or sell in the Territory any silicon nitride substrate that competes with the Products, "
        "other than the Products manufactured under this Agreement.",
    ),
    (
        "cl",
        1,
        None,
        "Marking.",
        "Licensee shall mark the Products and their packaging with the numbers of the Licensed Patents in "
        "accordance with the applicable laws of the Territory and shall not use the trade names or trademarks of "
        "Licensor without Licensor\u2019s prior written consent.",
    ),
    ("art", "sub", "SUBLICENSING"),
    (
        "cl",
        1,
        "sub_ban",
        None,
        "Except as provided in {S:sub_aff}, Licensee shall not grant any sublicence under the Licensed "
        "Technology, or subcontract the manufacture of the Products or any part of them, without the prior "
        "written consent of Licensor, which Licensor may withhold in its sole discretion.",
    ),
    (
        "cl",
        1,
        "sub_aff",
        None,
        "Licensee may grant sublicences under the Licensed Technology to any of its Affiliates without the "
        "consent of Licensor, provided that Licensee notifies Licensor in writing of the identity of the "
        "sublicensee within thirty (30) days after the sublicence is granted.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "Each sublicence shall be in writing and consistent with this Agreement. Licensee shall remain "
        "responsible for the performance of each sublicensee and shall be liable to Licensor for any act or "
        "omission of a sublicensee as if it were an act or omission of Licensee.",
    ),
    ("art", "disc", "DISCLOSURE OF KNOW-HOW"),
    (
        "cl",
        1,
        "disc_all",
        None,
        "Within sixty (60) days after the Effective Date, Licensor shall disclose to Licensee all Know-How "
        "necessary to manufacture the Products, including the Technical Documentation listed in Schedule B, "
        "in the English language.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "If Licensee reasonably demonstrates that any item of Know-How necessary to manufacture the Products "
        "to Licensor\u2019s specifications has not been disclosed, Licensor shall disclose that item within "
        "thirty (30) days after Licensee\u2019s written request.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "All Technical Documentation shall be marked \u201cConfidential\u201d and shall remain the property of "
        "Licensor. Licensee may make only such copies of the Technical Documentation as are reasonably necessary "
        "for the manufacture of the Products at the Plant, and each copy shall bear Licensor\u2019s confidentiality "
        "legend.",
    ),
    ("art", "ta", "TECHNICAL ASSISTANCE AND TRAINING"),
    (
        "cl",
        1,
        "ta_training",
        "Training at Licensor\u2019s Facility.",
        "Licensor shall provide training in the manufacture of the Products at its Seto Works in Aichi "
        "Prefecture, Japan, to not more than six (6) engineers of Licensee, for a period not exceeding twenty "
        "(20) working days in aggregate, on dates to be agreed by the parties.",
    ),
    ("cl", 1, "ta_trainees", "Trainees.", "Licensee shall ensure that each trainee:"),
    (
        "cl",
        2,
        None,
        None,
        "is a full-time employee of Licensee whose name, position and qualifications have been notified to and "
        "approved by Licensor not less than thirty (30) days before the training begins;",
    ),
    (
        "cl",
        2,
        None,
        None,
        "signs, before the training begins, a personal confidentiality undertaking in favour of Licensor in the "
        "form provided by Licensor; and",
    ),
    (
        "cl",
        2,
        None,
        None,
        "complies with Licensor\u2019s safety, security and site rules, and does not enter areas or take "
        "photographs, samples or copies of documents other than as authorised by Licensor\u2019s supervisor.",
    ),
    (
        "cl",
        1,
        "ta_onsite",
        "On-site Assistance.",
        "At Licensee\u2019s request, Licensor shall dispatch not more than two (2) engineers to the Plant to "
        "assist in the start-up of production, for a total of not more than thirty (30) man-days. Any further "
        "assistance shall be subject to Licensor\u2019s availability and to separate written agreement.",
    ),
    (
        "cl",
        1,
        None,
        "Costs.",
        "Licensee shall bear the travel, accommodation and living expenses of its trainees. For the assistance "
        "under {S:ta_onsite}, Licensee shall pay Licensor a per diem of eight hundred United States dollars "
        "(USD 800) per engineer per day, plus economy-class travel and reasonable accommodation expenses.",
    ),
    (
        "cl",
        1,
        None,
        "Recommended Suppliers.",
        "Licensor shall provide Licensee with a list of suppliers from whom raw materials and equipment meeting "
        "the specifications in the Technical Documentation may be obtained. Licensee shall procure all raw "
        "materials, components and equipment for the Products at its own cost and risk.",
    ),
    ("art", "roy", "ROYALTIES AND PAYMENTS"),
    (
        "cl",
        1,
        "roy_initial",
        "Initial Fee.",
        "In consideration of the disclosure of the Know-How, Licensee shall pay Licensor a non-refundable "
        "initial fee of four hundred thousand United States dollars (USD 400,000) within thirty (30) days "
        "after the Effective Date.",
    ),
    (
        "cl",
        1,
        "roy_running",
        "Running Royalty.",
        "Licensee shall pay Licensor a running royalty of five percent (5%) of the Net Selling Price of all "
        "Products sold or otherwise disposed of by Licensee and its sublicensees.",
    ),
    (
        "cl",
        1,
        "roy_min",
        "Minimum Royalty.",
        "If the running royalty payable for any Contract Year, starting with the second (2nd) Contract Year, is "
        "less than one hundred fifty thousand United States dollars (USD 150,000), Licensee shall pay Licensor "
        "the difference within sixty (60) days after the end of that Contract Year.",
    ),
    (
        "cl",
        1,
        None,
        "Currency and Manner of Payment.",
        "All payments shall be made in United States dollars by wire transfer to the bank account designated by "
        "Licensor. Amounts calculated in another currency shall be converted at the telegraphic transfer selling "
        "rate quoted by MUFG Bank, Ltd. in Tokyo on the last business day of the relevant calendar quarter.",
    ),
    (
        "cl",
        1,
        "roy_tax",
        "Taxes.",
        "If Licensee is required by the laws of the Territory to withhold tax from any payment to Licensor, "
        "Licensee may deduct the tax, shall pay it to the competent authority when due, and shall send Licensor "
        "an official tax receipt within thirty (30) days so that Licensor may claim a foreign tax credit.",
    ),
    (
        "cl",
        1,
        None,
        "Late Payment.",
        "Any amount not paid when due shall bear interest from the due date until the date of payment at the "
        "rate of one percent (1%) per month.",
    ),
    ("art", "rep", "REPORTS, RECORDS AND AUDIT"),
    (
        "cl",
        1,
        "rep_quarterly",
        None,
        "Within thirty (30) days after the end of each calendar quarter, Licensee shall send Licensor a written "
        "report, certified by its chief financial officer, stating for that quarter:",
    ),
    ("cl", 2, None, None, "the quantity of each grade of Products manufactured;"),
    (
        "cl",
        2,
        None,
        None,
        "the quantity of Products sold or otherwise disposed of, by country and by customer, and their gross "
        "invoiced amount and Net Selling Price; and",
    ),
    ("cl", 2, None, None, "the royalty payable, together with the calculation of any deduction, including:"),
    ("cl", 3, None, None, "the amount of any tax withheld under {S:roy_tax}; and"),
    (
        "cl",
        3,
        None,
        None,
        "the exchange rate applied to any amount invoiced in a currency other than United States dollars.",
    ),
    (
        "cl",
        1,
        "rep_books",
        None,
        "Licensee shall keep complete and accurate books and records of the manufacture and sale of the Products "
        "in sufficient detail to verify the royalties payable, and shall retain them for at least five (5) years "
        "after the end of the Contract Year to which they relate.",
    ),
    (
        "cl",
        1,
        "rep_audit",
        None,
        "Licensor, or an independent certified public accountant appointed by Licensor, may inspect and audit "
        "those books and records, and inspect the Plant to verify Licensee\u2019s compliance with this Agreement, "
        "during normal business hours upon fifteen (15) days\u2019 prior written notice, not more than once in any "
        "Contract Year. If an audit reveals an underpayment of more than five percent (5%) for any period, "
        "Licensee shall pay the cost of the audit in addition to the amount underpaid and interest.",
    ),
    ("art", "conf", "CONFIDENTIALITY"),
    ("cl", 1, "conf_main", None, "Licensee shall:"),
    ("cl", 2, None, None, "keep the Confidential Information strictly confidential;"),
    (
        "cl",
        2,
        "conf_use",
        None,
        "use the Confidential Information only for the manufacture and sale of the Products in accordance with "
        "this Agreement;",
    ),
    (
        "cl",
        2,
        None,
        None,
        "not disclose the Confidential Information to any third party, including any subcontractor, without "
        "the prior written consent of Licensor; and",
    ),
    (
        "cl",
        2,
        None,
        None,
        "protect the Confidential Information with at least the same degree of care as it uses for its own "
        "information of a similar nature, and in no event with less than reasonable care.",
    ),
    (
        "cl",
        1,
        "conf_staff",
        None,
        "Licensee may disclose Confidential Information only to those of its directors and employees, and to the "
        "directors and employees of a sublicensee permitted under {A:sub}, who need to know it for the purposes "
        "of this Agreement and who are bound by written obligations of confidentiality no less protective than "
        "those in this {A:conf}. Licensee shall be liable for any breach of those obligations by such persons.",
    ),
    (
        "cl",
        1,
        "conf_exceptions",
        None,
        "The obligations in {S:conf_main} shall not apply to information that Licensee can demonstrate by "
        "written records:",
    ),
    (
        "cl",
        2,
        None,
        None,
        "was in the public domain at the time of disclosure, or later enters the public domain through no fault "
        "of Licensee;",
    ),
    (
        "cl",
        2,
        None,
        None,
        "was lawfully in Licensee\u2019s possession before disclosure by Licensor, free of any obligation of "
        "confidence;",
    ),
    (
        "cl",
        2,
        None,
        None,
        "is lawfully obtained by Licensee from a third party who is entitled to disclose it without restriction; or",
    ),
    (
        "cl",
        2,
        None,
        None,
        "is independently developed by employees of Licensee who had no access to the Confidential Information.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "If Licensee is required by law, regulation or order of a competent court or authority to disclose any "
        "Confidential Information, Licensee shall give Licensor prompt written notice so that Licensor may seek a "
        "protective order, and shall disclose only that part of the Confidential Information that it is legally "
        "required to disclose.",
    ),
    (
        "cl",
        1,
        "conf_survival",
        None,
        "The obligations in this {A:conf} shall survive the expiration or termination of this Agreement for a "
        "period of three (3) years.",
    ),
    ("art", "imp", "IMPROVEMENTS"),
    (
        "cl",
        1,
        "imp_licensee",
        None,
        "All right, title and interest in any Improvement made by Licensee or its sublicensees, including any "
        "patent or patent application claiming it, shall vest in and be owned by Licensee. Licensee shall have "
        "no obligation to disclose such Improvement to Licensor or to grant Licensor any licence in respect of it.",
    ),
    (
        "cl",
        1,
        "imp_licensor",
        None,
        "Licensor may, at its discretion, inform Licensee of Improvements made by Licensor. Any such Improvement "
        "that Licensor elects to make available shall be licensed to Licensee on terms to be agreed in good faith "
        "and, once licensed, shall form part of the Licensed Technology.",
    ),
    ("art", "pat", "PATENTS AND INFRINGEMENT"),
    (
        "cl",
        1,
        None,
        None,
        "Licensor shall, at its own cost and discretion, prosecute and maintain the Licensed Patents. Licensor "
        "makes no representation or warranty as to the validity or scope of any Licensed Patent, or that the "
        "manufacture or sale of the Products will not infringe the rights of any third party.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "Licensee shall promptly notify Licensor of any infringement or suspected infringement of the Licensed "
        "Patents, or any unauthorised use or disclosure of the Know-How, that comes to its attention in the "
        "Territory. Licensor shall have the first right, but not the obligation, to bring proceedings in respect "
        "of any such infringement, and Licensee shall provide reasonable assistance at Licensor\u2019s expense.",
    ),
    (
        "cl",
        1,
        "pat_challenge",
        None,
        "Licensee shall not, directly or indirectly, contest the validity of any Licensed Patent or the "
        "confidential nature of the Know-How, or assist any third party in doing so.",
    ),
    ("art", "exp", "EXPORT CONTROL"),
    (
        "cl",
        1,
        "exp_comply",
        None,
        "Each party shall comply with the Foreign Exchange and Foreign Trade Act of Japan and all other export "
        "control laws and regulations applicable to the provision of the Licensed Technology, the Technical "
        "Documentation and the training under this Agreement. Licensor\u2019s obligations to disclose Know-How and "
        "to provide training are subject to Licensor obtaining any licence or approval required under those laws.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "Licensee shall not export, re-export or transfer the Technical Documentation, any Confidential "
        "Information or any Products to any country, entity or person, or for any end use, that is restricted "
        "under the export control laws of Japan or of the Territory, and shall provide Licensor with such "
        "end-use and end-user information as Licensor may reasonably request.",
    ),
    ("art", "term", "TERM AND TERMINATION"),
    (
        "cl",
        1,
        "term_term",
        "Term.",
        "This Agreement shall come into force on the Effective Date and, unless terminated earlier in accordance "
        "with this {A:term}, shall continue in force for a period of seven (7) years. Thereafter it may be renewed "
        "by written agreement of the parties.",
    ),
    (
        "cl",
        1,
        "term_breach",
        "Termination by Licensor.",
        "Licensor may terminate this Agreement with immediate effect by written notice to Licensee if:",
    ),
    (
        "cl",
        2,
        None,
        None,
        "Licensee commits a material breach of this Agreement and fails to remedy it within sixty (60) days "
        "after receiving written notice of the breach;",
    ),
    (
        "cl",
        2,
        None,
        None,
        "Licensee fails to pay any amount due under this Agreement within thirty (30) days after the due date;",
    ),
    ("cl", 2, "term_insolv", None, "Licensee:"),
    ("cl", 3, None, None, "becomes insolvent or is unable to pay its debts as they fall due;"),
    (
        "cl",
        3,
        None,
        None,
        "has a receiver, liquidator, judicial manager or similar officer appointed over all or a substantial part "
        "of its assets; or",
    ),
    (
        "cl",
        3,
        None,
        None,
        "passes a resolution for its winding up, other than for the purpose of a solvent reorganisation; or",
    ),
    ("cl", 2, None, None, "Licensee breaches {S:pat_challenge}."),
    (
        "cl",
        1,
        "term_conv",
        "Termination by Licensee for Convenience.",
        "Licensee may terminate this Agreement at any time, for any reason, by giving Licensor not less than "
        "ninety (90) days\u2019 prior written notice. Upon such termination Licensee shall have no further payment "
        "obligation under this Agreement, including any obligation to pay the Minimum Royalty under "
        "{S:roy_min} for the Contract Year in which the termination takes effect or for any later period.",
    ),
    (
        "cl",
        1,
        "term_effect",
        "Consequences of Termination.",
        "Upon expiration or termination of this Agreement for any reason:",
    ),
    (
        "cl",
        2,
        None,
        None,
        "the licence granted under {A:grant} and every sublicence shall terminate, and Licensee shall immediately "
        "cease to use the Licensed Technology and the Confidential Information;",
    ),
    (
        "cl",
        2,
        "term_return",
        None,
        "Licensee shall, within thirty (30) days, return to Licensor or, at Licensor\u2019s option, destroy all "
        "Technical Documentation and other materials containing Confidential Information, including all copies, "
        "and deliver to Licensor a certificate signed by an officer of Licensee confirming that it has done so;",
    ),
    (
        "cl",
        2,
        None,
        None,
        "Licensee may, for a period of six (6) months, sell Products that were finished and in stock at the date "
        "of termination, subject to payment of royalties under {A:roy}; and",
    ),
    (
        "cl",
        2,
        None,
        None,
        "all amounts accrued before the date of termination shall become immediately due and payable.",
    ),
    (
        "cl",
        1,
        "term_survival",
        "Survival.",
        "{A:conf}, {S:rep_books}, {S:rep_audit}, {S:term_effect}, this {S:term_survival} and {A:law} shall "
        "survive the expiration or termination of this Agreement, subject to the period stated in "
        "{S:conf_survival}.",
    ),
    ("art", "rem", "REMEDIES AND LIABILITY"),
    (
        "cl",
        1,
        "rem_inj",
        "Injunctive Relief.",
        "Licensee acknowledges that any unauthorised use or disclosure of the Confidential Information would "
        "cause Licensor irreparable harm for which damages would not be an adequate remedy. Licensor shall "
        "therefore be entitled to seek injunctive relief, specific performance or other equitable relief from "
        "any court of competent jurisdiction, without the need to post a bond, in addition to any other remedy.",
    ),
    (
        "cl",
        1,
        None,
        "Remedies Cumulative.",
        "Except as provided in {S:rem_cap}, the rights and remedies of each party under this Agreement are "
        "cumulative and in addition to any rights or remedies provided by law.",
    ),
    (
        "cl",
        1,
        "rem_cap",
        "Limitation of Liability.",
        "The aggregate liability of each party arising out of or in connection with this Agreement, whether in "
        "contract, tort or otherwise, shall not exceed the total royalties paid by Licensee to Licensor during "
        "the twelve (12) months immediately preceding the event giving rise to the claim.",
    ),
    (
        "cl",
        1,
        None,
        "Exclusion of Indirect Loss.",
        "Neither party shall be liable to the other for any indirect, incidental or consequential loss, or for "
        "any loss of profit, revenue or goodwill, arising out of or in connection with this Agreement.",
    ),
    ("art", "law", "GOVERNING LAW AND DISPUTE RESOLUTION"),
    (
        "cl",
        1,
        "law_gov",
        None,
        "This Agreement shall be governed by and construed in accordance with the laws of Japan.",
    ),
    (
        "cl",
        1,
        "law_arb",
        None,
        "Any dispute, controversy or difference arising out of or in connection with this Agreement shall be "
        "finally settled by arbitration in Tokyo, Japan, in accordance with the Commercial Arbitration Rules of "
        "the Japan Commercial Arbitration Association. The arbitral tribunal shall consist of three (3) "
        "arbitrators, and the arbitration shall be conducted in the English language. The award shall be final "
        "and binding on the parties and may be enforced in any court having jurisdiction.",
    ),
    (
        "cl",
        1,
        None,
        None,
        "Nothing in {S:law_arb} shall prevent either party from applying to any court of competent jurisdiction "
        "for interim or conservatory measures, including the relief described in {S:rem_inj}.",
    ),
    ("art", "misc", "MISCELLANEOUS"),
    (
        "cl",
        1,
        "misc_assign",
        "Assignment.",
        "Neither party may assign or transfer this Agreement or any of its rights or obligations under it "
        "without the prior written consent of the other party, except that Licensor may assign this Agreement "
        "to an Affiliate. For the avoidance of doubt, a change in the ownership or control of Licensee shall not "
        "be treated as an assignment of this Agreement.",
    ),
    (
        "cl",
        1,
        None,
        "Notices.",
        "All notices under this Agreement shall be in writing in English and delivered by hand, by international "
        "courier or by e-mail (confirmed by courier) to the addresses set out at the head of this Agreement, or to "
        "such other address as a party may notify. A notice is deemed received on delivery, or if sent by e-mail, "
        "on the next business day at the place of receipt.",
    ),
    (
        "cl",
        1,
        None,
        "Force Majeure.",
        "Neither party shall be liable for any delay or failure to perform its obligations (other than payment "
        "obligations) caused by events beyond its reasonable control, including natural disasters, epidemics, war, "
        "governmental action and export restrictions, provided that it notifies the other party promptly and uses "
        "reasonable efforts to resume performance.",
    ),
    (
        "cl",
        1,
        None,
        "Entire Agreement.",
        "This Agreement, including its Schedules, constitutes the entire agreement between the parties on its "
        "subject matter and supersedes all prior negotiations, understandings and agreements, including the "
        "Mutual Non-Disclosure Agreement between the parties dated 10 October 2024 to the extent it relates to "
        "the Licensed Technology.",
    ),
    (
        "cl",
        1,
        None,
        "Amendment and Waiver.",
        "No amendment of this Agreement is effective unless in writing and signed by authorised representatives "
        "of both parties. No failure or delay in exercising any right operates as a waiver of it.",
    ),
    (
        "cl",
        1,
        None,
        "Severability.",
        "If any provision of this Agreement is held invalid or unenforceable, the remaining provisions shall "
        "remain in full force and effect, and the parties shall negotiate in good faith a valid replacement that "
        "most nearly achieves the original intent.",
    ),
    (
        "cl",
        1,
        None,
        "Language.",
        "This Agreement is made in the English language. Any translation is for convenience only, and the English "
        "text shall prevail.",
    ),
    (
        "cl",
        1,
        None,
        "Counterparts.",
        "This Agreement may be executed in counterparts, including by exchange of signed copies in portable "
        "document format, each of which shall be deemed an original.",
    ),
]


def _resolve_numbers(body):
    """Compute the automatic numbers Word will display, for cross-references and the outline."""
    numbers = {}
    outline = []
    art = l1 = l2 = l3 = 0
    for item in body:
        if item[0] == "art":
            art += 1
            l1 = l2 = l3 = 0
            numbers[item[1]] = ("A", f"{art}")
            outline.append(f"ARTICLE {art} {item[2]}")
        elif item[0] == "cl":
            level, key = item[1], item[2]
            if level == 1:
                l1 += 1
                l2 = l3 = 0
                num = f"{art}.{l1}"
            elif level == 2:
                l2 += 1
                l3 = 0
                num = f"{art}.{l1}({chr(ord('a') + l2 - 1)})"
            else:
                l3 += 1
                num = f"{art}.{l1}({chr(ord('a') + l2 - 1)})({_roman(l3)})"
            if key:
                numbers[key] = ("S", num)
            outline.append("    " * level + num + " " + item[4][:70])
    return numbers, outline


def _roman(n: int) -> str:
    vals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _sub_refs(text: str, numbers) -> str:
    def rep(m):
        kind, key = m.group(1), m.group(2)
        num = numbers[key][1]
        if kind == "A":
            return f"Article {num}"
        if kind == "S":
            return f"Section {num}"
        return num

    return re.sub(r"\{([ASN]):(\w+)\}", rep, text)


def _plain(
    doc, text="", *, bold=False, align=None, space_after=None, indent_mm=None, italic=False, size=None, keep_next=False
):
    p = doc.add_paragraph()
    if text:
        r = p.add_run(text)
        r.bold = bold
        r.italic = italic
        if size:
            r.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if indent_mm is not None:
        p.paragraph_format.left_indent = Mm(indent_mm)
    if keep_next:
        p.paragraph_format.keep_with_next = True
    return p


def build_english(path: Path) -> list[str]:
    doc = Document()
    _page_setup(doc)
    _setup_styles(doc, font="Times New Roman", size=11)
    _core_properties(doc, "Technology License Agreement (sample)", "en-US")
    _header_footer(doc, "CONFIDENTIAL \u2013 Draft for discussion", "Page ", "")
    num_id = add_legal_numbering(doc)
    numbers, outline = _resolve_numbers(EN_BODY)

    doc.add_paragraph("TECHNOLOGY LICENSE AGREEMENT", style="Title")
    _plain(
        doc,
        "This TECHNOLOGY LICENSE AGREEMENT (this \u201cAgreement\u201d) is made and entered into as of "
        "the Effective Date by and between:",
    )
    _plain(
        doc,
        "HOSHINO ADVANCED CERAMICS K.K., a corporation organized and existing under the laws of Japan, "
        "having its principal office at 3-8-21 Shinmei-cho, Seto-shi, Aichi 489-0000, Japan "
        "(\u201cLicensor\u201d); and",
        indent_mm=10,
    )
    _plain(
        doc,
        "PACIFIC RIM COMPONENTS LTD., a company incorporated under the laws of the Republic of "
        "Singapore, having its registered office at 51 Harbourline Road, #07-03, Singapore 118000 "
        "(\u201cLicensee\u201d).",
        indent_mm=10,
    )
    _plain(
        doc,
        "Licensor and Licensee are each referred to as a \u201cparty\u201d and together as the \u201cparties\u201d.",
    )
    _plain(doc, "RECITALS", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
    recitals = [
        "WHEREAS, Licensor has developed and owns certain patents and valuable, secret know-how relating to the "
        "manufacture of high-thermal-conductivity silicon nitride ceramic substrates;",
        "WHEREAS, Licensee is engaged in the manufacture of electronic components in the Republic of Singapore "
        "and wishes to manufacture and sell such substrates in Southeast Asia using Licensor\u2019s technology;",
        "WHEREAS, Licensor is willing to grant Licensee a licence under its patents and know-how, and to provide "
        "certain technical assistance and training, on the terms and subject to the conditions of this "
        "Agreement;",
    ]
    for r in recitals:
        _plain(doc, r)
    _plain(
        doc,
        "NOW, THEREFORE, in consideration of the mutual covenants contained herein and for other good "
        "and valuable consideration, the receipt and sufficiency of which are hereby acknowledged, the "
        "parties agree as follows:",
    )

    for item in EN_BODY:
        if item[0] == "art":
            p = doc.add_paragraph(item[2], style="Heading 1")
            _set_num(p, num_id, 0)
        elif item[0] == "cl":
            level, _key, runin, text = item[1], item[2], item[3], item[4]
            p = doc.add_paragraph()
            _set_num(p, num_id, level)
            if runin:
                p.add_run(runin).bold = True
                p.add_run(" ")
            p.add_run(_sub_refs(text, numbers))
        elif item[0] == "txt":
            doc.add_paragraph(_sub_refs(item[1], numbers))
        elif item[0] == "cont":
            level, text = item[1], item[2]
            p = doc.add_paragraph(_sub_refs(text, numbers))
            p.paragraph_format.left_indent = Pt(_LEVELS[level][2] / 20)

    # signature block
    _plain(
        doc,
        "IN WITNESS WHEREOF, the parties have caused this Agreement to be executed by their duly "
        "authorized representatives on the dates written below, and the later of those dates shall be "
        "the Effective Date.",
        keep_next=True,
    ).paragraph_format.space_before = Pt(12)
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    sig = [
        [
            "HOSHINO ADVANCED CERAMICS K.K.",
            "",
            "By: ______________________________",
            "Name: Kenichi Hoshino",
            "Title: Representative Director and President",
            "Date: ____________________",
        ],
        [
            "PACIFIC RIM COMPONENTS LTD.",
            "",
            "By: ______________________________",
            "Name: Daniel Lim Wei Jie",
            "Title: Managing Director",
            "Date: ____________________",
        ],
    ]
    _set_col_widths(table, (Mm(80), Mm(80)))
    for cell, lines in zip(table.rows[0].cells, sig, strict=True):
        _cell_text(cell, lines, bold_first=True)

    # Schedule A
    p = doc.add_paragraph("SCHEDULE A \u2013 Licensed Patents", style="Heading 1")
    p.paragraph_format.page_break_before = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = [
        ("No.", "Country", "Patent / Application No.", "Title", "Filing Date"),
        (
            "1",
            "Japan",
            "Patent No. 7301142",
            "Silicon nitride sintered body and method for producing the same",
            "14 March 2019",
        ),
        (
            "2",
            "Japan",
            "Patent No. 7418805",
            "Silicon nitride substrate for power module and circuit board",
            "2 September 2020",
        ),
        (
            "3",
            "Singapore",
            "Patent No. 11202104417W",
            "Silicon nitride sintered body and method for producing the same",
            "11 February 2020",
        ),
        (
            "4",
            "Malaysia",
            "Application No. PI 2021005561",
            "Silicon nitride substrate for power module and circuit board",
            "27 August 2021",
        ),
        (
            "5",
            "Thailand",
            "Application No. 2101005219",
            "Silicon nitride substrate for power module and circuit board",
            "30 August 2021",
        ),
    ]
    t = doc.add_table(rows=len(rows), cols=5)
    t.style = doc.styles["Table Grid"]
    for i, row in enumerate(rows):
        for j, val in enumerate(row):
            _cell_text(t.rows[i].cells[j], [val], bold_first=(i == 0), size=9.5)
    _set_col_widths(t, (Mm(10), Mm(22), Mm(42), Mm(52), Mm(34)))
    _plain(doc, "")
    _plain(
        doc,
        "The Licensed Patents also include any patent issuing from the applications listed above and "
        "any patent in the Territory claiming priority from the Japanese patents listed above.",
    )

    # Schedule B
    p = doc.add_paragraph("SCHEDULE B \u2013 Know-How", style="Heading 1")
    p.paragraph_format.page_break_before = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _plain(
        doc,
        "The Know-How comprises the following information, to be delivered as Technical Documentation "
        "in accordance with {}:".format(_sub_refs("{S:disc_all}", numbers)),
    )
    know_how = [
        "Product specifications and drawings for grades HS-N80 and HS-N90, including dimensional tolerances "
        "and surface roughness requirements.",
        "Raw material specifications for silicon nitride powder, including particle size distribution, oxygen "
        "content and impurity limits.",
        "Sintering additive composition (rare-earth oxide and magnesia system), mixing ratios and slurry "
        "preparation conditions.",
        "Tape casting and green sheet forming process sheets, including binder system and drying profiles.",
        "Degreasing and gas-pressure sintering conditions, including temperature, pressure and atmosphere "
        "profiles for each grade.",
        "Grinding, laser scribing and inspection procedures, and quality control standards for thermal "
        "conductivity and bending strength.",
        "List of manufacturing and inspection equipment with operating parameters, and maintenance manuals.",
        "Yield improvement reports and defect analysis records for the years 2021 to 2024.",
    ]
    for i, line in enumerate(know_how, 1):
        p = _plain(doc, f"{i}.\t{line}")
        p.paragraph_format.left_indent = Mm(10)
        p.paragraph_format.first_line_indent = Mm(-10)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(10))

    _save_deterministic(doc, path)
    return outline


# ---------------------------------------------------------------------------
# Japanese: 特許及びノウハウ実施許諾契約書
# ---------------------------------------------------------------------------
#
# Markup: ("art", "第N条（見出し）")
#         ("p", text)            first paragraph of an article (no number)
#         ("pn", "２", text)      numbered paragraph
#         ("it", label, text)     item （1） / 一 / ①, hanging indent

JA_BODY = [
    ("art", "第1条（定義）"),
    ("p", "本契約において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。"),
    (
        "it",
        "①",
        "「本特許」とは、別紙1に記載する甲の特許及び特許出願（これらに基づき付与される特許権を含む。）をいう。",
    ),
    (
        "it",
        "②",
        "「本ノウハウ」とは、本製品の製造に関する甲の技術上の情報であって、別紙2に記載する技術資料（以下「技術資料」という。）"
        "に記載され、又は第6条に基づく技術指導において開示されるものをいう。",
    ),
    (
        "it",
        "③",
        "「本製品」とは、本特許及び本ノウハウを実施して製造される、パワー半導体モジュール用窒化ケイ素セラミックス基板"
        "（甲の品番SN-80及びSN-90に相当するもの）をいう。",
    ),
    ("it", "④", "「許諾地域」とは、タイ王国をいう。"),
    (
        "it",
        "⑤",
        "「正味販売額」とは、乙が本製品を販売した場合の総請求額から、付加価値税その他の間接税、運賃、保険料及び返品に係る"
        "金額を控除した額をいう。",
    ),
    ("it", "⑥", "「契約年度」とは、本契約の発効日又はその応当日から起算する各1年間をいう。"),
    (
        "it",
        "⑦",
        "「改良技術」とは、本特許又は本ノウハウに基づき、又はこれらを利用してなされた発明、考案、ノウハウその他の技術的成果をいう。",
    ),
    ("art", "第2条（実施許諾）"),
    (
        "p",
        "甲は、乙に対し、本契約の有効期間中、許諾地域内の乙の工場において本特許及び本ノウハウを実施して本製品を製造し、"
        "かつ、許諾地域及び東南アジア諸国連合加盟国において本製品を販売する非独占的な権利を許諾する。",
    ),
    (
        "pn",
        "２",
        "乙は、本製品以外の製品の製造その他前項に定める目的以外の目的のために、本特許及び本ノウハウを実施してはならない。",
    ),
    (
        "pn",
        "３",
        "本契約に明示的に定めるものを除き、本契約は、甲の特許権、ノウハウその他の知的財産権について、乙に何らの権利も"
        "許諾するものではない。",
    ),
    ("art", "第3条（技術資料の開示）"),
    ("p", "甲は、本契約の発効日から60日以内に、別紙2に記載する技術資料を乙に開示する。"),
    (
        "pn",
        "２",
        "前項の規定にかかわらず、本製品の製造に用いる焼結助剤の組成及び製造方法並びに原料粉末の調製条件（以下「甲留保技術」"
        "という。）は、本契約に基づく開示及び実施許諾の対象に含まれないものとし、甲は、甲留保技術を乙に開示する義務を負わない。",
    ),
    ("pn", "３", "甲は、技術資料を開示するに当たり、技術資料に秘密である旨を表示する。"),
    ("art", "第4条（再実施許諾等の禁止）"),
    (
        "p",
        "乙は、甲の事前の書面による承諾を得ない限り、第三者（乙の関係会社を含む。）に対し、本特許又は本ノウハウについて再実施"
        "許諾をしてはならない。",
    ),
    (
        "pn",
        "２",
        "乙は、甲の事前の書面による承諾を得ない限り、本製品の製造の全部又は一部を第三者に委託してはならない。",
    ),
    ("art", "第5条（焼結助剤の供給）"),
    (
        "p",
        "乙は、本製品の製造に使用する焼結助剤（以下「本助剤」という。）を甲又は甲が指定する者からのみ購入するものとし、"
        "他の者から購入し、又は自ら製造してはならない。",
    ),
    (
        "pn",
        "２",
        "本助剤の価格、数量、納期その他の取引条件は、甲乙間で別途締結する売買基本契約及び個別契約において定める。",
    ),
    (
        "pn",
        "３",
        "甲は、乙の合理的な需要に応じて本助剤を供給するよう努める。ただし、第3条第2項に定める甲留保技術は、本助剤の"
        "供給によって乙に開示されるものではない。",
    ),
    ("art", "第6条（技術指導）"),
    ("p", "甲は、乙の要請に応じ、乙の技術者に対し、本製品の製造に関する技術指導を行う。"),
    (
        "pn",
        "２",
        "前項の技術指導は、甲の工場における乙の技術者の研修受入れ又は乙の工場への甲の技術者の派遣により行うものとし、"
        "研修を受ける乙の技術者の人数、派遣する甲の技術者の人数、期間その他の実施条件は、その都度甲乙協議の上定める。",
    ),
    (
        "pn",
        "３",
        "乙は、前項に基づき甲の技術者が乙の工場に派遣される場合、その渡航費、宿泊費及び日当として、甲が別途定める額を"
        "負担する。",
    ),
    ("art", "第7条（対価）"),
    ("p", "乙は、甲に対し、本契約に基づく実施許諾及び技術資料の開示の対価として、次の各号に定める金員を支払う。"),
    ("it", "（1）", "一時金として金3,000万円（消費税別）。乙は、本契約の発効日から30日以内に、これを支払う。"),
    ("it", "（2）", "ランニング・ロイヤルティとして、各契約年度における本製品の正味販売額の4パーセントに相当する額"),
    ("pn", "２", "前項第1号の一時金は、理由のいかんを問わず、乙に返還しない。"),
    ("art", "第8条（最低実施料）"),
    (
        "p",
        "乙は、第2契約年度以降の各契約年度について、前条第1項第2号のランニング・ロイヤルティの額が金1,200万円に満たない"
        "場合には、その差額を当該契約年度の終了後60日以内に甲に支払う。",
    ),
    ("art", "第9条（報告及び支払）"),
    (
        "p",
        "乙は、各暦四半期の末日から30日以内に、当該四半期における本製品の製造数量、販売数量、正味販売額及びランニング・"
        "ロイヤルティの額を記載した報告書を甲に提出する。",
    ),
    (
        "pn",
        "２",
        "乙は、前項の報告書の提出と同時に、当該四半期に係るランニング・ロイヤルティを甲の指定する銀行口座に日本円で送金"
        "して支払う。送金手数料は乙の負担とする。",
    ),
    (
        "pn",
        "３",
        "乙が本契約に基づく支払を遅延したときは、支払期日の翌日から支払済みまで年14.6パーセントの割合による遅延損害金を"
        "甲に支払う。",
    ),
    (
        "pn",
        "４",
        "乙が許諾地域の法令に基づき本契約に基づく支払に係る源泉徴収税を納付した場合には、乙は、納付後速やかに納税証明書を"
        "甲に送付する。",
    ),
    ("art", "第10条（帳簿の保存及び監査）"),
    ("p", "乙は、本製品の製造、販売及び正味販売額に関する正確な帳簿を作成し、作成後5年間保存する。"),
    (
        "pn",
        "２",
        "甲又は甲の指定する公認会計士は、乙の営業時間内に、事前に通知した上で、前項の帳簿を閲覧し、監査することができる。",
    ),
    (
        "pn",
        "３",
        "前項の監査の結果、乙の支払額に5パーセントを超える不足が判明した場合には、乙は、不足額及び第9条第3項に定める"
        "遅延損害金を支払うほか、当該監査に要した費用を負担する。",
    ),
    ("art", "第11条（秘密保持）"),
    (
        "p",
        "乙は、技術資料、本ノウハウその他本契約に関連して甲から開示された技術上又は営業上の情報（以下「秘密情報」という。）"
        "を秘密として保持し、甲の事前の書面による承諾なく第三者に開示し、又は漏えいしてはならない。ただし、次の各号の"
        "いずれかに該当する情報については、この限りでない。",
    ),
    ("it", "（1）", "開示を受けた時点で既に公知であった情報"),
    ("it", "（2）", "開示を受けた後、乙の責めに帰すべき事由によらずに公知となった情報"),
    ("it", "（3）", "開示を受けた時点で既に乙が正当に保有していた情報"),
    ("it", "（4）", "正当な権限を有する第三者から秘密保持義務を負うことなく適法に入手した情報"),
    ("pn", "２", "乙は、秘密情報を本契約の目的のためにのみ使用するものとし、その他の目的に使用してはならない。"),
    (
        "pn",
        "３",
        "乙は、秘密情報を、本契約の履行のために知る必要のある乙の役員及び従業員に限り開示することができる。この場合、乙は、"
        "当該役員及び従業員に対し、本条に定める義務と同等の義務を課すものとし、その違反について責任を負う。",
    ),
    ("pn", "４", "本条の規定は、本契約の終了後2年間なお効力を有する。"),
    ("art", "第12条（改良技術）"),
    ("p", "乙が本契約の有効期間中に改良技術をなしたときは、当該改良技術に係る一切の権利は乙に帰属する。"),
    (
        "pn",
        "2",
        "甲は、前項の改良技術について何らの権利も取得しないものとし、乙は、当該改良技術を甲に開示し、又は実施許諾する"
        "義務を負わない。",
    ),
    ("pn", "3", "甲が改良技術をなしたときは、甲は、その乙への実施許諾の可否及び条件について、乙と誠実に協議する。"),
    ("art", "第13条（保証の否認等）"),
    (
        "p",
        "甲は、本特許の有効性、本特許及び本ノウハウの実施が第三者の権利を侵害しないこと、並びに本製品の商業的成功について、"
        "何らの保証もしない。",
    ),
    (
        "pn",
        "2",
        "乙は、許諾地域において本特許又は本ノウハウを侵害するおそれのある第三者の行為を知ったときは、直ちに甲に通知する。",
    ),
    ("art", "第14条（輸出管理）"),
    (
        "p",
        "甲及び乙は、本契約に基づく技術の提供、貨物の輸出及び役務の提供に当たり、外国為替及び外国貿易法その他日本国及び"
        "許諾地域の輸出管理に関する法令を遵守し、必要な許可の取得その他の手続を行う。",
    ),
    (
        "pn",
        "2",
        "乙は、甲から提供を受けた技術資料、本助剤その他の貨物又は技術を、甲の事前の書面による承諾を得ることなく、許諾地域外"
        "に輸出し、又は第三者に再提供してはならない。",
    ),
    (
        "pn",
        "3",
        "甲は、前二項に定める手続が完了するまでの間、技術資料の開示、技術指導又は本助剤の供給を留保することができる。",
    ),
    ("art", "第15条（有効期間）"),
    (
        "p",
        "本契約の有効期間は、本契約の締結日から5年間とする。ただし、期間満了の3か月前までにいずれの当事者からも書面による"
        "別段の意思表示がないときは、本契約は同一の条件でさらに1年間更新されるものとし、以後も同様とする。",
    ),
    ("art", "第16条（乙による解約）"),
    ("p", "乙は、甲に対し、3か月前までに書面で通知することにより、いつでも本契約を解約することができる。"),
    (
        "pn",
        "2",
        "前項の規定により本契約が解約された場合、乙は、解約の効力発生日以降の期間に係るランニング・ロイヤルティ及び第8条"
        "に定める最低実施料の支払義務を負わないものとし、甲は、乙に対し、解約による損害の賠償その他の金銭の支払を請求"
        "することができない。",
    ),
    ("art", "第17条（解除）"),
    (
        "p",
        "甲又は乙は、相手方が次の各号のいずれかに該当したときは、書面により通知することにより、直ちに本契約の全部又は一部を"
        "解除することができる。",
    ),
    (
        "it",
        "一",
        "本契約のいずれかの条項に違反し、相手方から書面による是正の催告を受けた後30日以内にこれを是正しないとき",
    ),
    (
        "it",
        "二",
        "支払の停止があったとき、又は破産手続開始、民事再生手続開始、会社更生手続開始若しくはこれらに類する許諾地域の法令"
        "に基づく手続開始の申立てがあったとき",
    ),
    ("it", "三", "差押え、仮差押え、仮処分又は競売の申立てを受けたとき"),
    ("it", "四", "合併、会社分割、株式の譲渡その他の事由により、その支配権に実質的な変更が生じたとき"),
    ("it", "五", "反社会的勢力に該当し、又は反社会的勢力と関係を有することが判明したとき"),
    ("pn", "2", "前項に基づく解除は、解除した当事者による損害賠償の請求を妨げない。"),
    ("art", "第18条（契約終了後の措置）"),
    (
        "p",
        "本契約が期間満了、解約又は解除により終了した場合において、甲の請求があるときは、乙は、甲から開示を受けた技術資料"
        "（その複製物を含む。）を甲に返還する。",
    ),
    (
        "pn",
        "2",
        "乙は、本契約の終了時に現に保有する本製品の在庫品を、本契約の終了後6か月間に限り、本契約の条件に従い販売すること"
        "ができる。この場合、第7条第1項第2号及び第9条の規定を準用する。",
    ),
    ("pn", "3", "本契約の終了は、終了前に発生した乙の支払義務に影響を及ぼさない。"),
    ("art", "第19条（損害賠償）"),
    (
        "p",
        "甲又は乙は、本契約に違反して相手方に損害を与えたときは、相手方に対し、その損害（合理的な弁護士費用を含む。）を"
        "賠償する。",
    ),
    ("art", "第20条（権利義務の譲渡禁止）"),
    (
        "p",
        "甲及び乙は、相手方の事前の書面による承諾を得ない限り、本契約上の地位又は本契約に基づく権利若しくは義務の全部又は"
        "一部を第三者に譲渡し、承継させ、又は担保に供してはならない。",
    ),
    ("art", "第21条（準拠法）"),
    ("p", "本契約は、日本法に準拠し、日本法に従って解釈される。"),
    ("art", "第22条（合意管轄）"),
    ("p", "本契約に関する一切の紛争については、東京地方裁判所を第一審の専属的合意管轄裁判所とする。"),
    ("art", "第23条（言語）"),
    ("p", "本契約は日本語を正本とする。本契約の英訳文を作成した場合であっても、日本語の本文が優先する。"),
    ("art", "第24条（協議）"),
    ("p", "本契約に定めのない事項又は本契約の解釈について疑義が生じた事項については、甲乙誠実に協議の上、解決する。"),
]


def build_japanese(path: Path) -> None:
    doc = Document()
    _page_setup(doc)
    _setup_styles(doc, font="MS Mincho", size=10.5, east_asia="MS Mincho", lang_ea="ja-JP")
    _core_properties(doc, "特許及びノウハウ実施許諾契約書（サンプル）", "ja-JP")
    _header_footer(doc, "秘密 ― 協議用ドラフト", "- ", " -")
    char = Pt(10.5)

    doc.add_paragraph("特許及びノウハウ実施許諾契約書", style="Title")
    p = _plain(
        doc,
        "株式会社星野セラミックス（以下「甲」という。）とABC Manufacturing Co., Ltd.（以下「乙」という。）とは、"
        "甲の保有する窒化ケイ素セラミックス基板に関する特許及びノウハウの実施許諾に関し、次のとおり契約（以下"
        "「本契約」という。）を締結する。",
    )
    p.paragraph_format.first_line_indent = char
    p.paragraph_format.space_after = Pt(10)

    for item in JA_BODY:
        kind = item[0]
        if kind == "art":
            if JA_HEADING_STYLE:
                p = doc.add_paragraph(item[1], style=JA_HEADING_STYLE)
            else:
                p = _plain(doc, item[1], bold=True, keep_next=True)
                p.paragraph_format.space_before = Pt(8)
                p.paragraph_format.space_after = Pt(2)
        elif kind == "p":
            p = _plain(doc, item[1])
            p.paragraph_format.first_line_indent = char
            p.paragraph_format.space_after = Pt(2)
        elif kind == "pn":
            p = _plain(doc, f"{item[1]}\u3000{item[2]}")
            p.paragraph_format.left_indent = char
            p.paragraph_format.first_line_indent = -char
            p.paragraph_format.space_after = Pt(2)
        elif kind == "it":
            label = item[1]
            p = _plain(doc, f"{label}\u3000{item[2]}")
            width = char * (len(label) + 1)
            p.paragraph_format.left_indent = char + width
            p.paragraph_format.first_line_indent = -width
            p.paragraph_format.space_after = Pt(2)

    p = _plain(doc, "本契約締結の証として本書2通を作成し、甲乙記名押印の上、各1通を保有する。", keep_next=True)
    p.paragraph_format.first_line_indent = char
    p.paragraph_format.space_before = Pt(14)
    _plain(doc, "2025年4月1日", keep_next=True, indent_mm=10).paragraph_format.space_before = Pt(10)
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    sig = [
        (
            "甲",
            ["愛知県瀬戸市陶原町五丁目18番地の2", "株式会社星野セラミックス", "代表取締役　星野　健一　　　　　　印"],
        ),
        (
            "乙",
            [
                "99/9 Moo 7, Bang Pakong Industrial Road,",
                "Chonburi 20130, Kingdom of Thailand",
                "ABC Manufacturing Co., Ltd.",
                "Managing Director　Somchai Prasertsuk　　印",
            ],
        ),
    ]
    for row, (who, lines) in zip(table.rows, sig, strict=True):
        _cell_text(row.cells[0], [who])
        _cell_text(row.cells[1], lines + [""])
    _set_col_widths(table, (Mm(15), Mm(140)))

    # 別紙1
    p = _plain(doc, "別紙1（許諾特許）", bold=True)
    p.paragraph_format.page_break_before = True
    rows = [
        ("番号", "国", "特許番号／出願番号", "発明の名称", "出願日"),
        ("1", "日本", "特許第7301142号", "窒化ケイ素焼結体及びその製造方法", "2019年3月14日"),
        ("2", "日本", "特許第7418805号", "パワーモジュール用窒化ケイ素基板及び回路基板", "2020年9月2日"),
        ("3", "タイ", "出願番号2101005219", "パワーモジュール用窒化ケイ素基板及び回路基板", "2021年8月30日"),
    ]
    t = doc.add_table(rows=len(rows), cols=5)
    t.style = doc.styles["Table Grid"]
    for i, row in enumerate(rows):
        for j, val in enumerate(row):
            _cell_text(t.rows[i].cells[j], [val], bold_first=(i == 0), size=9.5)
    _set_col_widths(t, (Mm(12), Mm(14), Mm(38), Mm(66), Mm(30)))
    _plain(doc, "")
    p = _plain(doc, "上記出願に基づき付与される特許権を含む。")
    p.paragraph_format.first_line_indent = char

    # 別紙2
    p = _plain(doc, "別紙2（技術資料）", bold=True)
    p.paragraph_format.space_before = Pt(18)
    docs = [
        "本製品の製品仕様書及び図面（品番SN-80及びSN-90）",
        "原料粉末の受入検査規格（ただし、第3条第2項に定める甲留保技術に係る部分を除く。）",
        "シート成形工程の作業標準書",
        "脱脂及び焼成工程の作業標準書（焼成炉の温度プロファイルを含む。）",
        "研削、レーザースクライブ及び外観検査の作業標準書",
        "品質検査規格及び検査手順書（熱伝導率及び曲げ強度）",
        "製造設備及び検査設備の仕様一覧",
    ]
    for i, line in enumerate(docs, 1):
        label = f"{i}."
        p = _plain(doc, f"{label}\u3000{line}")
        p.paragraph_format.left_indent = char * 2
        p.paragraph_format.first_line_indent = -char * 2
        p.paragraph_format.space_after = Pt(2)
    p = _plain(doc, "以上")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    _save_deterministic(doc, path)


# ---------------------------------------------------------------------------
# PDF conversion
# ---------------------------------------------------------------------------


# The DOCX files name the fonts a Word user has (Times New Roman, MS Mincho).  On Linux,
# fontconfig maps MS Mincho to a *sans* CJK font; this private config (used only for the
# conversion) maps it to the serif Noto CJK JP face, so the PDF looks like a Mincho contract.
_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">{system}</include>
  <match target="pattern">
    <test name="family"><string>MS Mincho</string></test>
    <edit name="family" mode="prepend" binding="strong"><string>Noto Serif CJK JP</string></edit>
  </match>
  <match target="pattern">
    <test name="family"><string>Times New Roman</string></test>
    <edit name="family" mode="prepend" binding="strong"><string>Liberation Serif</string></edit>
  </match>
</fontconfig>
"""


def _find_soffice() -> str | None:
    env = os.environ.get("SOFFICE")
    if env:
        return env
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _normalise_pdf(path: Path) -> None:
    """Replace volatile metadata with fixed values of the same length (xref offsets stay valid)."""
    data = path.read_bytes()

    def fix_date(m):
        old = m.group(1)
        new = b"D:20250401090000"
        new = (new + old[len(new) :]) if len(old) > len(new) else new[: len(old)]
        return m.group(0).replace(old, new)

    data = re.sub(rb"/(?:CreationDate|ModDate)\s*\((D:[^)]*)\)", fix_date, data)

    def fix_id(m):
        return re.sub(rb"<([0-9A-Fa-f]+)>", lambda h: b"<" + b"0" * len(h.group(1)) + b">", m.group(0))

    data = re.sub(rb"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]", fix_id, data)
    data = re.sub(
        rb"/DocChecksum\s*/([0-9A-Fa-f]+)", lambda m: m.group(0).replace(m.group(1), b"0" * len(m.group(1))), data
    )
    path.write_bytes(data)


def convert_to_pdf(docx_paths: list[Path], outdir: Path) -> bool:
    soffice = _find_soffice()
    if not soffice:
        print("soffice not found: PDFs not regenerated (install LibreOffice, see the docstring)", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory() as profile:
        env = dict(os.environ)
        system_conf = Path("/etc/fonts/fonts.conf")
        if system_conf.exists() and "FONTCONFIG_FILE" not in env:
            conf = Path(profile) / "fonts.conf"
            conf.write_text(_FONTS_CONF.format(system=system_conf), encoding="utf-8")
            env["FONTCONFIG_FILE"] = str(conf)
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
        ] + [str(p) for p in docx_paths]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300, env=env)
    for p in docx_paths:
        _normalise_pdf(outdir / (p.stem + ".pdf"))
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-pdf", action="store_true", help="write the DOCX files only")
    ap.add_argument("--outline", action="store_true", help="print the English clause numbers Word will show")
    ap.add_argument("--outdir", type=Path, default=HERE)
    args = ap.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    en = args.outdir / "technology_licence.docx"
    ja = args.outdir / "jissi_kyodaku.docx"
    outline = build_english(en)
    build_japanese(ja)
    if args.outline:
        print("\n".join(outline))
    if not args.no_pdf:
        convert_to_pdf([en, ja], args.outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

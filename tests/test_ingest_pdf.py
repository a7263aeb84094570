"""PDF ingestion on real PDFs made with reportlab: running lines, page numbers, broken words, scans, passwords."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from reviewer.errors import ReviewerError
from reviewer.ingest import read_document
from reviewer.ingest.pdf import read_pdf

WIDTH, HEIGHT = A4


def _pdf(pages: list[list[str]], *, header: str | None = None, numbers: bool = True, encrypt: str | None = None,
         image_pages: tuple[int, ...] = ()) -> bytes:
    """A real PDF: each page's lines set at 12 pt leading, with an optional running header and page numbers."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    for number, lines in enumerate(pages, start=1):
        if number in image_pages:
            from PIL import Image

            pdf.drawImage(ImageReader(Image.new("RGB", (200, 280), "white")), 50, 100, 400, 600)
        if header:
            pdf.setFont("Helvetica", 8)
            pdf.drawCentredString(WIDTH / 2, HEIGHT - 30, header)
        pdf.setFont("Helvetica", 11)
        y = HEIGHT - 80
        for line in lines:
            if line == "":
                y -= 14
                continue
            pdf.drawString(72, y, line)
            y -= 14
        if numbers:
            pdf.setFont("Helvetica", 9)
            pdf.drawCentredString(WIDTH / 2, 30, f"- {number} -")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


BODY = [
    "1. Grant. The Licensor grants to the Licensee a non-exclusive licence to manufac-",
    "ture the Products in the Territory during the Term of this Agreement.",
    "",
    "2. Confidentiality. The Licensee shall keep the Know-How secret.",
]


def test_ingest_pdf_running_header_and_page_numbers_removed():
    data = _pdf([BODY, BODY, BODY], header="CONFIDENTIAL - Draft for discussion")
    blocks, pages, warnings, _ = read_pdf(data, "t.pdf")
    texts = [b.text for b in blocks]
    assert pages == 3 and not warnings
    assert not any("CONFIDENTIAL" in t for t in texts)
    assert not any(t.strip("- ").isdigit() for t in texts)
    assert {b.page for b in blocks} == {1, 2, 3}


def test_ingest_pdf_broken_word_rejoined_and_gap_recorded():
    body = BODY + ["3. Reports. The Licensee shall manufacture no more than agreed and report each non-", "exclusive",
                   "sublicence and each manufacture run."]
    blocks, *_ = read_pdf(_pdf([body]), "t.pdf")
    text = " ".join(b.text for b in blocks)
    assert "licence to manufacture the Products" in text
    assert "each non-exclusive sublicence" in text
    gaps = [b.gap_before for b in blocks if b.text.startswith(("2.", "the Products", "ture"))]
    assert True in gaps


def test_ingest_pdf_scanned_page_warns():
    data = _pdf([BODY, []], image_pages=(2,), numbers=False)
    _, _, warnings, _ = read_pdf(data, "t.pdf")
    assert warnings == ["page 2 has no text layer (scanned?): run OCR"]


def test_ingest_pdf_only_scanned_pages_is_an_error(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf([[]], image_pages=(1,), numbers=False))
    with pytest.raises(ReviewerError, match="no page has a text layer"):
        read_document(path)


def test_ingest_pdf_password(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_pdf([BODY], encrypt="s3cret"))
    with pytest.raises(ReviewerError, match="password-protected PDF: give the password with --password"):
        read_document(path)
    with pytest.raises(ReviewerError, match="not correct"):
        read_document(path, password="wrong")
    doc = read_document(path, password="s3cret")
    assert any("Know-How" in b.text for b in doc.blocks)


def test_ingest_pdf_damaged_file_is_one_line_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(_pdf([BODY])[:300])
    with pytest.raises(ReviewerError) as info:
        read_document(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)

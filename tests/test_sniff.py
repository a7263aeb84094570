"""Tests for reviewer.ingest.sniff: format detection from real-format bytes, and clean refusals for the rest."""

from __future__ import annotations

import codecs
import gzip
import io
import struct
import tarfile
import time
import zipfile

import pytest
from hostile import ole_bytes as make_ole
from hostile import word_fib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.errors import ReviewerError
from reviewer.ingest import sniff as sniff_module
from reviewer.ingest.sniff import sniff

JA = "第1条（目的）本契約は、甲が乙に対し、本ソフトウェアの非独占的な使用を許諾することを目的とする。\n"
EN = "Article 1 (Purpose). The Licensor grants the Licensee a non-exclusive licence to use the Software.\n"

def reason_of(data: bytes) -> str:
    """The refusal's reason for ``data`` (fails the test if sniff accepts it)."""
    with pytest.raises(ReviewerError) as info:
        sniff(data, "contract.bin")
    assert info.value.path == "contract.bin"
    assert "\n" not in str(info.value)
    return info.value.reason


def make_zip(members: dict[str, bytes]) -> bytes:
    """A zip with the given members; "mimetype" stored first and uncompressed as ODF requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else None)
    return buffer.getvalue()


def make_docx(text: str = JA) -> bytes:
    """A real .docx written by python-docx."""
    import docx

    document = docx.Document()
    document.add_heading("Licence Agreement", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf() -> bytes:
    """A real one-page PDF written by pypdfium2."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def make_image(kind: str) -> bytes:
    """A real 2x2 image file saved by Pillow."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format=kind)
    return buffer.getvalue()


# --- PDF and DOCX ---------------------------------------------------------------------------------


def test_sniff_pdf_real_file():
    assert sniff(make_pdf(), "a.pdf") == "pdf"


def test_sniff_pdf_with_junk_before_header():
    assert sniff(b"\x00junk from a mail gateway\r\n" + make_pdf(), "a.pdf") == "pdf"


def test_sniff_docx_real_file():
    assert sniff(make_docx(), "a.docx") == "docx"


def test_sniff_decides_from_bytes_not_name():
    assert sniff(make_docx(), "contract.pdf") == "docx"
    assert sniff(make_pdf(), "contract.docx") == "pdf"
    assert sniff(EN.encode(), "contract.docx") == "txt"


def test_sniff_docx_main_part_named_in_rels():
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="word/document2.xml"/></Relationships>')
    data = make_zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": rels, "word/document2.xml": b"<w:document/>"})
    assert sniff(data, "a.docx") == "docx"


# --- other zips -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("members", "expected"), [
    ({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b""},
     "an Excel workbook"),
    ({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}, "a PowerPoint file"),
    ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"},
     "OpenDocument text (.odt): save it as .docx or PDF"),
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""},
     "an OpenDocument spreadsheet"),
    ({"mimetype": b"application/epub+zip", "META-INF/container.xml": b""}, "an EPUB e-book"),
    ({"contract.docx": b"not really", "notes.txt": b"hello"}, "a zip archive, not a contract document"),
    ({}, "a zip archive, not a contract document"),
], ids=["xlsx", "pptx", "odt", "ods", "epub", "plain-zip", "empty-zip"])
def test_sniff_zip_kinds_refused_by_name(members, expected):
    assert reason_of(make_zip(members)).startswith(expected)


def test_sniff_empty_zip_uses_end_record_magic():
    data = make_zip({})
    assert data.startswith(b"PK\x05\x06")
    assert reason_of(data).startswith("a zip archive")


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.99], ids=["half", "most", "no-end-record"])
def test_sniff_damaged_zip(cut):
    data = make_docx()
    assert reason_of(data[: int(len(data) * cut)]) == "not a valid Word file (damaged zip)"


# --- OLE compound files ---------------------------------------------------------------------------


@pytest.mark.parametrize(("streams", "storages", "expected"), [
    ({"WordDocument": word_fib(), "1Table": b"\x00" * 10, "\x05SummaryInformation": b""}, (),
     sniff_module.LEGACY_DOC),
    ({"WordDocument": word_fib(encrypted=True), "1Table": b""}, (), sniff_module.ENCRYPTED_DOC),
    ({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 8}, ("\x06DataSpaces",),
     sniff_module.ENCRYPTED_OFFICE),
    ({"Workbook": b"\x09\x08", "\x05SummaryInformation": b""}, (), sniff_module.OLE_OTHER + " (an Excel"),
    ({"PowerPoint Document": b"", "Current User": b""}, (), sniff_module.OLE_OTHER + " (a PowerPoint"),
    ({"Contents": b"x"}, (), sniff_module.OLE_OTHER),
], ids=["doc", "encrypted-doc", "encrypted-ooxml", "xls", "ppt", "other"])
def test_sniff_ole_directory(streams, storages, expected):
    assert reason_of(make_ole(streams, storages)).startswith(expected)


def test_sniff_ole_helper_writes_a_compound_file_the_parser_reads():
    data = make_ole({"WordDocument": word_fib(), "1Table": b""})
    entries = sniff_module._Ole(data).entries()
    assert [(name, kind) for name, kind, _, _ in entries] == [("Root Entry", 5), ("WordDocument", 2), ("1Table", 2)]


def test_sniff_ole_many_directory_sectors():
    # More entries than fit in one directory sector, so the walk must follow the FAT chain.
    streams = {f"Stream{i}": b"" for i in range(6)} | {"WordDocument": word_fib()}
    assert reason_of(make_ole(streams)) == sniff_module.LEGACY_DOC


@pytest.mark.parametrize(("streams", "expected"), [
    ({"WordDocument": word_fib()}, sniff_module.LEGACY_DOC),
    ({"EncryptionInfo": b"", "EncryptedPackage": b""}, sniff_module.ENCRYPTED_OFFICE),
    ({"Workbook": b""}, sniff_module.OLE_OTHER),
], ids=["doc", "encrypted", "xls"])
def test_sniff_ole_unwalkable_directory_falls_back_to_names(streams, expected):
    data = bytearray(make_ole(streams))
    data[0x30:0x34] = struct.pack("<I", 0x00FFFFFF)  # first directory sector far outside the file
    assert reason_of(bytes(data)).startswith(expected)


def test_sniff_ole_truncated_header():
    assert reason_of(sniff_module.OLE_MAGIC + b"\x00" * 40) == sniff_module.OLE_OTHER


def test_sniff_ole_directory_loop_is_bounded():
    data = bytearray(make_ole({"Workbook": b""}))
    fat_offset = 512
    data[fat_offset + 4:fat_offset + 8] = struct.pack("<I", 1)  # directory sector 1 points at itself
    assert reason_of(bytes(data)).startswith(sniff_module.OLE_OTHER)


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(8, 4095), st.integers(0, 255)), max_size=40))
def test_sniff_ole_mutated_never_crashes(mutations):
    data = bytearray(make_ole({"WordDocument": word_fib(), "1Table": b""}))
    for index, value in mutations:
        data[index] = value
    reason = reason_of(bytes(data))
    assert reason.startswith((sniff_module.LEGACY_DOC, sniff_module.ENCRYPTED_DOC, sniff_module.ENCRYPTED_OFFICE,
                              sniff_module.OLE_OTHER, "password-protected"))


# --- other binaries -------------------------------------------------------------------------------


def _tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("contract.txt")
        info.size = len(EN)
        archive.addfile(info, io.BytesIO(EN.encode()))
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "expected"), [
    (make_image("PNG"), "an image (PNG)"),
    (make_image("JPEG"), "an image (JPEG)"),
    (make_image("GIF"), "an image (GIF)"),
    (make_image("TIFF"), "an image (TIFF)"),
    (make_image("WEBP"), "an image (WebP)"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "a program (ELF"),
    (b"MZ\x90\x00" + b"\x00" * 56 + struct.pack("<I", 64) + b"PE\x00\x00" + b"\x00" * 64, "a program (Windows"),
    (gzip.compress(EN.encode()), "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 30, "a 7-Zip archive"),
    (b"Rar!\x1a\x07\x01\x00" + b"\x00" * 30, "a RAR archive"),
    (_tar(), "a tar archive"),
    (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Licence Agreement\\par }", "RTF: save it as .docx or PDF"),
    (b"%!PS-Adobe-3.0\n%%Pages: 1\n", "a PostScript file"),
], ids=["png", "jpeg", "gif", "tiff", "webp", "elf", "exe", "gzip", "7z", "rar", "tar", "rtf", "postscript"])
def test_sniff_binary_formats_named(data, expected):
    assert reason_of(data).startswith(expected)


@pytest.mark.parametrize(("data", "expected"), [
    (b'<?xml version="1.0"?>\n<?mso-application progid="Word.Document"?>\n<w:wordDocument xmlns:w="x"/>',
     sniff_module.WORD_XML),
    ('<?xml version="1.0" encoding="UTF-16"?><pkg:package xmlns:pkg="x"/>'.encode("utf-16"), sniff_module.WORD_XML),
    (b'<?xml version="1.0"?><office:document office:mimetype="application/vnd.oasis.opendocument.text"/>',
     sniff_module.FLAT_ODT),
], ids=["word-2003-xml", "flat-opc-utf16", "fodt"])
def test_sniff_office_xml_text_refused(data, expected):
    assert reason_of(data) == expected


def test_sniff_image_message_says_what_to_do():
    assert reason_of(make_image("PNG")) == "an image (PNG): scan it to a searchable PDF (OCR) first"


# --- text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [JA, EN], ids=["ja", "en"])
@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: s.encode("utf-8-sig"),
    lambda s: s.encode("utf-16"),
    lambda s: s.encode("utf-16-le"),
    lambda s: s.encode("utf-16-be"),
    lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
    lambda s: s.encode("utf-32"),
    lambda s: s.encode("cp932"),
    lambda s: s.encode("euc_jp"),
    lambda s: s.encode("iso2022_jp"),
], ids=["utf-8", "utf-8-sig", "utf-16-bom", "utf-16-le", "utf-16-be", "utf-16-be-bom", "utf-32", "cp932", "euc-jp",
        "iso2022-jp"])
def test_sniff_text_encodings(text, encode):
    assert sniff(encode(text), "a.txt") == "txt"


@pytest.mark.parametrize("data", [
    b"<!DOCTYPE html><html><body><h1>Licence Agreement</h1><p>1. Grant.</p></body></html>",
    "# 業務委託契約書\n\n## 第1条（目的）\n\n**本契約**は…\n".encode(),
    "Licence — “Software” means… § 5 ©".encode("cp1252"),
    b"Article 1\f\nArticle 2\n",
    b"%%PDF is mentioned but this is not one\n" * 3,
], ids=["html", "markdown", "cp1252", "form-feed", "percent-sign"])
def test_sniff_text_like_files_are_text(data):
    assert sniff(data, "a.txt") == "txt"


@pytest.mark.parametrize("data", [
    b"", b" ", b"\r\n\r\n\t", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n", codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_LE + " \r\n".encode("utf-16-le"), " \n".encode("utf-16-be"), "\u3000\u3000\n".encode(),
    "\u3000\n".encode("cp932"),
], ids=["zero-bytes", "space", "newlines", "bom", "bom-newlines", "utf16-bom", "utf16-blank", "utf16be-blank",
        "ideographic-space", "cp932-ideographic-space"])
def test_sniff_empty_file(data):
    assert reason_of(data) == "file is empty"


def test_sniff_zero_filled_file():
    assert reason_of(b"\x00" * 4096).startswith("file contains only zero bytes")


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 8,
    b"\x01\x02\x03\x04binary header" + bytes(200),
    b"\x80\x81\x82\xff" * 64,
], ids=["all-bytes", "control-heavy", "high-bytes"])
def test_sniff_unknown_binary(data):
    assert reason_of(data) == sniff_module.UNKNOWN


# --- robustness -----------------------------------------------------------------------------------

_MAGICS = [b"", sniff_module.OLE_MAGIC, b"PK\x03\x04", b"PK\x05\x06", b"%PDF-", b"{\\rtf", b"MZ", b"\xff\xfe",
           b"\xfe\xff", codecs.BOM_UTF8, b"\x1b$B"]


@settings(max_examples=300, deadline=2000)
@given(st.sampled_from(_MAGICS), st.binary(max_size=3000))
def test_sniff_random_bytes_only_reviewer_error(prefix, rest):
    started = time.perf_counter()
    try:
        assert sniff(prefix + rest, "random.bin") in ("pdf", "docx", "txt")
    except ReviewerError as error:
        assert "\n" not in str(error) and error.reason
    assert time.perf_counter() - started < 2


@settings(max_examples=100, deadline=2000)
@given(st.text(max_size=500).filter(lambda s: s.strip()))
def test_sniff_any_utf8_text_is_text_or_refused_cleanly(text):
    try:
        assert sniff(text.encode("utf-8"), "a.txt") == "txt"
    except ReviewerError as error:
        assert error.reason in (sniff_module.UNKNOWN, "file is empty")


def test_sniff_large_random_file_is_fast():
    import random

    data = random.Random(7).randbytes(8 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(ReviewerError):
        sniff(data, "big.bin")
    assert time.perf_counter() - started < 10

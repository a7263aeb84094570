"""A corpus of hostile and broken contracts, generated on the spot: nothing binary is kept in the repository.

``make_corpus(folder)`` writes every file into ``folder`` and returns ``{file name: expectation}``: ``"ok"`` when
the file must be reviewed (perhaps with a warning or a note), otherwise a substring of the one-line reason it
must be refused with. The files are made with the real tools (python-docx, reportlab, zipfile) or written byte
by byte where no tool would make them (the bombs, a looping page tree, OLE containers). The bombs are built
from repeated deflate blocks, so a gigabyte of zeros costs about a megabyte and a third of a second to make.

Used by ``tests/test_hostile.py`` and ``benchmarks/hostile.py``; not a test module itself.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

# The secret an XXE would leak: written next to the corpus, its content must never reach a report.
SECRET_NAME = "secret.txt"
SECRET = "TOP-SECRET-7f3a9c-never-in-a-report"
BOMB_MB = 1024  # what the zip and FlateDecode bombs expand to
PASSWORD = "s3cret"  # user password of encrypted.pdf

EN_CONTRACT = [
    "TECHNOLOGY LICENCE AGREEMENT",
    "This Technology Licence Agreement is made between Hoshino K.K. (the \"Licensor\") and Acme Ltd. (the \"Licensee\").",
    "1. Grant. The Licensor grants the Licensee a non-exclusive licence to use the Licensed Technology in Japan.",
    "2. Confidentiality. The Licensee shall keep the Know-How confidential for five years after termination.",
    "3. Improvements. Improvements made by the Licensee belong to the Licensee.",
    "4. Term. This Agreement continues for three years unless terminated earlier by either party.",
    "5. Governing Law. This Agreement is governed by the laws of Japan.",
]

JA_CONTRACT = [
    "技術ライセンス契約書",
    "星野株式会社（以下「甲」という。）とアクメ株式会社（以下「乙」という。）は、次のとおり契約を締結する。",
    "第1条（許諾）甲は、乙に対し、本技術を日本国内で使用する非独占的な権利を許諾する。",
    "第2条（秘密保持）乙は、本契約終了後5年間、甲から開示されたノウハウを秘密として保持する。",
    "第3条（改良技術）乙が行った改良技術は、乙に帰属する。",
    "第4条（有効期間）本契約の有効期間は、締結日から3年間とする。",
    "第5条（準拠法）本契約は日本法に準拠する。",
]

# Markup, template syntax and Markdown a report writer must show as text, never run or render.
MARKUP = ("<script>alert(1)</script> <img src=x onerror=alert(2)> {{ 7*7 }} {% raw %} ${7*7} "
          "[link](javascript:alert(3)) \"double\" 'single' &amp; </div></body>")
# Control characters for a text file (the reader drops them) and, XML-legal ones only, for a DOCX.
TEXT_CONTROLS = "\x00\x01\x07\x0b\x1b\x7f\x85\x9b"
DOCX_CONTROLS = "\x85\x9b\u202e\u200b\ufeff"


# --------------------------------------------------------------------------------------------------------------
# Deflate bombs: a megabyte of zeros compressed once, its blocks repeated


def deflate_zeros(megabytes: int, wbits: int) -> bytes:
    """``megabytes`` MB of zero bytes deflated: raw deflate (``wbits`` -15) or a zlib stream (15), checksums right.

    After a full flush the compressor starts afresh, so every further megabyte compresses to the same bytes.
    """
    chunk = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()
    if wbits > 0:  # zlib: the trailer is the Adler-32 of what was compressed, which for n zeros is (n mod 65521, 1)
        n = megabytes << 20
        end = end[:-4] + (((n % 65521) << 16) | 1).to_bytes(4, "big")
    return first + repeat * (megabytes - 1) + end


def crc32_zeros(megabytes: int) -> int:
    """CRC-32 of ``megabytes`` MB of zero bytes."""
    chunk, crc = bytes(1 << 20), 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return crc


# --------------------------------------------------------------------------------------------------------------
# Zip archives written by hand: what zipfile will not write (a gigabyte member from a megabyte, encrypted flags)


def zip_bytes(members: list[tuple[str, bytes, int, int, int]], flags: dict[str, int] | None = None) -> bytes:
    """A zip of ``(name, deflated bytes, crc32, uncompressed size, method)`` members; ``flags`` sets bit flags."""
    flags = flags or {}
    out = io.BytesIO()
    central = []
    for name, payload, crc, size, method in members:
        encoded = name.encode("utf-8")
        flag = flags.get(name, 0) | 0x800  # names in UTF-8
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flag, method, 0, 0x21, crc, len(payload), size,
                              len(encoded), 0) + encoded)
        out.write(payload)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flag, method, 0, 0x21, crc, len(payload),
                                   size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def zip_members(data: bytes) -> list[tuple[str, bytes, int, int, int]]:
    """The members of an existing zip, deflated again for ``zip_bytes``."""
    members = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            raw = archive.read(info)
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append((info.filename, compressor.compress(raw) + compressor.flush(), zlib.crc32(raw), len(raw),
                            zipfile.ZIP_DEFLATED))
    return members


def replace_members(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """A copy of the zip with members replaced, added, or removed (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in changes:
                continue
            dst.writestr(info.filename, src.read(info))
        for name, blob in changes.items():
            if blob is not None:
                dst.writestr(name, blob)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------------------
# Word


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A real .docx written by python-docx, one paragraph per string."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def document_xml(body: str, prolog: str = "") -> bytes:
    """A word/document.xml with ``body`` inside w:body and ``prolog`` (a DOCTYPE, say) before the root."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>').encode()


def paragraph_xml(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _contract_body() -> str:
    return "".join(paragraph_xml(line.replace("&", "&amp;").replace("<", "&lt;")) for line in EN_CONTRACT)


def xxe_docx(secret: Path, network_url: str) -> bytes:
    """External entities, used in the text: a local file and a network address."""
    prolog = (f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.resolve().as_uri()}">'
              f'<!ENTITY net SYSTEM "{network_url}">]>')
    return replace_members(docx_bytes(["x"]), {
        "word/document.xml": document_xml(paragraph_xml("Secret: &xxe; Net: &net;") + _contract_body(), prolog)})


def billion_laughs_prolog() -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return f"<!DOCTYPE w:document [{''.join(entities)}]>"


def billion_laughs_docx() -> bytes:
    return replace_members(docx_bytes(["x"]), {
        "word/document.xml": document_xml(paragraph_xml("&lol9;") + _contract_body(), billion_laughs_prolog())})


def utf16_doctype_docx(secret: Path) -> bytes:
    """The same XXE with the part in UTF-16: a byte search for "<!DOCTYPE" in ASCII would miss it."""
    xml = document_xml(paragraph_xml("&xxe;") + _contract_body(),
                       f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.resolve().as_uri()}">]>').decode("utf-8")
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return replace_members(docx_bytes(["x"]), {"word/document.xml": "\ufeff".encode("utf-16-le") + xml.encode("utf-16-le")})


def renamed_part_doctype_docx() -> bytes:
    """A harmless word/document.xml, but the package's main part is word/main.dat, which declares entities."""
    data = docx_bytes(EN_CONTRACT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode("utf-8")
        rels = archive.read("_rels/.rels").decode("utf-8")
        main = archive.read("word/document.xml")
        doc_rels = archive.read("word/_rels/document.xml.rels")
    types = types.replace('PartName="/word/document.xml"', 'PartName="/word/main.dat"')
    rels = rels.replace('Target="word/document.xml"', 'Target="word/main.dat"')
    evil = main.replace(b"<w:document", billion_laughs_prolog().encode("utf-8") + b"<w:document", 1)
    evil = evil.replace(b"<w:body>", b"<w:body>" + paragraph_xml("&lol9;").encode("utf-8"), 1)
    return replace_members(data, {"[Content_Types].xml": types.encode("utf-8"), "_rels/.rels": rels.encode("utf-8"),
                                  "word/main.dat": evil, "word/_rels/main.dat.rels": doc_rels})


def nested_docx(depth: int) -> bytes:
    """A contract inside ``depth`` levels of w:customXml (content a reader must look through)."""
    body = "<w:customXml w:element=\"x\">" * depth + _contract_body() + "</w:customXml>" * depth
    return replace_members(docx_bytes(["x"]), {"word/document.xml": document_xml(body)})


def zip_bomb_docx(megabytes: int = BOMB_MB) -> bytes:
    """A valid contract plus one member that inflates to ``megabytes`` MB of zeros (about 1 KB per MB stored)."""
    members = zip_members(docx_bytes(EN_CONTRACT))
    members.append(("word/media/image1.png", deflate_zeros(megabytes, -15), crc32_zeros(megabytes), megabytes << 20,
                    zipfile.ZIP_DEFLATED))
    return zip_bytes(members)


def many_parts_docx(count: int = 10_001) -> bytes:
    """A contract with ``count`` empty parts beside it (a zip bomb by entry count)."""
    members = zip_members(docx_bytes(EN_CONTRACT))
    members += [(f"customXml/item{i}.bin", b"", 0, 0, zipfile.ZIP_STORED) for i in range(count)]
    return zip_bytes(members)


def encrypted_entry_docx() -> bytes:
    """The zip's own (legacy) encryption flag on word/document.xml."""
    members = zip_members(docx_bytes(EN_CONTRACT))
    return zip_bytes(members, flags={"word/document.xml": 0x1})


def docm_bytes() -> bytes:
    """A macro-enabled document (.docm): its content type, a vbaProject.bin and the relationship to it."""
    data = docx_bytes(EN_CONTRACT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode("utf-8")
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    types = types.replace("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                          "application/vnd.ms-word.document.macroEnabled.main+xml")
    types = types.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                        'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    return replace_members(data, {"[Content_Types].xml": types.encode("utf-8"),
                                  "word/_rels/document.xml.rels": rels.encode("utf-8"),
                                  "word/vbaProject.bin": ole_bytes({"VBA": b"Attribute VB_Name = \"AutoOpen\""})})


# --------------------------------------------------------------------------------------------------------------
# OLE compound files: a legacy .doc and an encrypted Office file


_END, _FREE, _FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def ole_bytes(streams: dict[str, bytes], storages: tuple[str, ...] = ()) -> bytes:
    """A version-3 compound file ([MS-CFB]): one FAT sector, streams padded past the mini-stream cutoff."""
    sector = 512
    entries = [(name, 2, data.ljust(4096, b"\x00")) for name, data in streams.items()]
    entries += [(name, 1, b"") for name in storages]
    directory_entries = [("Root Entry", 5, b"")] + entries
    dir_sectors = -(-len(directory_entries) * 128 // sector)
    fat = [_FATSECT] + [2 + i for i in range(dir_sectors - 1)] + [_END]
    starts, body = [], b""
    for _, kind, data in entries:
        if kind != 2:
            starts.append(_END)
            continue
        count = -(-len(data) // sector)
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [_END]
        body += data.ljust(count * sector, b"\x00")
    assert len(fat) <= sector // 4, "one FAT sector only"
    fat_sector = struct.pack(f"<{sector // 4}I", *(fat + [_FREE] * (sector // 4 - len(fat))))
    directory = b""
    for index, (name, kind, data) in enumerate(directory_entries):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        child = 1 if index == 0 and len(directory_entries) > 1 else _FREE
        right = index + 1 if 0 < index < len(directory_entries) - 1 else _FREE
        start = _END if index == 0 else starts[index - 1]
        directory += (encoded.ljust(64, b"\x00") + struct.pack("<HBB3I", len(encoded), kind, 1, _FREE, right, child)
                      + bytes(16) + struct.pack("<I2Q", 0, 0, 0) + struct.pack("<IQ", start, len(data) if kind == 2 else 0))
    directory = directory.ljust(dir_sectors * sector, b"\x00")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<9I", 0, 1, 1, 0, 4096, _END, 0, _END, 0) + struct.pack("<109I", 0, *([_FREE] * 108)))
    return header + fat_sector + directory + body


def word_fib(encrypted: bool = False) -> bytes:
    """The start of a WordDocument stream: FibBase with wIdent 0xA5EC, nFib 0x00C1, fEncrypted as asked."""
    flags = 0x0100 if encrypted else 0
    return struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0411, 0, flags) + bytes(20)


def legacy_doc() -> bytes:
    """A Word 97-2003 .doc: a WordDocument stream starting with a FIB (wIdent 0xA5EC), not encrypted."""
    return ole_bytes({"WordDocument": word_fib() + "LICENCE AGREEMENT".encode("utf-16-le"), "1Table": b"\x00" * 64},
                     storages=("ObjectPool",))


def encrypted_docx() -> bytes:
    """A password-protected .docx as Office saves it: an OLE file with EncryptionInfo and EncryptedPackage."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<?xml version=\"1.0\"?><encryption/>"
    package = struct.pack("<Q", 4096) + random.Random(4).randbytes(4096)
    return ole_bytes({"EncryptionInfo": info, "EncryptedPackage": package}, storages=("\x06DataSpaces",))


# --------------------------------------------------------------------------------------------------------------
# PDF


def reportlab_pdf(lines: list[str], *, encrypt=None, image_only: bool = False) -> bytes:
    """A real PDF from reportlab: the lines on one page, or only an image (a scan without OCR)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    if image_only:
        from PIL import Image, ImageDraw
        from reportlab.lib.utils import ImageReader

        image = Image.new("L", (600, 800), 255)
        draw = ImageDraw.Draw(image)
        for n, line in enumerate(lines):
            draw.text((20, 20 + 18 * n), line[:90], fill=0)
        pdf.drawImage(ImageReader(image), 40, 60, 515, 720)
    else:
        pdf.setFont("Helvetica", 10)
        text = pdf.beginText(50, A4[1] - 60)
        for line in lines:
            text.textLine(line)
        pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def owner_restricted_pdf() -> bytes:
    """No password to open, but printing and copying forbidden by an owner password."""
    from reportlab.lib import pdfencrypt

    encrypt = pdfencrypt.StandardEncryption("", ownerPassword="owner-only", canPrint=0, canModify=0, canCopy=0,
                                            canAnnotate=0, strength=128)
    return reportlab_pdf(EN_CONTRACT, encrypt=encrypt)


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF file from object bodies (object 1 is the catalog), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), entries, data)


def text_operators(lines: list[str]) -> bytes:
    """A content stream showing ``lines`` in Helvetica (font resource /F1)."""
    ops = [b"BT /F1 10 Tf 50 780 Td 14 TL"]
    for line in lines:
        escaped = line.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(%s) Tj T*" % escaped)
    return b"\n".join(ops + [b"ET"])


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %s /Resources << /Font << /F1 %d 0 R >> >> >>"


def flate_bomb_pdf(megabytes: int = BOMB_MB) -> bytes:
    """A one-page contract whose second content stream inflates to ``megabytes`` MB of zeros (PDF whitespace)."""
    return pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _PAGE % (b"[4 0 R 5 0 R]", 6),
        pdf_stream(text_operators(EN_CONTRACT)),
        pdf_stream(deflate_zeros(megabytes, 15), b"/Filter /FlateDecode "),
        _FONT,
    ])


def image_bomb_pdf(megabytes: int = BOMB_MB) -> bytes:
    """A contract with an image that inflates to ``megabytes`` MB: text is read without decoding images."""
    return pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 6 0 R >> /XObject << /Im1 5 0 R >> >> >>",
        pdf_stream(text_operators(EN_CONTRACT) + b"\nq 100 0 0 100 50 50 cm /Im1 Do Q"),
        pdf_stream(deflate_zeros(megabytes, 15), b"/Type /XObject /Subtype /Image /Width 32768 /Height 32768 "
                   b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode "),
        _FONT,
    ])


def page_tree_loop_pdf() -> bytes:
    """A page tree whose intermediate node lists its own parent (and itself) among its kids."""
    return pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 >>",
        _PAGE % (b"5 0 R", 6),
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 2 >>",
        pdf_stream(text_operators(EN_CONTRACT)),
        _FONT,
    ])


def deep_nesting_pdf(depth: int = 100_000) -> bytes:
    """A page whose resources hold an array nested ``depth`` levels deep."""
    return pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /Deep " + b"[" * depth + b"]" * depth + b" >> >>",
        pdf_stream(text_operators(EN_CONTRACT)),
        _FONT,
    ])


# --------------------------------------------------------------------------------------------------------------
# The corpus


def _markup_lines() -> list[str]:
    return EN_CONTRACT[:2] + [f"{line} {MARKUP}" for line in EN_CONTRACT[2:]]


def _corpus(secret: Path, network_url: str) -> dict[str, tuple[str, object]]:
    """``{name: (expectation, maker)}``: makers are called lazily, so that listing the corpus costs nothing."""
    contract_pdf = lambda: reportlab_pdf(EN_CONTRACT)  # noqa: E731
    contract_docx = lambda: docx_bytes(EN_CONTRACT)  # noqa: E731
    return {
        # control cases: the same contract, clean
        "contract.pdf": ("ok", contract_pdf),
        "contract.docx": ("ok", contract_docx),
        # zip bombs and broken zips
        "zip_bomb.docx": ("zip bomb", zip_bomb_docx),
        "many_parts.docx": ("parts (limit", many_parts_docx),
        "encrypted_entry.docx": ("is encrypted", encrypted_entry_docx),
        "truncated.docx": ("damaged zip", lambda: contract_docx()[:18_000]),
        "random_zip.docx": ("damaged zip", lambda: b"PK\x03\x04" + random.Random(1).randbytes(20_000)),
        # XML attacks: refused before any XML parser sees them
        "xxe.docx": ("DOCTYPE", lambda: xxe_docx(secret, network_url)),
        "xxe_utf16.docx": ("DOCTYPE", lambda: utf16_doctype_docx(secret)),
        "billion_laughs.docx": ("DOCTYPE", billion_laughs_docx),
        "doctype_in_renamed_part.docx": ("DOCTYPE", renamed_part_doctype_docx),
        "deep_nesting.docx": ("nested more than 256 levels", lambda: nested_docx(10_000)),
        "nesting_200.docx": ("ok", lambda: nested_docx(200)),
        # Office containers
        "legacy.doc": ("legacy Word 97-2003 .doc", legacy_doc),
        "encrypted.docx": ("password-protected Office file", encrypted_docx),
        "macro.docm": ("ok", docm_bytes),
        # PDF
        "flate_bomb.pdf": ("decompression bomb", flate_bomb_pdf),
        "image_bomb.pdf": ("ok", image_bomb_pdf),
        "page_tree_loop.pdf": ("ok", page_tree_loop_pdf),
        "deep_nesting.pdf": ("ok", deep_nesting_pdf),
        "encrypted.pdf": ("password-protected PDF", lambda: reportlab_pdf(EN_CONTRACT, encrypt=PASSWORD)),
        "owner_restricted.pdf": ("ok", owner_restricted_pdf),
        "image_only.pdf": ("no page has a text layer", lambda: reportlab_pdf(EN_CONTRACT, image_only=True)),
        "truncated.pdf": ("not a readable PDF", lambda: contract_pdf()[:600]),
        "random_with_pdf_header.pdf": ("not a readable PDF", lambda: b"%PDF-1.7\n" + random.Random(2).randbytes(20_000)),
        # text
        "shift_jis.txt": ("ok", lambda: "\n".join(JA_CONTRACT).encode("cp932")),
        "utf16.txt": ("ok", lambda: "\n".join(JA_CONTRACT).encode("utf-16")),
        "markup.txt": ("ok", lambda: "\n".join(line + TEXT_CONTROLS[i % len(TEXT_CONTROLS)]
                                                for i, line in enumerate(_markup_lines())).encode("utf-8")),
        "markup.docx": ("ok", lambda: docx_bytes([line + DOCX_CONTROLS for line in _markup_lines()])),
        # nothing, or nothing readable
        "empty.docx": ("file is empty", lambda: b""),
        "blank.txt": ("file is empty", lambda: b" \r\n\t\n"),
        "zeros.pdf": ("only zero bytes", lambda: bytes(4096)),
        "random.docx": ("unknown format", lambda: random.Random(7).randbytes(65_536)),
        "undecodable.txt": ("unknown format", lambda: bytes(range(256)) * 16),
    }


# What each file of the corpus must get: "ok", or a substring of its one-line refusal.
EXPECTED: dict[str, str] = {name: expectation for name, (expectation, _) in _corpus(Path(SECRET_NAME), "").items()}


def make_corpus(folder: str | Path, network_url: str = "http://127.0.0.1:9/xxe") -> dict[str, str]:
    """Write every hostile file into ``folder``; returns ``EXPECTED``: ``{name: "ok" or a substring of the reason}``.

    The XXE files point at ``SECRET_NAME``, written beside the folder (not in it, so that a batch over the folder
    does not review it), and at ``network_url``, which a test may point at a socket it listens on.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    secret = folder.parent / SECRET_NAME
    secret.write_text(SECRET, encoding="utf-8")
    for name, (_, maker) in _corpus(secret, network_url).items():
        (folder / name).write_bytes(maker())
    return dict(EXPECTED)

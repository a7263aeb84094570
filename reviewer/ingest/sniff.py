"""Tell a file's format from its bytes (never its name): "pdf", "docx" or "txt", or a ReviewerError saying why not.

Every refusal is one line that names what the file is and what to do with it. Nothing here parses more
than it must: the OLE directory walk and the zip directory read are bounded by the file's own size.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

from reviewer.errors import ReviewerError
from reviewer.ingest.text import ENCODING_LABELS, decode_text, strip_bom

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
PDF_MAGIC = b"%PDF-"
PDF_SEARCH_BYTES = 1024  # readers accept junk before %PDF- within the first kilobyte

NOT_A_DOCUMENT = "not a PDF, Word (.docx) or text file"
UNKNOWN = f"unknown format: {NOT_A_DOCUMENT}"
EMPTY = "file is empty"
ENCRYPTED_OFFICE = ("password-protected Office file: remove the password in Word (File > Info > Protect Document) "
                    "and save again")
ENCRYPTED_DOC = ("password-protected Word 97-2003 .doc: remove the password in Word (File > Info > Protect Document) "
                 "and save as .docx")
LEGACY_DOC = "legacy Word 97-2003 .doc: open it in Word or LibreOffice and save as .docx (or PDF)"
OLE_OTHER = "an OLE/Office binary file that is not a Word document"
DAMAGED_ZIP = "not a valid Word file (damaged zip)"
ODT = "OpenDocument text (.odt): save it as .docx or PDF"
RTF = "RTF: save it as .docx or PDF"
WORD_XML = "a Word XML file (Word 2003 XML or Flat OPC): open it in Word and save as .docx"
FLAT_ODT = "OpenDocument text (.fodt): save it as .docx or PDF"
IMAGE = "an image ({}): scan it to a searchable PDF (OCR) first"
PROGRAM = "a program ({}), " + NOT_A_DOCUMENT
ARCHIVE = "a {} archive: extract the contract from it and review that file"

# (magic at offset 0, message) for binary formats that are never a contract.
_BINARY_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", IMAGE.format("PNG")),
    (b"\xff\xd8\xff", IMAGE.format("JPEG")),
    (b"GIF87a", IMAGE.format("GIF")),
    (b"GIF89a", IMAGE.format("GIF")),
    (b"II*\x00", IMAGE.format("TIFF")),
    (b"MM\x00*", IMAGE.format("TIFF")),
    (b"\x7fELF", PROGRAM.format("ELF executable")),
    (b"\xfe\xed\xfa\xce", PROGRAM.format("macOS executable")),
    (b"\xfe\xed\xfa\xcf", PROGRAM.format("macOS executable")),
    (b"\xce\xfa\xed\xfe", PROGRAM.format("macOS executable")),
    (b"\xcf\xfa\xed\xfe", PROGRAM.format("macOS executable")),
    (b"\xca\xfe\xba\xbe", PROGRAM.format("macOS universal binary or Java class")),
    (b"\x1f\x8b", ARCHIVE.format("gzip")),
    (b"7z\xbc\xaf\x27\x1c", ARCHIVE.format("7-Zip")),
    (b"Rar!\x1a\x07", ARCHIVE.format("RAR")),
    (b"\xfd7zXZ\x00", ARCHIVE.format("xz")),
    (b"\x28\xb5\x2f\xfd", ARCHIVE.format("zstd")),
    (b"%!PS", "a PostScript file: convert it to PDF first"),
)

# Whitespace that leaves a file empty; NUL is handled apart (a zero-filled file is damaged, not empty).
_BLANK_BYTES = b" \t\r\n\f\v"
# Control characters a text file should (almost) never contain; \t \n \r \f \v are layout.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_TEXT_SAMPLE_CHARS = 64 * 1024
_MAX_CONTROL_SHARE = 0.02
_GUESS_MIN_CHARS = 200
_XML_HEAD_CHARS = 4096
_WORD_XML_RE = re.compile(r'progid="Word\.Document"|<w:wordDocument\b|<pkg:package\b')


def sniff(data: bytes, path: str | Path) -> str:
    """The reader for ``data``: "pdf", "docx" or "txt"; ReviewerError (one line, what to do) otherwise."""
    body, bom = strip_bom(data)
    if not body.strip(_BLANK_BYTES):
        raise ReviewerError(path, EMPTY)
    if not bom and not body.strip(b"\x00"):
        raise ReviewerError(path, "file contains only zero bytes: it is damaged or was not copied completely")
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(OLE_MAGIC):
        raise ReviewerError(path, _ole_reason(data))
    if data.startswith(ZIP_MAGICS):
        return _sniff_zip(data, path)
    if body.lstrip(_BLANK_BYTES)[:5] == b"{\\rtf":
        raise ReviewerError(path, RTF)
    for magic, reason in _BINARY_MAGICS:
        if data.startswith(magic):
            raise ReviewerError(path, reason)
    if _is_windows_program(data):
        raise ReviewerError(path, PROGRAM.format("Windows executable"))
    if _is_tar(data):
        raise ReviewerError(path, ARCHIVE.format("tar"))
    if data.startswith((b"RIFF", b"RIFX")) and data[8:12] == b"WEBP":
        raise ReviewerError(path, IMAGE.format("WebP"))
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        raise ReviewerError(path, IMAGE.format("HEIC/AVIF"))
    if PDF_MAGIC in data[:PDF_SEARCH_BYTES]:
        return "pdf"
    return _sniff_text(data, path)


def _is_windows_program(data: bytes) -> bool:
    """An MZ header with a PE/NE signature where e_lfanew points (plain text rarely starts "MZ" anyway)."""
    if not data.startswith(b"MZ") or len(data) < 64:
        return False
    (offset,) = struct.unpack_from("<I", data, 0x3C)
    return data[offset:offset + 2] in (b"PE", b"NE", b"LE") or b"\x00" in data[:64]


def _is_tar(data: bytes) -> bool:
    """A POSIX or GNU tar header: "ustar" at offset 257."""
    return data[257:262] == b"ustar"


def _sniff_text(data: bytes, path: str | Path) -> str:
    """"txt" if the bytes decode and read as text; otherwise an unknown-format error."""
    try:
        text, encoding = decode_text(data, path)
    except ReviewerError:
        raise ReviewerError(path, UNKNOWN) from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ReviewerError(path, EMPTY)
    sample = text[:_TEXT_SAMPLE_CHARS]
    if len(_CONTROL_RE.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise ReviewerError(path, UNKNOWN)
    # A guessed single-byte code page turns any high bytes into "letters"; real prose has spaces or line breaks.
    guessed = encoding not in ENCODING_LABELS
    if guessed and len(sample) >= _GUESS_MIN_CHARS and not any(ch in " \t\n\r" for ch in sample):
        raise ReviewerError(path, UNKNOWN)
    # Office's single-file XML formats are text, but read as text they are all markup and no contract.
    head = sample[:_XML_HEAD_CHARS]
    if _WORD_XML_RE.search(head):
        raise ReviewerError(path, WORD_XML)
    if "<office:document" in head and "opendocument.text" in head:
        raise ReviewerError(path, FLAT_ODT)
    return "txt"


# --- ZIP: Office Open XML, OpenDocument, other archives --------------------------------------------------------

_ODF_KINDS = {
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp)",
    "application/vnd.oasis.opendocument.graphics": "an OpenDocument drawing (.odg)",
}
_RELS_OFFICE_DOCUMENT = re.compile(rb'Type="[^"]*/officeDocument"[^>]*Target="/?word/[^"]+\.xml"'
                                   rb'|Target="/?word/[^"]+\.xml"[^>]*Type="[^"]*/officeDocument"')
_MAX_MEMBER_READ = 64 * 1024


def _sniff_zip(data: bytes, path: str | Path) -> str:
    """"docx" for a Word package; an error naming any other zip (ODF, Excel, PowerPoint, plain archive)."""
    # zipfile raises a spread of exceptions (BadZipFile, EOFError, struct.error, NotImplementedError, ...)
    # on a damaged central directory; any of them means the same thing to the user.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            mimetype = _read_member(archive, "mimetype", names).strip()
            # Some writers name the main part differently (word/document2.xml); _rels/.rels says which.
            if any(n.startswith("word/") for n in names) and _RELS_OFFICE_DOCUMENT.search(
                    _read_member(archive, "_rels/.rels", names)):
                return "docx"
    except Exception:
        raise ReviewerError(path, DAMAGED_ZIP) from None
    raise ReviewerError(path, _zip_kind(names, mimetype))


def _read_member(archive: zipfile.ZipFile, name: str, names: set[str]) -> bytes:
    """The start of a member (bounded, so a zip bomb cannot inflate), or b"" when absent."""
    if name not in names:
        return b""
    with archive.open(name) as member:
        return member.read(_MAX_MEMBER_READ)


def _zip_kind(names: set[str], mimetype: bytes) -> str:
    """What a zip that is not a Word document is, as the user should hear it."""
    kind = mimetype.decode("ascii", "replace")
    if kind.startswith("application/vnd.oasis.opendocument.text"):
        return ODT
    if kind.startswith("application/vnd.oasis.opendocument"):
        what = next((v for k, v in _ODF_KINDS.items() if kind.startswith(k)), "an OpenDocument file")
        return f"{what}, {NOT_A_DOCUMENT}"
    if kind == "application/epub+zip":
        return "an EPUB e-book: convert it to PDF or .docx first"
    if any(n.startswith("xl/") for n in names):
        return f"an Excel workbook, {NOT_A_DOCUMENT}"
    if any(n.startswith("ppt/") for n in names):
        return f"a PowerPoint file, {NOT_A_DOCUMENT}"
    if "[Content_Types].xml" in names:
        return f"an Office Open XML package that is not a Word document, {NOT_A_DOCUMENT}"
    return "a zip archive, not a contract document: extract the contract and review that file"


# --- OLE compound files: legacy .doc/.xls/.ppt and encrypted OOXML -------------------------------------------------

_MAXREGSECT = 0xFFFFFFFA  # sector numbers at or above this are markers (end of chain, free, FAT, DIFAT)
_HEADER_DIFAT_ENTRIES = 109
_DIR_ENTRY_SIZE = 128
_MAX_DIR_ENTRIES = 10_000  # far more than any real document has; bounds a looping or hostile directory
_WORD_FIB_MAGIC = 0xA5EC
_FIB_ENCRYPTED = 0x0100  # fEncrypted in FibBase's flag word
_FIB_OBFUSCATED = 0x8000  # fObfuscated: XOR "encryption", also password-protected


class _OleError(Exception):
    """The compound-file structure could not be followed."""


class _Ole:
    """Just enough of [MS-CFB] to list directory entries and read a stream's first sector."""

    def __init__(self, data: bytes):
        if len(data) < 512:
            raise _OleError("truncated header")
        shift, = struct.unpack_from("<H", data, 0x1E)
        if shift not in (9, 12):
            raise _OleError("bad sector size")
        self.data = data
        self.sector_size = 1 << shift
        self.version3 = shift == 9
        (self.dir_start,) = struct.unpack_from("<I", data, 0x30)
        (self.mini_cutoff,) = struct.unpack_from("<I", data, 0x38)
        self.max_sectors = len(data) // self.sector_size + 1
        self.fat_sectors = self._fat_sector_list()

    def _fat_sector_list(self) -> list[int]:
        """The FAT's own sectors, from the header's DIFAT and then the DIFAT chain."""
        data = self.data
        fat = [s for s in struct.unpack_from(f"<{_HEADER_DIFAT_ENTRIES}I", data, 0x4C) if s < _MAXREGSECT]
        (difat,) = struct.unpack_from("<I", data, 0x44)
        per_sector = self.sector_size // 4 - 1  # the last entry links to the next DIFAT sector
        seen: set[int] = set()
        while difat < _MAXREGSECT and difat not in seen and len(seen) < self.max_sectors:
            seen.add(difat)
            entries = struct.unpack(f"<{per_sector + 1}I", self.sector(difat))
            fat.extend(s for s in entries[:per_sector] if s < _MAXREGSECT)
            difat = entries[per_sector]
        return fat

    def sector(self, index: int) -> bytes:
        """The bytes of sector ``index``; _OleError if it lies outside the file."""
        offset = (index + 1) * self.sector_size
        chunk = self.data[offset:offset + self.sector_size]
        if len(chunk) < self.sector_size:
            raise _OleError("sector outside the file")
        return chunk

    def next_sector(self, index: int) -> int:
        """The FAT entry for ``index``: the next sector of its chain."""
        per_sector = self.sector_size // 4
        which, slot = divmod(index, per_sector)
        if which >= len(self.fat_sectors):
            raise _OleError("sector outside the FAT")
        (value,) = struct.unpack_from("<I", self.sector(self.fat_sectors[which]), slot * 4)
        return value

    def entries(self) -> list[tuple[str, int, int, int]]:
        """(name, object type, start sector, size) of each used directory entry."""
        result = []
        seen: set[int] = set()
        current = self.dir_start
        while current < _MAXREGSECT:
            if current in seen or len(result) >= _MAX_DIR_ENTRIES:
                raise _OleError("directory chain loops")
            seen.add(current)
            chunk = self.sector(current)
            for offset in range(0, self.sector_size, _DIR_ENTRY_SIZE):
                name_len, kind = struct.unpack_from("<HB", chunk, offset + 0x40)
                if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                    continue  # unused slot
                name = chunk[offset:offset + name_len - 2].decode("utf-16-le", "replace")
                start, size_low, size_high = struct.unpack_from("<III", chunk, offset + 0x74)
                result.append((name, kind, start, size_low if self.version3 else size_low | size_high << 32))
            current = self.next_sector(current)
        return result


def _ole_reason(data: bytes) -> str:
    """Why an OLE compound file cannot be read: encrypted, legacy .doc, or not Word at all."""
    try:
        ole = _Ole(data)
        entries = ole.entries()
    except (_OleError, struct.error):
        return _ole_reason_from_names(data)
    names = {name for name, _, _, _ in entries}
    if not names:
        return _ole_reason_from_names(data)
    if {"EncryptedPackage", "EncryptionInfo"} & names:
        return ENCRYPTED_OFFICE
    for name, kind, start, size in entries:
        if name == "WordDocument" and kind == 2:
            return ENCRYPTED_DOC if _word_stream_encrypted(ole, start, size) else LEGACY_DOC
    return _ole_other(names)


def _word_stream_encrypted(ole: _Ole, start: int, size: int) -> bool:
    """Whether the WordDocument stream's FIB says the document is encrypted or obfuscated."""
    if size < ole.mini_cutoff or start >= _MAXREGSECT:
        return False  # a WordDocument stream is never this small in a real file; do not guess
    try:
        fib = ole.sector(start)
    except _OleError:
        return False
    ident, flags = struct.unpack_from("<H8xH", fib, 0)
    return ident == _WORD_FIB_MAGIC and bool(flags & (_FIB_ENCRYPTED | _FIB_OBFUSCATED))


def _ole_reason_from_names(data: bytes) -> str:
    """Fallback for a directory that cannot be walked: look for the stream names' UTF-16LE bytes."""
    def has(name: str) -> bool:
        return name.encode("utf-16-le") + b"\x00\x00" in data

    if has("EncryptedPackage") or has("EncryptionInfo"):
        return ENCRYPTED_OFFICE
    if has("WordDocument"):
        return LEGACY_DOC
    return _ole_other({n for n in ("Workbook", "Book", "PowerPoint Document") if has(n)})


def _ole_other(names: set[str]) -> str:
    """The not-Word message, naming the Office application when a stream gives it away."""
    if {"Workbook", "Book"} & names:
        return f"{OLE_OTHER} (an Excel 97-2003 .xls workbook)"
    if "PowerPoint Document" in names:
        return f"{OLE_OTHER} (a PowerPoint 97-2003 .ppt file)"
    return OLE_OTHER

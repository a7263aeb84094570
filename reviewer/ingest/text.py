"""Plain-text (and Markdown) ingestion: detect the encoding, then one Block per non-empty line.

Encodings are tried from the most to the least certain: a byte-order mark; BOM-less UTF-32/UTF-16 by
their NUL-byte pattern; ISO-2022-JP by its escapes; strict UTF-8; BOM-less Japanese UTF-16 by what its
characters read as; the two legacy Japanese encodings (CP932 and EUC-JP, scored against each other);
and only then charset-normalizer's guess.
"""

from __future__ import annotations

import codecs
import functools
import re
from pathlib import Path

from reviewer.errors import ReviewerError
from reviewer.model import Block

UNDECODABLE = "text is not in a known encoding (tried UTF-8, UTF-16, Shift_JIS, EUC-JP)"

# Codec names decode_text returns, as the user should read them in a note.
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16-le": "UTF-16 (little-endian)",
    "utf-16-be": "UTF-16 (big-endian)",
    "utf-32-le": "UTF-32 (little-endian)",
    "utf-32-be": "UTF-32 (big-endian)",
    "cp932": "Shift_JIS (cp932)",
    "euc_jp": "EUC-JP",
    "euc_jis_2004": "EUC-JP (JIS X 0213)",
    "iso2022_jp": "ISO-2022-JP",
    "iso2022_jp_2004": "ISO-2022-JP (JIS X 0213)",
    "iso2022_jp_ext": "ISO-2022-JP",
}

# UTF-32 marks first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Detection looks at this much of the file; the full decode that follows is still strict.
_SAMPLE_BYTES = 64 * 1024
_SCORE_CHARS = 200_000
_MIN_UTF16_LIKENESS = 0.85

# ISO-2022-JP switches into JIS X 0208/0212/0213 or JIS-Roman with these escapes.
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b$(D", b"\x1b$(Q", b"\x1b$(O")

# C0 controls other than \t \n \f (and \v, mapped to a newline first), DEL and C1 controls.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_HEADING_RE = re.compile(r"(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_NON_ASCII_RUN_RE = re.compile("[^\x00-\x7f]{2,}")
_BOLD_RE = re.compile(r"\*\*(?!\*)(.+?)\*\*")


def strip_bom(data: bytes) -> tuple[bytes, str | None]:
    """The bytes without a leading byte-order mark, and the codec that mark names (None without one)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):], encoding
    return data, None


@functools.lru_cache(maxsize=1)
def _common_kanji() -> frozenset[str]:
    """JIS X 0208 level-1 kanji, the ~3,000 in everyday use, read off the CP932 table (SJIS 889F-9872)."""
    chars = set()
    for lead in range(0x88, 0x99):
        for trail in range(0x40, 0xFD):
            if trail != 0x7F and 0x889F <= (lead << 8 | trail) <= 0x9872:
                chars.add(bytes((lead, trail)).decode("cp932", "ignore"))
    chars.discard("")
    return frozenset(chars)


def _char_counts(text: str) -> dict[str, int]:
    """How many characters of ``text`` fall in each class that matters for telling Japanese encodings apart.

    A code point picked at random is a CJK ideograph a third of the time but a common (level-1) kanji
    rarely, and almost never kana: so misdecoded bytes score low however many "kanji" they make.
    """
    common = _common_kanji()
    counts = dict.fromkeys(("ascii", "control", "kana", "kanji1", "kanji", "bad", "neutral", "rare"), 0)
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            counts["ascii" if ch.isprintable() or ch.isspace() else "control"] += 1
        elif 0x3000 <= o <= 0x30FF or 0xFF01 <= o <= 0xFF5E:
            counts["kana"] += 1  # kana, Japanese punctuation (、。「」・ー) and full-width forms (（）：１)
        elif ch in common:
            counts["kanji1"] += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
            counts["kanji"] += 1  # level-2 and rarer kanji: real (瑕疵) but also what random bytes make
        elif 0xFF61 <= o <= 0xFF9F or 0xE000 <= o <= 0xF8FF or o <= 0x9F:
            counts["bad"] += 1  # half-width katakana, private use, C1: what EUC-JP bytes read as CP932 become
        elif 0xA0 <= o <= 0x4FF or 0x2010 <= o <= 0x27BF or 0x3200 <= o <= 0x33FF:
            counts["neutral"] += 1  # Latin-1, Greek, Cyrillic, symbols, ①, ㈱, ㎡: in JIS but not telling
        else:
            counts["rare"] += 1
    return counts


def japanese_score(text: str) -> tuple[float, float, float]:
    """(kana share, plausibility, clustering) of the non-ASCII characters of ``text``.

    Kana share counts kana and Japanese punctuation. Plausibility counts kana and common kanji for, and
    half-width katakana, private-use and rare characters against: it tells EUC-JP from EUC-JP bytes misread
    as valid CP932. Clustering is the share standing next to another non-ASCII character, as Japanese words
    do and the odd kanji that a stray Windows-1252 quote becomes in CP932 does not.
    """
    sample = text[:_SCORE_CHARS]
    counts = _char_counts(sample)
    total = len(sample) - counts["ascii"] - counts["control"]
    telling = total - counts["neutral"]  # symbols such as ① are in every JIS encoding: they tell nothing
    if total <= 0 or telling <= 0:
        return 0.0, 0.0, 0.0
    plausibility = (counts["kana"] + counts["kanji1"] + 0.5 * counts["kanji"] - 2 * counts["bad"]
                    - counts["rare"]) / telling
    clustered = sum(len(run) for run in _NON_ASCII_RUN_RE.findall(sample))
    return counts["kana"] / total, plausibility, clustered / total


def _japanese_likeness(text: str) -> float:
    """Share of ``text`` that is what Japanese or English prose is made of (printable ASCII, kana, kanji)."""
    if not text:
        return 0.0
    counts = _char_counts(text)
    good = counts["ascii"] + counts["kana"] + counts["kanji1"] + counts["neutral"] + 0.5 * counts["kanji"]
    return good / len(text)


def _strict_prefix(data: bytes, encoding: str) -> str | None:
    """Decode a prefix strictly, tolerating a character cut at its end; None if it does not decode."""
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(data[:_SAMPLE_BYTES], final=False)
    except UnicodeDecodeError:
        return None


def _decode(data: bytes, encoding: str) -> str | None:
    """Decode all of ``data`` strictly, or None."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf32_without_bom(data: bytes) -> str | None:
    """UTF-32 codec name when three of every four bytes are mostly NUL in the pattern UTF-32 gives."""
    sample = data[: _SAMPLE_BYTES - _SAMPLE_BYTES % 4]
    if len(data) % 4 or len(sample) < 8:
        return None
    units = len(sample) // 4
    # The top byte is always NUL; the next one is too outside the rare supplementary planes.
    for encoding, top, next_ in (("utf-32-le", 3, 2), ("utf-32-be", 0, 1)):
        if sample[top::4].count(0) == units and sample[next_::4].count(0) >= 0.9 * units:
            return encoding
    return None


def _utf16_by_nuls(data: bytes) -> str | None:
    """UTF-16 codec name for BOM-less, mostly-Latin UTF-16: the high byte of each unit is NUL, the low one rarely."""
    sample = data[: _SAMPLE_BYTES - _SAMPLE_BYTES % 2]
    half = len(sample) // 2
    if not half:
        return None
    even_nul, odd_nul = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nul >= 0.2 * half and even_nul <= 0.25 * odd_nul:
        return "utf-16-le"
    if even_nul >= 0.2 * half and odd_nul <= 0.25 * even_nul:
        return "utf-16-be"
    return None


def _utf16_by_characters(data: bytes) -> str | None:
    """UTF-16 codec name for BOM-less Japanese UTF-16, which has few NULs but reads as kana and common kanji.

    The bytes of the other encodings (CP932, EUC-JP, UTF-8) read as UTF-16 almost never do.
    """
    if len(data) % 2:
        return None
    best, best_likeness = None, _MIN_UTF16_LIKENESS
    for encoding in ("utf-16-le", "utf-16-be"):
        likeness = _japanese_likeness(_strict_prefix(data, encoding) or "")
        if likeness >= best_likeness:
            best, best_likeness = encoding, likeness
    return best


def _legacy_japanese(data: bytes) -> tuple[str, str] | None:
    """Decode as CP932 or EUC-JP, whichever reads as real Japanese; None if neither does."""
    candidates = []
    # EUC-JIS-2004 is EUC-JP plus JIS X 0213 (which has ①, the NEC extension Windows users type).
    for encoding, fallback in (("cp932", None), ("euc_jp", "euc_jis_2004")):
        text = _decode(data, encoding)
        if text is None and fallback:
            encoding, text = fallback, _decode(data, fallback)
        if text is None:
            continue
        kana_share, plausibility, clustered = japanese_score(text)
        # Japanese prose has kana; kanji-only text (a heading, a list of terms) must at least come in words.
        # English cp1252 text with curly quotes also decodes as "valid" CP932, but into scattered kanji.
        if plausibility > 0.5 and (kana_share >= 0.1 or clustered >= 0.8):
            candidates.append((plausibility, encoding == "cp932", text, encoding))
    if not candidates:
        return None
    _, _, text, encoding = max(candidates)  # ties go to CP932, the more common of the two
    return text, encoding


def decode_text(data: bytes, path: str | Path) -> tuple[str, str]:
    """The text of ``data`` and the codec it was decoded with; ReviewerError if no encoding fits."""
    body, bom_encoding = strip_bom(data)
    if bom_encoding:
        text = _decode(body, bom_encoding)
        if text is not None:
            return text, bom_encoding
    # A stray trailing byte (an appended newline) should not hide an otherwise clean UTF-16 file.
    even = data[:-1] if len(data) % 2 and data[-1:] in (b"\x00", b"\n", b"\r", b" ") else data
    for encoding in filter(None, (_utf32_without_bom(data), _utf16_by_nuls(even))):
        text = _decode(even if encoding.startswith("utf-16") else data, encoding)
        if text is not None:
            return text, encoding
    # ISO-2022-JP is 7-bit, so strict UTF-8 would accept it as ASCII with escape characters.
    if any(esc in data for esc in _ISO2022_ESCAPES) and max(data, default=0) < 0x80:
        for encoding in ("iso2022_jp", "iso2022_jp_2004", "iso2022_jp_ext"):
            text = _decode(data, encoding)
            if text is not None:
                return text, encoding
    utf8 = _decode(data, "utf-8")
    if utf8 is not None and not _CONTROL_RE.search(utf8, 0, _SAMPLE_BYTES):
        return utf8, "utf-8"
    # Japanese UTF-16 whose bytes all happen to be below 0x80 is valid UTF-8 too, but full of control
    # characters (a newline is 0A 00, "、" is 01 30): then the reading that looks more like text wins.
    encoding = _utf16_by_characters(even)
    utf16 = _decode(even, encoding) if encoding else None
    if encoding and utf16 is not None and (
            utf8 is None or _japanese_likeness(utf16[:_SAMPLE_BYTES]) > _japanese_likeness(utf8[:_SAMPLE_BYTES])):
        return utf16, encoding
    if utf8 is not None:
        return utf8, "utf-8"
    legacy = _legacy_japanese(data)
    if legacy:
        return legacy
    return _guess(data, path)


def _guess(data: bytes, path: str | Path) -> tuple[str, str]:
    """charset-normalizer's best guess, the last resort."""
    from charset_normalizer import from_bytes

    try:
        best = from_bytes(data).best()
        if best is not None:
            return str(best), best.encoding
    except Exception:  # a third-party guesser that fails has made no guess: report the file, not a traceback
        pass
    raise ReviewerError(path, UNDECODABLE)


def read_text(data: bytes, path: str | Path) -> tuple[list[Block], int | None, list[str], list[str]]:
    """Blocks (one per non-empty line), page count (from form feeds), warnings and notes of a text file."""
    text, encoding = decode_text(data, path)
    warnings: list[str] = []
    notes: list[str] = []
    if encoding not in ("utf-8", "utf-8-sig"):
        if encoding in ENCODING_LABELS:
            notes.append(f"text decoded as {ENCODING_LABELS[encoding]}")
        else:
            notes.append(f"text decoded as {encoding}")
            warnings.append(f"the text encoding was guessed ({encoding}): check quoted text for garbled characters")
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Word puts \v for a manual line break in some exports; it separates lines, like U+2028/U+2029.
    text = text.replace("\v", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text, dropped = _CONTROL_RE.subn("", text)
    if dropped:
        notes.append(f"removed {dropped} control character{'s' if dropped != 1 else ''}")

    page_texts = text.split("\f")
    # pdftotext and printers end every page with a form feed: a blank tail is not one more page.
    if len(page_texts) > 1 and not page_texts[-1].strip():
        page_texts.pop()
    pages = len(page_texts) if "\f" in text else None

    blocks: list[Block] = []
    gap = False
    for number, page_text in enumerate(page_texts, start=1):
        for line in page_text.split("\n"):
            if not line.strip():
                gap = True
                continue
            blocks.append(_line_block(line.strip(), number if pages else None, gap))
            gap = False
    return blocks, pages, warnings, notes


def _line_block(line: str, page: int | None, gap_before: bool) -> Block:
    """One stripped line as a Block, with Markdown heading hashes and whole-line bold markers removed."""
    level = 0
    heading = _HEADING_RE.fullmatch(line) if line[0] == "#" else None
    if heading and heading.group(2):
        level, line = len(heading.group(1)), heading.group(2)
    bold = False
    whole_bold = _BOLD_RE.fullmatch(line) if line.startswith("**") else None
    if whole_bold and "**" not in whole_bold.group(1) and whole_bold.group(1).strip():
        bold, line = True, whole_bold.group(1).strip()
    return Block(text=line, page=page, is_line=True, gap_before=gap_before, heading_level=level, bold=bold)

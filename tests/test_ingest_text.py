"""Tests for reviewer.ingest.text: encoding detection, line blocks, form-feed pages and Markdown markers."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.errors import ReviewerError
from reviewer.ingest.text import UNDECODABLE, decode_text, read_text
from reviewer.model import Block

JA_SNIPPETS = [
    "第1条（目的）本契約は、甲が乙に対し、本ソフトウェアの非独占的な使用を許諾することを目的とする。",
    "第5条（秘密保持）\n乙は、本契約に関して知り得た甲の技術情報を第三者に開示してはならない。",
    "株式会社アルファ（以下「甲」という。）と株式会社ベータ（以下「乙」という。）は、次のとおり契約を締結する。",
    "第12条（知的財産権の帰属）本件成果物に係る著作権（著作権法第27条及び第28条の権利を含む。）は甲に帰属する。",
    "乙は、甲の承諾なく第三者に開示しない。",  # its EUC-JP bytes are also valid (garbage) CP932
    "甲は、乙に対し、対価を支払う。\n損害賠償",
]
EN_SNIPPETS = [
    "Article 1 (Purpose). The Licensor grants the Licensee a non-exclusive licence to use the Software.",
    "5.2 Confidentiality. The Recipient shall not disclose Confidential Information to any third party.",
]

# (codec to encode with, bytes to put in front, codec decode_text should report)
JA_ENCODINGS = [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
    ("utf-16-le", b"", "utf-16-le"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
    ("utf-16-be", b"", "utf-16-be"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le"),
    ("utf-32-be", b"", "utf-32-be"),
    ("cp932", b"", "cp932"),
    ("euc_jp", b"", "euc_jp"),
    ("iso2022_jp", b"", "iso2022_jp"),
]
EN_ENCODINGS = [e for e in JA_ENCODINGS if e[0] not in ("cp932", "euc_jp", "iso2022_jp")]


def _ids(encodings):
    return [f"{codec}{'-bom' if bom else ''}" for codec, bom, _ in encodings]


def blocks_of(text: str) -> list[Block]:
    """The blocks read_text makes of UTF-8 ``text``."""
    return read_text(text.encode("utf-8"), "a.txt")[0]


# --- decoding -------------------------------------------------------------------------------------


@pytest.mark.parametrize("snippet", JA_SNIPPETS)
@pytest.mark.parametrize(("codec", "bom", "expected"), JA_ENCODINGS, ids=_ids(JA_ENCODINGS))
def test_text_decode_japanese_encodings(snippet, codec, bom, expected):
    text, encoding = decode_text(bom + snippet.encode(codec), "a.txt")
    assert (text, encoding) == (snippet, expected)


@pytest.mark.parametrize("snippet", EN_SNIPPETS)
@pytest.mark.parametrize(("codec", "bom", "expected"), EN_ENCODINGS, ids=_ids(EN_ENCODINGS))
def test_text_decode_english_encodings(snippet, codec, bom, expected):
    text, encoding = decode_text(bom + snippet.encode(codec), "a.txt")
    assert (text, encoding) == (snippet, expected)


@pytest.mark.parametrize("snippet", JA_SNIPPETS)
def test_text_decode_eucjp_not_misread_as_cp932(snippet):
    data = snippet.encode("euc_jp")
    try:
        data.decode("cp932")  # the pitfall: EUC-JP bytes are often valid CP932 half-width katakana
    except UnicodeDecodeError:
        pass
    assert decode_text(data, "a.txt") == (snippet, "euc_jp")


@pytest.mark.parametrize("snippet", ["乙は、甲の承諾なく第三者に開示しない。", "甲は、乙に対し、対価を支払う。",
                                     "損害賠償"])
def test_text_decode_eucjp_bytes_that_are_valid_cp932(snippet):
    data = snippet.encode("euc_jp")
    assert data.decode("cp932") != snippet  # precondition: decodes, to half-width katakana garbage
    assert decode_text(data, "a.txt") == (snippet, "euc_jp")


@pytest.mark.parametrize(("codec", "expected"), [
    ("cp932", "cp932"), ("euc_jis_2004", "euc_jis_2004"), ("iso2022_jp_2004", "iso2022_jp_2004"),
    ("utf-16-le", "utf-16-le"),
])
def test_text_decode_circled_digits(codec, expected):
    snippet = "①　本契約の有効期間は、契約締結日から１年間とする。②　更新は書面による。"
    assert decode_text(snippet.encode(codec), "a.txt") == (snippet, expected)


def test_text_decode_cp1252_english_not_read_as_cp932():
    snippet = "The “Licensor” grants the “Licensee” a licence — see § 5 (café)."
    text, encoding = decode_text(snippet.encode("cp1252"), "a.txt")
    assert encoding not in ("cp932", "euc_jp")
    assert text == snippet


@pytest.mark.parametrize("data", [bytes(range(128, 256)) * 4, b"\x81\x00\xff" * 5 + b"\xfe\xfd"])
def test_text_decode_undecodable_raises(data):
    with pytest.raises(ReviewerError) as info:
        decode_text(data, "a.txt")
    assert info.value.reason == UNDECODABLE


def test_text_decode_utf16_odd_trailing_newline():
    data = JA_SNIPPETS[0].encode("utf-16-le") + b"\n"
    assert decode_text(data, "a.txt") == (JA_SNIPPETS[0], "utf-16-le")


@settings(max_examples=200, deadline=2000)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
def test_text_decode_roundtrips_any_utf8(text):
    decoded, encoding = decode_text(text.encode("utf-8"), "a.txt")
    # Pure-kana UTF-8 is still UTF-8; only the (tiny) UTF-16/32 heuristics could claim otherwise.
    if encoding == "utf-8":
        assert decoded == text


@settings(max_examples=200, deadline=2000)
@given(st.binary(max_size=2000))
def test_text_decode_random_bytes_only_reviewer_error(data):
    try:
        text, encoding = decode_text(data, "a.bin")
    except ReviewerError as error:
        assert error.reason == UNDECODABLE
    else:
        assert isinstance(text, str) and encoding


# --- notes and warnings ---------------------------------------------------------------------------


@pytest.mark.parametrize(("codec", "note"), [
    ("cp932", "text decoded as Shift_JIS (cp932)"),
    ("euc_jp", "text decoded as EUC-JP"),
    ("utf-16-le", "text decoded as UTF-16 (little-endian)"),
    ("utf-16-be", "text decoded as UTF-16 (big-endian)"),
])
def test_text_read_notes_encoding(codec, note):
    _, _, warnings, notes = read_text(JA_SNIPPETS[0].encode(codec), "a.txt")
    assert notes == [note]
    assert warnings == []


@pytest.mark.parametrize("data", [JA_SNIPPETS[0].encode("utf-8"), JA_SNIPPETS[0].encode("utf-8-sig")],
                         ids=["utf-8", "utf-8-sig"])
def test_text_read_utf8_has_no_note(data):
    blocks, pages, warnings, notes = read_text(data, "a.txt")
    assert (notes, warnings, pages) == ([], [], None)
    assert [b.text for b in blocks] == [JA_SNIPPETS[0]]  # the BOM is not part of the text


def test_text_read_guessed_encoding_warns():
    data = "Договор лицензии. Лицензиар предоставляет Лицензиату право использования программы.\n".encode("cp1251")
    blocks, _, warnings, notes = read_text(data, "a.txt")
    assert notes and notes[0].startswith("text decoded as ")
    assert warnings and "guessed" in warnings[0]
    assert blocks


# --- lines, gaps, pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_text_read_newline_styles(newline):
    text = newline.join(["Article 1", "The Licensor grants.", "", "", "Article 2", "  Indented line", ""])
    blocks = blocks_of(text)
    assert [(b.text, b.gap_before, b.is_line, b.page) for b in blocks] == [
        ("Article 1", False, True, None),
        ("The Licensor grants.", False, True, None),
        ("Article 2", True, True, None),
        ("Indented line", False, True, None),
    ]


def test_text_read_gap_before_counts_whitespace_only_lines():
    blocks = blocks_of("\n\nTitle\n \t\u3000\nBody\nMore")
    assert [(b.text, b.gap_before) for b in blocks] == [("Title", True), ("Body", True), ("More", False)]


@pytest.mark.parametrize(("text", "pages", "page_of_lines"), [
    ("One\fTwo\fThree", 3, [1, 2, 3]),
    ("One\nstill one\f\nTwo\f", 2, [1, 1, 2]),
    ("One\f\fThree", 3, [1, 3]),
    ("One\r\n\x0cTwo\r\n\x0c", 2, [1, 2]),
    ("No form feed\nhere", None, [None, None]),
], ids=["three-pages", "trailing-ff", "empty-page", "crlf-ff", "no-ff"])
def test_text_read_form_feeds_make_pages(text, pages, page_of_lines):
    blocks, page_count, _, _ = read_text(text.encode(), "a.txt")
    assert page_count == pages
    assert [b.page for b in blocks] == page_of_lines


def test_text_read_form_feed_mid_line_breaks_the_line():
    blocks, pages, _, _ = read_text(b"end of page 1\fstart of page 2", "a.txt")
    assert [(b.text, b.page) for b in blocks] == [("end of page 1", 1), ("start of page 2", 2)]
    assert pages == 2


def test_text_read_form_feed_in_cp932():
    data = "第1条（目的）\f第2条（定義）".encode("cp932")
    blocks, pages, _, notes = read_text(data, "a.txt")
    assert [(b.text, b.page) for b in blocks] == [("第1条（目的）", 1), ("第2条（定義）", 2)]
    assert pages == 2 and notes == ["text decoded as Shift_JIS (cp932)"]


def test_text_read_drops_control_characters_and_notes_it():
    blocks, _, _, notes = read_text(b"Lic\x00ence\x01 Agreement\x1b\nArticle\t1", "a.txt")
    assert [b.text for b in blocks] == ["Licence Agreement", "Article\t1"]
    assert notes == ["removed 3 control characters"]


@pytest.mark.parametrize("separator", ["\v", "\u2028", "\u2029"], ids=["vt", "line-sep", "para-sep"])
def test_text_read_line_separators_split_lines(separator):
    assert [b.text for b in blocks_of(f"first{separator}second")] == ["first", "second"]


def test_text_read_strips_indentation_and_trailing_space():
    blocks = blocks_of("    1.1 The Licensee shall   \n\u3000\u3000第2条　乙は、\t\n")
    assert [b.text for b in blocks] == ["1.1 The Licensee shall", "第2条　乙は、"]


def test_text_read_blank_file_gives_no_blocks():
    assert read_text(b"\n \n\t\n", "a.txt") == ([], None, [], [])


# --- Markdown -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "text", "level", "bold"), [
    ("# Licence Agreement", "Licence Agreement", 1, False),
    ("## 第1条（目的）", "第1条（目的）", 2, False),
    ("###### Deepest", "Deepest", 6, False),
    ("### Closing hashes ###", "Closing hashes", 3, False),
    ("####### Seven is not a heading", "####### Seven is not a heading", 0, False),
    ("#hashtag", "#hashtag", 0, False),
    ("#", "#", 0, False),
    ("**Article 5 Confidentiality**", "Article 5 Confidentiality", 0, True),
    ("## **Schedule 1**", "Schedule 1", 2, True),
    ("**甲** and **乙** agree", "**甲** and **乙** agree", 0, False),
    ("**Definitions:** as follows", "**Definitions:** as follows", 0, False),
    ("Text with **bold** inside", "Text with **bold** inside", 0, False),
    ("****", "****", 0, False),
    ("   # Indented heading", "Indented heading", 1, False),
], ids=["h1", "h2-ja", "h6", "closing", "h7", "no-space", "bare-hash", "bold", "heading-bold", "two-bolds",
        "bold-prefix", "inline-bold", "stars-only", "indented"])
def test_text_read_markdown_markers(line, text, level, bold):
    (block,) = blocks_of(line)
    assert (block.text, block.heading_level, block.bold) == (text, level, bold)


def test_text_read_markdown_document():
    source = "# 業務委託契約書\n\n## 第1条（目的）\n\n本契約は、**甲**が乙に委託する。\n\n**附則**\n"
    blocks = blocks_of(source)
    assert [(b.text, b.heading_level, b.bold, b.gap_before) for b in blocks] == [
        ("業務委託契約書", 1, False, False),
        ("第1条（目的）", 2, False, True),
        ("本契約は、**甲**が乙に委託する。", 0, False, True),
        ("附則", 0, True, True),
    ]


# --- through the ingestion entry point ------------------------------------------------------------------


def test_text_read_document_end_to_end():
    from reviewer.ingest import read_document

    data = "業務委託契約書\r\n\r\n第1条（目的）\r\n本契約は、甲が乙に対し業務を委託する。\r\n".encode("cp932")
    document = read_document("contract.pdf", data)  # the name says PDF; the bytes say text
    assert document.format == "txt"
    texts = [b.text for b in document.blocks]
    assert texts == ["業務委託契約書", "第1条（目的）", "本契約は、甲が乙に対し業務を委託する。"]
    assert document.notes == ("text decoded as Shift_JIS (cp932)",)
    assert document.pages is None

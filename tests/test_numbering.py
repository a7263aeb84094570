"""Numbering labels: every English and Japanese pattern the tree relies on."""

from __future__ import annotations

import pytest

from reviewer.segment.numbering import kanji_value, parse_label, roman_value


@pytest.mark.parametrize(
    ("text", "style", "value", "printed"),
    [
        ("ARTICLE I DEFINITIONS", "article", 1, "ARTICLE I"),
        ("Article 12 Term", "article", 12, "Article 12"),
        ("ARTICLE IV", "article", 4, "ARTICLE IV"),
        ("Section 2.3 Grant", "sec2", 3, "Section 2.3"),
        ("SECTION 5. CONFIDENTIALITY", "sec1", 5, "SECTION 5"),
        ("2.3 Grant of Licence", "dec2", 3, "2.3"),
        ("1.01. AIRSOPURE grants", "dec2", 1, "1.01"),
        ("1.1The initial scope", "dec2", 1, "1.1"),
        ("12.4.2 Notices", "dec3", 2, "12.4.2"),
        ("7. Term", "dec1", 7, "7"),
        ("(a) the Licensee shall", "(a)", 1, "(a)"),
        ("(c) any Affiliate", "(a)", 3, "(c)"),
        ("(iv) any claim", "(i)", 4, "(iv)"),
        ("(A) first", "(A)", 1, "(A)"),
        ("(2) second", "(1)", 2, "(2)"),
        ("A. AIRSOPURE and its affiliate", "A.", 1, "A"),
        ("a) first item", "a)", 1, "a)"),
        ("第3条（秘密保持）", "ja_article", 3, "第3条"),
        ("第十二条　乙は", "ja_article", 12, "第十二条"),
        ("第１２条　乙は", "ja_article", 12, "第１２条"),
        ("3条（定義）", "ja_article", 3, "3条"),
        ("第2章　総則", "ja_chapter", 2, "第2章"),
        ("２　乙は、前項の", "ja_para", 2, "２"),
        ("2　乙は、前項の", "ja_para", 2, "2"),
        ("①　本製品", "circled", 1, "①"),
        ("⑩　関連会社", "circled", 10, "⑩"),
        ("（1）甲は", "(1)", 1, "（1）"),
        ("(2) 乙は", "(1)", 2, "(2)"),
        ("一　第三者に", "kanji", 1, "一"),
        ("三　乙が", "kanji", 3, "三"),
        ("イ　甲は", "iroha", 1, "イ"),
    ],
)
def test_numbering_parses_label(text, style, value, printed):
    language = "ja" if any("\u3000" <= ch <= "\u9fff" or ch in "０１２３４５６７８９（" for ch in text) else "en"
    label = parse_label(text, language)
    assert label is not None
    assert (label.style, label.value, label.printed) == (style, value, printed)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("10 days after notice", "en"),
        ("2018 was a good year", "en"),
        ("Licensee shall pay", "en"),
        ("第3条に定める義務", "ja"),
        ("甲は、乙に対し", "ja"),
        ("", "en"),
    ],
)
def test_numbering_rejects_text_that_is_not_a_label(text, language):
    assert parse_label(text, language) is None


def test_numbering_roman_and_letter_are_both_offered():
    label = parse_label("(i) the first", "en")
    assert (label.style, label.value) == ("(i)", 1)
    assert (label.alt_style, label.alt_value) == ("(a)", 9)


@pytest.mark.parametrize(("text", "value"), [("iv", 4), ("IX", 9), ("xl", 40), ("mcm", None), ("iiii", None)])
def test_numbering_roman_value(text, value):
    assert roman_value(text) == value


@pytest.mark.parametrize(("text", "value"), [("一", 1), ("十", 10), ("十二", 12), ("二十三", 23), ("百五", 105),
                                             ("１２", 12), ("abc", None)])
def test_numbering_kanji_value(text, value):
    assert kanji_value(text) == value

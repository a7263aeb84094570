"""Clause numbering labels, English and Japanese: what a label looks like, its style and its value.

A label's *style* says which list it belongs to ("dec2" for 2.3, "(a)" for lower-case letters in
parentheses, "ja_article" for 第3条); its *value* is its position in that list (2.3 -> 3, (c) -> 3,
第十二条 -> 12). The clause tree is built from styles and values, never from indentation alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULLWIDTH = str.maketrans("０１２３４５６７８９（）．　", "0123456789(). ")
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)} | {chr(0x3251 + i): 21 + i for i in range(15)}
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_ROMAN_RE = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def to_halfwidth(text: str) -> str:
    """Full-width digits, parentheses, full stop and the ideographic space to their ASCII forms."""
    return text.translate(_FULLWIDTH)


def roman_value(text: str) -> int | None:
    """The value of a lower- or upper-case Roman numeral, or None when it is not one."""
    text = text.lower()
    if not text or not _ROMAN_RE.match(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total


def kanji_value(text: str) -> int | None:
    """The value of a Japanese numeral (一, 十二, 二十三, 百) or of ASCII/full-width digits."""
    text = to_halfwidth(text)
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS[ch] if current else _KANJI_DIGITS[ch]
        elif ch in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
        else:
            return None
    return total + current or None


def letter_value(text: str) -> int:
    """a -> 1, z -> 26, aa -> 27 (the way legal lists run past z)."""
    text = text.lower()
    return (len(text) - 1) * 26 + ord(text[-1]) - 96


@dataclass(frozen=True)
class Label:
    """A numbering label found at the start of a paragraph."""

    style: str  # the list it belongs to: "article", "dec1", "dec2", "(a)", "(i)", "ja_article", ...
    value: int  # its position in that list
    printed: str  # the label as printed, trailing full stop removed
    end: int  # where the label ends in the text (the clause text starts after it)
    alt_style: str | None = None  # "(i)" could be roman one or the letter i: the other reading
    alt_value: int | None = None
    parents: tuple[int, ...] = ()  # for decimals: the values of the enclosing levels (2.3 -> (2,))


_NUM = r"[0-9０-９]"
_KNUM = r"[0-9０-９一二三四五六七八九十百〇]"
_EN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("article", re.compile(r"(?:ARTICLE|Article)\s+([IVXLC]{1,7}|\d{1,3}|[A-Z])\b\.?(?=\s|$|[:.\-–—])")),
    ("part", re.compile(r"(?:CHAPTER|Chapter|PART|Part)\s+([IVXLC]{1,7}|\d{1,3})\b\.?(?=\s|$|[:.\-–—])")),
    ("section", re.compile(r"(?:SECTION|Section|§)\s*(\d{1,3}(?:\.\d{1,3}){0,4})\.?(?=\s|$|[:\-–—(])")),
    ("decimal", re.compile(r"(\d{1,3}(?:\.\d{1,3}){1,4})\.?(?=\s|$|\(|[A-Z“\"])")),
    ("decimal1", re.compile(r"(\d{1,3})(?:\.(?!\d)|(?=\s+[A-Z“\"]))")),
    ("paren", re.compile(r"\(([a-z]{1,2}|[ivxlc]{1,7}|[A-Z]{1,2}|[IVXLC]{1,7}|\d{1,3})\)(?=\s|$|[A-Z“\"(])")),
    ("closeparen", re.compile(r"([a-z]|[ivx]{1,5}|\d{1,2})\)(?=\s)")),
    ("letterdot", re.compile(r"([A-Z]|[a-z]|[IVX]{1,5}|[ivx]{1,5})\.(?=\s+\S)")),
    ("bracket", re.compile(r"\[(\d{1,3})\](?=\s)")),
]
_JA_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("ja_chapter", re.compile(rf"第\s*({_KNUM}{{1,4}})\s*章")),
    ("ja_section", re.compile(rf"第\s*({_KNUM}{{1,4}})\s*節")),
    ("ja_article", re.compile(rf"第\s*({_KNUM}{{1,4}})\s*条(?:の\s*({_KNUM}{{1,3}}))?(?=[\s　（(]|$|[^\sにのでをはがも、。とや及又])")),
    ("ja_article_bare", re.compile(rf"({_NUM}{{1,3}})\s*条(?=\s*[（(])")),
    ("circled", re.compile(r"([\u2460-\u2473\u3251-\u325f])")),
    ("(1)", re.compile(rf"[（(]\s*({_NUM}{{1,3}})\s*[）)]")),
    ("(イ)", re.compile(r"[（(]\s*([イロハニホヘトチリヌルヲ])\s*[）)]")),
    ("(a)", re.compile(r"[（(]\s*([a-zａ-ｚ])\s*[）)]")),
    ("kanji", re.compile(r"([一二三四五六七八九十]{1,3})(?:[\s　、．.]|(?=[^\s　、．.条章節項号つ人回年月日]))")),
    ("iroha", re.compile(r"([イロハニホヘトチリヌルヲ])[\s　．.]")),
    ("ja_para", re.compile(rf"({_NUM}{{1,2}})(?:[\s　]+|[.．](?!{_NUM})\s*)(?=\S)")),
]


def _decimal_label(printed: str, numbers: str, end: int, style_prefix: str = "dec") -> Label | None:
    parts = [int(p) for p in numbers.split(".") if p]
    if not parts or any(p > 300 for p in parts) or (len(parts) == 1 and parts[0] == 0):
        return None
    if len(parts) == 2 and parts[1] == 0:  # "6.0 LIABILITY": the section itself, numbered as its first line
        return Label(f"{style_prefix}1", parts[0], printed, end)
    return Label(f"{style_prefix}{len(parts)}", parts[-1], printed, end, parents=tuple(parts[:-1]))


def _alpha_label(token: str, printed: str, end: int, shape: str) -> Label | None:
    """A number, letter or Roman numeral in a given shape: shape "(x)" gives styles "(1)", "(a)", "(i)", "(A)"."""
    if token.isdigit():
        return Label(shape.replace("x", "1"), int(token), printed, end)
    upper = token.isupper()
    letter_style = shape.replace("x", "A" if upper else "a")
    roman_style = shape.replace("x", "I" if upper else "i")
    roman = roman_value(token)
    if roman is not None and roman > 39:
        roman = None  # (c) and (l) are letters: no list runs to a hundred items
    doubled = len(set(token)) == 1  # "a", "aa", "ii": also readable as a letter
    if roman is not None:  # i, v, x, ii, iv: a Roman numeral, or a letter; the tree decides
        if doubled:
            return Label(roman_style, roman, printed, end, alt_style=letter_style, alt_value=letter_value(token))
        return Label(roman_style, roman, printed, end)
    if doubled:
        return Label(letter_style, letter_value(token), printed, end)
    return None


def parse_label(text: str, language: str) -> Label | None:
    """The numbering label at the start of ``text``, if any (``text`` already stripped on the left)."""
    if not text:
        return None
    first = text[0]
    if language == "ja" or "\u3000" <= first <= "\u9fff" or first in "（０１２３４５６７８９":
        label = _parse_ja(text)
        if label is not None or language == "ja":
            return label
    return _parse_en(text)


def _parse_en(text: str) -> Label | None:
    first = text[0]
    for kind, pattern in _EN_PATTERNS:
        if kind in ("decimal", "decimal1", "bracket") and not first.isdigit() and first != "[":
            continue
        if kind in ("paren",) and first != "(":
            continue
        m = pattern.match(text)
        if not m:
            continue
        token = m.group(1)
        printed = m.group(0).rstrip(".").strip()
        end = m.end()
        if kind == "article":
            value = int(token) if token.isdigit() else roman_value(token) or letter_value(token)
            return Label("article", value, printed, end)
        if kind == "part":
            return Label("part", int(token) if token.isdigit() else roman_value(token) or 1, printed, end)
        if kind == "section":  # "Section 2.3" heads its own list, apart from bare "2." items inside clauses
            return _decimal_label(printed, token, end, "sec")
        if kind in ("decimal", "decimal1"):
            return _decimal_label(printed, token, end)
        if kind == "paren":
            return _alpha_label(token, printed, end, "(x)")
        if kind == "closeparen":
            return _alpha_label(token, printed, end, "x)")
        if kind == "letterdot":
            return _alpha_label(token, printed, end, "x.")
        if kind == "bracket":
            return Label("[1]", int(token), printed, end)
    return None


def _parse_ja(text: str) -> Label | None:
    for kind, pattern in _JA_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        token = m.group(1)
        printed = re.sub(r"[\s\u3000]+", "", m.group(0)).rstrip("．.、")
        end = m.end()
        if kind == "circled":
            return Label("circled", _CIRCLED[token], printed, end)
        if kind == "(イ)":
            return Label("(イ)", _IROHA.index(token) + 1, printed, end)
        if kind == "iroha":
            return Label("iroha", _IROHA.index(token) + 1, printed, end)
        if kind == "(a)":
            return Label("(a)", letter_value(to_halfwidth(token).lower()), printed, end)
        value = kanji_value(token)
        if value is None or value > 500:
            continue
        style = "ja_article" if kind == "ja_article_bare" else kind
        return Label(style, value, printed, end)
    # Katakana items in the a-i-u-e-o order: ア　イ　ウ
    if text[0] in _AIUEO and len(text) > 1 and text[1] in " 　.．":
        return Label("aiueo", _AIUEO.index(text[0]) + 1, text[0], 2)
    return None


def first_value(style: str) -> int:
    """The value a list of this style starts at (Japanese paragraphs start at 2: the first is unnumbered)."""
    return 2 if style == "ja_para" else 1

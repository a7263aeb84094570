"""Values a lawyer asks for, extracted from a provision's hit sentence: periods, amounts, parties, places.

Rules name an extractor; each returns a plain JSON value or None when the sentence does not state it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from reviewer.model import Document
from reviewer.segment.numbering import kanji_value, to_halfwidth

_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-four": 24, "thirty": 30, "thirty-six": 36, "forty": 40,
    "forty-eight": 48, "fifty": 50, "sixty": 60, "ninety": 90, "a": 1, "an": 1, "one hundred": 100,
}
_EN_UNIT = {"year": 1.0, "years": 1.0, "month": 1 / 12, "months": 1 / 12, "day": 1 / 365, "days": 1 / 365}
_EN_DURATION = re.compile(
    r"\b(?:(?P<word>" + "|".join(sorted(map(re.escape, _EN_NUMBERS), key=len, reverse=True)) + r")\s*"
    r"(?:\(\s*(?P<paren>\d{1,3})\s*\)\s*)?|(?P<digits>\d{1,3})\s*)[- ]?(?P<unit>years?|months?|days?)\b",
    re.IGNORECASE,
)
_JA_DURATION = re.compile(r"(?P<n>[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*(?P<unit>年間?|か月間?|ヶ月間?|ヵ月間?|カ月間?|日間?)")
_PERPETUAL = re.compile(r"\b(?:perpetual|perpetuity|indefinite(?:ly)?|in perpetuity|without (?:limit|limitation) (?:of|in) time|"
                        r"irrevocabl[ey])\b|無期限|期間の定めなく|永久|期限の定めのない", re.IGNORECASE)
_AMOUNT = re.compile(
    r"(?P<cur>US\$|U\.S\.\s?\$|\$|USD\s?|JPY\s?|¥|€|EUR\s?|£|GBP\s?)\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?"
    r"(?:\s*(?P<mult>million|billion|thousand))?|金\s*(?P<jnum>[0-9０-９,，]+)\s*(?P<jmult>万|億)?\s*円|"
    r"(?P<jnum2>[0-9０-９,，]+)\s*(?P<jmult2>万|億)?\s*円",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(?:%|percent|per cent|パーセント|％)", re.IGNORECASE)
_TERRITORY = re.compile(
    r"\b(?:in|within|throughout)\s+(?:the\s+)?(?P<place>(?:[A-Z][\w.&'-]*(?:\s+(?:of|and|the|[A-Z][\w.&'-]*))*)|worldwide)|"
    r"\bworld-?wide\b|\blaws? of (?:the\s+)?"
    r"(?P<law>(?:State|Commonwealth|Province|Republic|Kingdom) of [A-Z]\w*(?: [A-Z]\w*)*|[A-Z][\w]+(?: [A-Z][\w]+)*)(?=[,.;( ]|$)|"
    r"(?P<ja>日本国?|全世界|[^\s、。「」（）]{1,10}(?:国|州|地域))(?:の法律?|法|内|において)",
)
_STATE_OF = re.compile(r"^(?:the\s+)?(?:State|Commonwealth|Province) of\s+")
_INITIALS_END = re.compile(r"\b(?:[A-Z]\.){2,}$")  # "U.S."
_EN_MULTIPLIER = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_JA_MULTIPLIER = {"万": 1e4, "億": 1e8}
# What follows a party's alias when the party is the sentence's subject: a verb-ish word, or は/が.
_SUBJECT_FOLLOWS = re.compile(
    r"(?:'s)?\s*(?:shall|may|will|must|agrees|hereby|is entitled|has the right|can|は|が|に帰属|の単独)", re.IGNORECASE
)
_ROLE_ALIASES = {
    "licensor": "licensor", "licensee": "licensee", "company": "company", "investor": "investor", "investors": "investor",
    "purchaser": "investor", "purchasers": "investor", "ライセンサー": "licensor", "ライセンシー": "licensee",
    "実施許諾者": "licensor", "実施権者": "licensee", "発行会社": "company", "投資者": "investor", "投資家": "investor",
}


def extract_values(extractor: str, text: str, document: Document | None) -> Any:
    """Run a named extractor on a hit sentence."""
    return _EXTRACTORS[extractor](text, document)


def duration_years(text: str, _document: Document | None = None) -> float | None:
    """The longest period stated, in years: "five (5) years" -> 5, "36 months" -> 3, 「5年間」 -> 5."""
    found: list[float] = []
    for m in _EN_DURATION.finditer(text):
        n = int(m.group("paren") or m.group("digits") or _EN_NUMBERS.get((m.group("word") or "").lower(), 0))
        if n:
            found.append(n * _EN_UNIT[m.group("unit").lower()])
    for m in _JA_DURATION.finditer(text):
        n = kanji_value(m.group("n"))
        unit = m.group("unit")
        if n:
            found.append(n if unit.startswith("年") else n / 12 if "月" in unit else n / 365)
    return round(max(found), 2) if found else None


def perpetual(text: str, _document: Document | None = None) -> bool | None:
    """True when the sentence makes something perpetual, indefinite or irrevocable."""
    return True if _PERPETUAL.search(text) else None


def amount(text: str, _document: Document | None = None) -> float | None:
    """The largest money amount stated (in its own currency unit; 万円 and million multiplied out)."""
    best: float | None = None
    for m in _AMOUNT.finditer(text):
        if m.group("num"):
            value = float(m.group("num").replace(",", "") + ("." + m.group("dec") if m.group("dec") else ""))
            value *= _EN_MULTIPLIER.get((m.group("mult") or "").lower(), 1)
        else:
            digits = to_halfwidth(m.group("jnum") or m.group("jnum2") or "").replace(",", "").replace("，", "")
            if not digits.isdigit():
                continue
            value = float(digits) * _JA_MULTIPLIER.get(m.group("jmult") or m.group("jmult2") or "", 1)
        best = value if best is None else max(best, value)
    return best


def percentage(text: str, _document: Document | None = None) -> float | None:
    """The first percentage stated."""
    m = _PERCENT.search(to_halfwidth(text))
    return float(m.group(1)) if m else None


def territory(text: str, _document: Document | None = None) -> str | None:
    """The place a licence or a governing law names: "Japan", "the State of New York", 「日本国」."""
    for m in _TERRITORY.finditer(text):
        if m.group(0).lower().replace("-", "").startswith("worldwide") or "world" in m.group(0).lower() and not m.group("law"):
            return "worldwide"
        place = m.group("law") or m.group("place") or m.group("ja")
        if place and place not in ("This", "The", "Agreement", "Section", "Article"):
            place = place.strip().rstrip(",;")
            if place.endswith(".") and not _INITIALS_END.search(place):  # "Japan." but "U.S."
                place = place[:-1]
            return _STATE_OF.sub("", place)
    return None


def roles_by_alias(document: Document | None) -> dict[str, str]:
    """Each party alias and name the contract uses, mapped to a role (from the parties found)."""
    mapping = dict(_ROLE_ALIASES)
    if document is not None:
        for party in document.parties:
            if party.role:
                for key in (party.alias, party.name):
                    if key:
                        mapping[key.lower()] = party.role
    return mapping


def party(text: str, document: Document | None = None) -> str | None:
    """The role of the party a sentence is about: its subject ("Licensee may terminate", 「乙は」)."""
    mapping = roles_by_alias(document)
    candidates = sorted((k for k in mapping if k), key=len, reverse=True)
    if not candidates:
        return None
    # The subject comes first: the earliest alias followed by a verb-ish word or は/が.
    for m in _aliases_pattern(tuple(candidates)).finditer(text):
        if _SUBJECT_FOLLOWS.match(text[m.end():m.end() + 25]):
            return mapping.get(m.group(0).lower())  # every key is lower-cased
    return None


@lru_cache(maxsize=64)
def _aliases_pattern(aliases: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the aliases, longest first; compiled once per document's set of aliases, not once per sentence."""
    return re.compile("|".join(re.escape(k) for k in aliases), re.IGNORECASE)


_EXTRACTORS = {
    "duration_years": duration_years,
    "amount": amount,
    "party": party,
    "perpetual": perpetual,
    "territory": territory,
    "percentage": percentage,
}

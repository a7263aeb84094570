"""The contract's title and type (SPEC section 5), with the evidence a report shows."""

from __future__ import annotations

import re

from reviewer.model import Clause

# Title words to type, most specific first. English and Japanese.
_TITLE_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("investment", re.compile(r"investment agreement|subscription agreement|shareholders'? agreement|stock purchase|"
                              r"share purchase|convertible|SAFE\b|投資契約|株式引受|株主間契約|出資契約|資本提携", re.I)),
    ("joint_development", re.compile(r"joint development|co-?development|collaborat|research agreement|"
                                     r"共同研究|共同開発", re.I)),
    ("nda", re.compile(r"non-?disclosure|confidentiality agreement|secrecy agreement|\bNDA\b|秘密保持契約", re.I)),
    ("licence", re.compile(r"licen[cs]e|technology transfer|know-?how|franchise|OEM|ライセンス|実施許諾|使用許諾|"
                           r"技術移転|技術援助", re.I)),
    ("supply", re.compile(r"supply|manufactur|purchase agreement|distribut|reseller|売買|供給|製造委託|取引基本", re.I)),
    ("services", re.compile(r"services?|hosting|maintenance|consult|agency|sponsorship|endorsement|outsourc|"
                            r"PoC|技術検証|業務委託|利用契約|委任|請負", re.I)),
]
_TITLE_LINE = re.compile(r"agreement|contract|契約書?|覚書|合意書", re.I)
_NOISE = re.compile(r"^(?:exhibit|schedule|annex|confidential|execution (?:copy|version)|draft|モデル契約書|"
                    r"page\b|\[?logo\]?)", re.I)
# Body words for contracts whose title says little.
_BODY_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("licence", re.compile(r"grants? to .{0,40}licen[cs]e|royalt|licensed (?:patents|technology|know-how)|実施権|"
                           r"ロイヤルティ|許諾", re.I)),
    ("investment", re.compile(r"preferred stock|shares of|purchase price per share|closing|新株|株式|払込", re.I)),
    ("nda", re.compile(r"confidential information|秘密情報", re.I)),
    ("supply", re.compile(r"purchase orders?|deliver(?:y|ies) of (?:the )?products|発注|納入", re.I)),
    ("services", re.compile(r"services|業務", re.I)),
]


def find_title(texts: list[str], language: str) -> str:
    """The contract's title among its first lines: short, names an agreement, not cover noise."""
    seen = 0
    for text in texts:
        line = " ".join(text.split())
        if not line:
            continue
        seen += 1
        if seen > 15:
            break
        if _NOISE.match(line) or len(line) > 90:
            continue
        if _TITLE_LINE.search(line) and not line.endswith(("。", ".", ",")):
            return line
    return ""


def detect_contract_type(title: str, clauses: list[Clause], language: str) -> tuple[str, str]:
    """(type, evidence): from the title when it says, else from words in the first clauses."""
    for kind, pattern in _TITLE_TYPES:
        m = pattern.search(title)
        if m:
            return kind, f'title "{title}" ({m.group(0)!r})'
    sample = " ".join(c.text for c in clauses[:40] if c.kind != "commentary")[:30_000]
    counts = [(len(pattern.findall(sample)), kind, pattern) for kind, pattern in _BODY_TYPES]
    count, kind, pattern = max(counts, key=lambda t: t[0])
    if count >= 3:
        example = pattern.search(sample).group(0)
        return kind, f"no telling title; {count} mentions such as {example!r} in the first clauses"
    return "other", "neither the title nor the first clauses name a known contract type"

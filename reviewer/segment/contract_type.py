"""Find a contract's title and decide its type (licence, investment, NDA, ...) from the title, else from keywords.

Types follow SPEC §5: ``licence`` (licence, technology transfer, manufacturing/OEM with licensed know-how),
``investment`` (share subscription, investment, shareholders', convertible, strategic alliance with equity), ``nda``,
``joint_development``, ``supply``, ``services``, ``other``. Pure ``re``: this runs during segmentation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reviewer.model import Clause

CONTRACT_TYPES = ("licence", "investment", "nda", "joint_development", "supply", "services", "other")
TITLE_LINES = 15  # non-empty lines searched for the title
KEYWORD_CHARS = 30_000  # text searched for keywords when the title says nothing
MIN_KEYWORD_SCORE = 10  # below this, keyword evidence is too thin to name a type
KEYWORD_MARGIN = 1.5  # the best type must outscore the next by this factor

# --- title ------------------------------------------------------------------------------------------------------------

_TITLE_WORD = re.compile(
    r"\b(?:agreement|contract|licen[cs]e|memorandum|deed|terms\s+and\s+conditions|term\s+sheet|mou|addendum|"
    r"amendment|undertaking|letter\s+of\s+intent)\b|契約書|契約|覚書|合意書|約款|規約|念書|確認書",
    re.I,
)
# Cover-page noise that may contain a title word but is not the title.
_COVER_NOISE = re.compile(
    r"^\s*(?:exhibit|annex|schedule|appendix|attachment)\s+[\w.()-]+\s*$|^\s*(?:confidential|execution\s+(?:version|copy)|"
    r"draft|redacted|final|form\s+of)\b[\s\w]*$|モデル契約書\s*ver|ver\s*\d|v\d+[._]\d|^\s*page\s+\d|"
    r"confidential\s+treatment|omitted|redacted|filed\s+(?:separately|with)|securities\s+and\s+exchange|"
    r"^\s*source\s*:|table\s+of\s+contents|目次|\[\*+\]|indicates|in\s+witness\s+whereof|"
    # A numbered clause heading or list item ("4. LICENSE PERIOD.", "2.2 Agreement", "b) ..."), not a title.
    r"^\s*(?:\d+(?:\.\d+)*\.?|\(?[a-z]\)|第\S{1,4}条)\s",
    re.I,
)
# A sentence, not a title: English prose verbs, or a Japanese sentence end.
_SENTENCE_LIKE = re.compile(
    r"\b(?:is|are|was|were|shall|will|made|entered|dated\s+as|between|by\s+and|hereby|whereas)\b|。|する$|した$",
    re.I,
)
# "This Strategic Collaboration Agreement ("Agreement")...": the title stated inside the preamble.
_PREAMBLE_TITLE = re.compile(
    r"\bthis\s+((?:[A-Z][\w&,/'-]*\s+){0,8}?(?:Agreement|AGREEMENT|Contract|CONTRACT))\b"
    r"|([\u30a0-\u30ff\u4e00-\u9fffA-Za-z0-9・]{1,20}契約(?:書)?)（以下「本契約」",
    re.I,
)
# Text extraction often joins a cover page into one line with wide gaps: "Exhibit 10.1   LICENSE ...".
_WIDE_GAP = re.compile(r"\s{3,}|\t")
_JA_SENTENCE = re.compile(r"。\s*$|は、")
_NOT_LATIN = re.compile(r"[^A-Za-z]")
# The title word ends the line: "LICENSE AGREEMENT", "ライセンス契約書（新素材）".
_TITLE_WORD_LAST = re.compile(r"(?:agreement|contract|契約書|契約|覚書)\s*(?:[（(][^（）()]{0,20}[）)])?\s*$", re.I)


def _preamble_name(m: re.Match[str]) -> str:
    """The agreement's name a ``_PREAMBLE_TITLE`` match found, whitespace collapsed."""
    return " ".join((m.group(1) or m.group(2)).split())


def _title_lines(blocks_texts: Iterable[str]) -> list[str]:
    """The first non-empty lines, splitting blocks whose lines were joined with runs of spaces."""
    lines: list[str] = []
    for block in blocks_texts:
        for line in block.splitlines():
            for part in _WIDE_GAP.split(line):
                part = " ".join(part.split())
                if part:
                    lines.append(part)
                if len(lines) >= TITLE_LINES:
                    return lines
    return lines


def _title_score(line: str) -> int:
    """How title-like a line is (0 when it is no title): short, with a title word, ideally in capitals."""
    if not _TITLE_WORD.search(line) or _COVER_NOISE.search(line) or len(line) > 150:
        return 0
    score = 3
    if (line.endswith(".") and len(line) > 40) or _JA_SENTENCE.search(line):
        return 0  # a sentence
    if _SENTENCE_LIKE.search(line):
        if len(line) > 60:
            return 0
        score -= 2
    letters = _NOT_LATIN.sub("", line)
    if letters and letters.isupper():
        score += 2
    if _TITLE_WORD_LAST.search(line):
        score += 2
    if len(line) <= 80:
        score += 1
    return score


def find_title(blocks_texts: list[str], language: str) -> str:
    """The contract's title among its first ~15 non-empty lines ("" when none looks like one).

    The patterns cover English and Japanese at once (Japanese contracts carry English titles too), so ``language``
    changes nothing today; it stays in the signature for callers and future rules.
    """
    lines = _title_lines(blocks_texts)
    best, best_score = "", 0
    for line in lines:
        score = _title_score(line)
        if score > best_score:
            best, best_score = line, score
    if best:
        return best
    # No title line: the preamble often names the agreement ("This Strategic Collaboration Agreement ...").
    for line in lines:
        m = _PREAMBLE_TITLE.search(line)
        if m:
            return _preamble_name(m)
    return ""


# --- type -------------------------------------------------------------------------------------------------------------

# Title rules, most specific first: (pattern, type, why). The first rule that matches the title decides.
_TITLE_RULES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(p, re.I), t, why)
    for p, t, why in [
        (r"秘密保持|機密保持|守秘義務|\bnon[-\s]?disclosure\b|\bnondisclosure\b|\bconfidentiality\b|\bsecrecy\b|\bNDA\b",
         "nda", "a non-disclosure agreement"),
        (r"\bshare\s+subscription\b|\b(?<!saas\s)(?<!software\s)(?<!service\s)subscription\s+agreement\b|"
         r"\b(?:stock|share|note|unit)\s+purchase\b|\binvestment\s+agreement\b|\bshareholders?['’]?\b|"
         r"\bstockholders?['’]?\b|\bconvertible\b|\bpreferred\s+stock\b|(?-i:\bSAFE\b)|\bsimple\s+agreement\s+for\s+future|"
         r"\bwarrant\b|\bequity\b|投資契約|株式引受|新株予約権|株主間|株式譲渡|出資契約|資本提携|資本業務提携|引受契約",
         "investment", "an investment or share agreement"),
        (r"技術検証|\bPoC\b|proof\s+of\s+concept|\bevaluation\s+agreement\b|feasibility",
         "services", "a proof-of-concept (technical evaluation) agreement, reviewed as services"),
        (r"共同研究|共同開発|\bjoint\s+(?:research|development)\b|\bco-?development\b|\bresearch\s+and\s+development\b|"
         r"\bcollaborat\w*\b|\bcooperation\b|\bresearch\s+agreement\b",
         "joint_development", "a joint research or development agreement"),
        (r"ライセンス|実施許諾|使用許諾|利用許諾|技術移転|技術供与|ノウハウ|\blicen[cs]\w*\b|\btechnology\s+transfer\b|"
         r"\bknow[-\s]how\b|\bintellectual\s+property\b|\bpatent\b|\bfranchise\b|\broyalty\b",
         "licence", "a licence or technology transfer agreement"),
        (r"製造委託|\bOEM\b|\bmanufactur\w*\b|\btoll\s+manufactur",
         "supply", "a manufacturing or OEM agreement"),
        (r"売買|供給|販売店|販売代理|代理店|取引基本|\bsupply\b|\bdistribut\w*\b|\breseller\b|\bdealer\b|"
         r"\bpurchase\b|\bsales?\s+agreement\b|\bprocurement\b|\bconsignment\b",
         "supply", "a supply, sale or distribution agreement"),
        (r"業務委託|委託|請負|準委任|利用契約|サービス|保守|運用|コンサルティング|開発委託|"
         r"\bservices?\b|\bconsult\w*\b|\bhosting\b|\bmaintenance\b|\bsupport\b|\boutsourc\w*\b|\bSaaS\b|"
         r"\bsubscription\b|\bengagement\b|\bstatement\s+of\s+work\b|\bdevelopment\s+agreement\b|\bagency\b",
         "services", "a services agreement"),
        (r"\bstrategic\s+alliance\b|\bjoint\s+venture\b|業務提携|合弁", "alliance", "an alliance or joint venture"),
        (r"\bendorsement\b|\bsponsorship\b|\bco-?branding\b|\bmarketing\b|\bpromotion\b|\btransportation\b|"
         r"\baffiliat\w*\b|\bnon-?compet\w*\b|\bnon-?solicit\w*\b|\bescrow\b|\bguarant\w*\b|\blease\b|"
         r"\bemployment\b|\bloan\b|\bfiling\b|\btermination\b|雇用|賃貸借|保証|金銭消費貸借",
         "other", "a kind of contract outside the reviewed types"),
    ]
]  # fmt: skip
# The same reasons in Japanese, for reports written in Japanese.
_WHY_JA = {
    "a non-disclosure agreement": "秘密保持契約",
    "an investment or share agreement": "投資・株式に関する契約",
    "a proof-of-concept (technical evaluation) agreement, reviewed as services": "技術検証（PoC）契約（業務委託として検討）",
    "a joint research or development agreement": "共同研究・共同開発契約",
    "a licence or technology transfer agreement": "ライセンス・技術移転契約",
    "a manufacturing or OEM agreement": "製造委託・OEM契約",
    "a supply, sale or distribution agreement": "供給・売買・販売店契約",
    "a services agreement": "業務委託契約",
    "an alliance or joint venture": "業務提携・合弁契約",
    "a kind of contract outside the reviewed types": "検討対象外の種類の契約",
    "a use (service) agreement, reviewed as services": "利用契約（業務委託として検討）",
}
_TYPE_JA = {"licence": "ライセンス", "investment": "投資", "nda": "秘密保持", "joint_development": "共同開発",
            "supply": "供給", "services": "業務委託", "other": "その他"}

# Said once more in the evidence when the title leaves room for doubt.
_TITLE_NOTES = {
    "利用契約": "a use (service) agreement, reviewed as services",
    "技術検証": "a proof-of-concept (technical evaluation) agreement, reviewed as services",
    "PoC": "a proof-of-concept (technical evaluation) agreement, reviewed as services",
}

# Keyword evidence in the text: (pattern, type, weight). Counts are capped so that one repeated word cannot win.
_KEYWORDS: list[tuple[re.Pattern[str], str, int]] = [
    (re.compile(p, re.I), t, w)
    for p, t, w in [
        (r"\bgrants?\b[^.]{0,120}?\blicen[cs]e\b|\blicen[cs]e\s+(?:is\s+)?grant"
         r"|(?:実施権|使用権|ライセンス)[^。]{0,20}?(?:許諾|付与|設定)する", "licence", 4),
        (r"\broyalt(?:y|ies)\b|ロイヤルティ|ライセンス料|実施料", "licence", 2),
        (r"\blicensor\b|\blicensee\b|ライセンサー|ライセンシー|実施権|実施許諾|使用許諾", "licence", 1),
        (r"\bpurchase\s+price\s+per\s+share\b|\bprice\s+per\s+share\b|払込金額|1株当たり", "investment", 4),
        (r"\b(?:preferred|common)\s+(?:stock|shares)\b|\bsubscri(?:be|ption)\s+(?:for|to)\b|新株|株式の発行|募集株式",
         "investment", 3),
        (r"\bclosing\b|\bshares\b|\bcapitali[sz]ation\b|\binvestors?\b|株式|投資者|投資家|出資", "investment", 1),
        (r"\bconfidential\s+information\b|秘密情報", "nda", 1),
        (r"\bdisclosing\s+party\b|\breceiving\s+party\b|開示者|受領者", "nda", 2),
        (r"\bjoint(?:ly)?\s+develop|\bresearch\s+plan\b|\bco-?develop|共同研究|共同開発|研究計画",
         "joint_development", 3),
        (r"\bpurchase\s+orders?\b|\bdeliver(?:y|ies)\b|\bshipment\b|個別契約|発注|納入|納品|検収", "supply", 2),
        (r"\bstatement\s+of\s+work\b|\bservice\s+levels?\b|業務委託|委託業務|本業務|本サービス", "services", 3),
        (r"\bservices\b|\bconsultant\b", "services", 1),
    ]
]  # fmt: skip
_CAP = 4  # matches counted per keyword pattern
# Equity that turns an alliance or joint venture into an investment.
_EQUITY = re.compile(
    r"\b(?:subscribe|purchase|issue|acquire|contribut)\w*\s+(?:\S+\s+){0,4}?(?:shares|stock|equity|capital)\b"
    r"|\bequity\s+(?:interest|stake|investment)|\bcapital\s+contribution|株式を引き受|出資",
    re.I,
)


def _clean_quote(text: str, limit: int = 80) -> str:
    """A short verbatim excerpt, whitespace collapsed, for the evidence string."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _first_match(pattern: re.Pattern[str], clauses: list[Clause]) -> str:
    """The first words ``pattern`` finds in the first clauses ("" if none)."""
    seen = 0
    for clause in clauses:
        m = pattern.search(clause.text)
        if m:
            return m.group(0)
        seen += len(clause.text)
        if seen > KEYWORD_CHARS:
            break
    return ""


def _grants_licence(clauses: list[Clause]) -> str:
    """The first licence-grant words in the first clauses: manufacturing with licensed know-how."""
    return _first_match(_KEYWORDS[0][0], clauses)


def _has_equity(clauses: list[Clause]) -> str:
    """The first words about shares or equity in the first clauses."""
    return _first_match(_EQUITY, clauses)


def _type_from_title(title: str, clauses: list[Clause], lang: str = "en", where: str = "title") -> tuple[str, str] | None:
    """The type the title names, with its evidence (in ``lang``); None when the title names none.

    ``where``: "title", or "preamble" when the name comes from the preamble's words for the agreement.
    """
    ja = lang == "ja"
    for pattern, kind, why in _TITLE_RULES:
        if not pattern.search(title):
            continue
        if ja:
            quoted = f"{'表題' if where == 'title' else '前文での名称'}「{_clean_quote(title)}」"
        else:
            quoted = f'{"title" if where == "title" else "preamble names it"} "{_clean_quote(title)}"'
        note = next((n for key, n in _TITLE_NOTES.items() if key in title), why)
        if kind == "supply" and why.startswith("a manufacturing"):
            grant = _grants_licence(clauses)
            if grant:
                grant = _clean_quote(grant, 60)
                return "licence", (f"{quoted}: ライセンスを伴う製造（「{grant}」）" if ja
                                   else f'{quoted}: manufacturing with a licence ("{grant}")')
        if kind == "alliance":  # a strategic alliance or joint venture is an investment when it comes with equity
            equity = _has_equity(clauses)
            if equity:
                equity = _clean_quote(equity, 60)
                return "investment", (f"{quoted}: 出資を伴う提携（「{equity}」）" if ja
                                      else f'{quoted}: an alliance with equity ("{equity}")')
            return "other", (f"{quoted}: 出資条件のない提携・合弁" if ja
                             else f"{quoted}: an alliance or joint venture without equity terms")
        return kind, f"{quoted}: {_WHY_JA.get(note, note) if ja else note}"
    return None


def _type_from_keywords(clauses: list[Clause], lang: str = "en") -> tuple[str, str]:
    """The type that keywords in the first ~30,000 characters point to, or ``other``."""
    scores = dict.fromkeys(CONTRACT_TYPES, 0)
    first_quote: dict[str, str] = {}
    seen = 0
    for clause in clauses:
        if clause.kind == "commentary":
            continue
        text = clause.text[: KEYWORD_CHARS - seen]
        for pattern, kind, weight in _KEYWORDS:
            hits = pattern.findall(text)
            if hits:
                scores[kind] += weight * min(len(hits), _CAP)
                first_quote.setdefault(kind, hits[0] if isinstance(hits[0], str) else "")
        seen += len(text)
        if seen >= KEYWORD_CHARS:
            break
    kind = max(scores, key=lambda k: scores[k])
    runner_up = max(v for k, v in scores.items() if k != kind)
    if scores[kind] < MIN_KEYWORD_SCORE or scores[kind] < KEYWORD_MARGIN * runner_up:
        if lang == "ja":
            return "other", (f"表題に種類の記載がなく、はっきりしたキーワードもない（最多は{_TYPE_JA[kind]}の"
                             f"{scores[kind]}点、次点{runner_up}点）")
        return "other", (
            f"no type in the title and no clear keywords (best: {kind} score {scores[kind]}, next {runner_up})"
        )
    quote = _clean_quote(first_quote.get(kind, ""), 60)
    if lang == "ja":
        return kind, f"キーワード「{quote}」ほか（{_TYPE_JA[kind]}の得点{scores[kind]}点、次点{runner_up}点）"
    return kind, f'keywords: "{quote}" and others ({kind} score {scores[kind]}, next best {runner_up})'


def detect_contract_type(title: str, clauses: list[Clause], language: str, report_language: str | None = None
                         ) -> tuple[str, str]:
    """(type, evidence): the contract type from the title, else from the preamble's name for it, else from keywords.

    The evidence is written in ``report_language`` (default English); quotes stay as the contract has them.
    """
    lang = report_language or "en"
    if title:
        found = _type_from_title(title, clauses, lang)
        if found:
            return found
    # The preamble may name the agreement even when no title line was found.
    for clause in clauses[:5]:
        m = _PREAMBLE_TITLE.search(clause.text[:2000])
        if m:
            found = _type_from_title(_preamble_name(m), clauses, lang, where="preamble")
            if found:
                return found
    return _type_from_keywords(clauses, lang)

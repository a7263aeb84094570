"""Find the contracting parties and the defined terms of a contract (English and Japanese), with ``re`` only.

Everything here runs during segmentation, so it must stay fast and safe on hostile text: every pattern is
linear-time in practice (bounded repeats over negated character classes, no nested unbounded quantifiers).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from reviewer.model import Clause, DefinedTerm, Party

MAX_PARTIES = 6
PREAMBLE_KINDS = ("title", "preamble")
FIRST_CLAUSES = 3  # clauses searched when segmentation marked no preamble
FALLBACK_CHARS = 5_000  # text searched when the preamble yields no party
DEFINITION_CHARS = 300  # longest defining sentence kept verbatim
MAX_SHORT_NAMES = 100  # short names examined per clause for parties: parties come first, and hostile text is long

# --- roles -----------------------------------------------------------------------------------------------------------

# Alias (lower-cased, without "the") -> role. Investment-dependent words are resolved in ``_role_for``.
_EN_ROLES = {
    "licensor": "licensor",
    "licensors": "licensor",
    "licenser": "licensor",
    "sublicensor": "licensor",
    "licensee": "licensee",
    "licensees": "licensee",
    "sublicensee": "licensee",
    "investor": "investor",
    "investors": "investor",
    "subscriber": "investor",
    "subscribers": "investor",
    "lender": "investor",
    "noteholder": "investor",
    "holder": "investor",
    "discloser": "discloser",
    "disclosing party": "discloser",
    "recipient": "recipient",
    "receiving party": "recipient",
    "supplier": "supplier",
    "seller": "supplier",
    "vendor": "supplier",
    "manufacturer": "supplier",
    "buyer": "buyer",
    "distributor": "buyer",
    "reseller": "buyer",
    "dealer": "buyer",
    "client": "customer",
    "customer": "customer",
    "contractor": "provider",
    "provider": "provider",
    "service provider": "provider",
    "consultant": "provider",
    "developer": "provider",
    "issuer": "company",
}
_INVESTMENT_DEPENDENT = {
    "company": ("company", ""),
    "purchaser": ("investor", "buyer"),
    "purchasers": ("investor", "buyer"),
}

_JA_ROLES = {
    "ライセンサー": "licensor",
    "実施許諾者": "licensor",
    "許諾者": "licensor",
    "使用許諾者": "licensor",
    "ライセンシー": "licensee",
    "実施権者": "licensee",
    "被許諾者": "licensee",
    "使用権者": "licensee",
    "発行会社": "company",
    "投資者": "investor",
    "投資家": "investor",
    "引受人": "investor",
    "割当先": "investor",
    "開示者": "discloser",
    "情報開示者": "discloser",
    "受領者": "recipient",
    "情報受領者": "recipient",
    "売主": "supplier",
    "供給者": "supplier",
    "買主": "buyer",
    "委託者": "customer",
    "発注者": "customer",
    "受託者": "provider",
    "受注者": "provider",
}
_JA_ORDINALS = frozenset("甲乙丙丁戊己")
# Role words that may stand near a Japanese party ("ライセンサーであるX社"); longest first: 被許諾者 before 許諾者.
_JA_ROLE_WORDS = re.compile("|".join(sorted(_JA_ROLES, key=len, reverse=True)))
_EN_ROLE_NEARBY = re.compile(r"\bas\s+(?:the\s+)?(" + "|".join(sorted(_EN_ROLES, key=len, reverse=True)) + r")\b", re.I)

_INVESTMENT_WORDS = re.compile(
    r"\b(?:shares?|stock|stockholders?|shareholders?|subscri(?:be|ption)|preferred|convertible|equity|warrants?)\b"
    r"|株式|新株|出資|投資|払込",
    re.I,
)

# Defined terms that are never contracting parties, whatever precedes them.
_NOT_PARTY = {
    "agreement", "this agreement", "contract", "effective date", "execution date", "commencement date",
    "closing date", "date", "party", "parties", "each party", "confidential information", "territory", "term",
    "products", "product", "services", "service", "affiliate", "affiliates", "intellectual property", "patents",
    "licensed products", "licensed patents", "field", "joint venture", "system", "program", "technology",
    "本契約", "本件契約", "本覚書", "原契約", "個別契約", "本秘密保持契約", "本共同研究開発契約", "秘密情報", "当事者",
    "本製品", "本件", "本検証", "本研究", "本業務", "本サービス", "本特許権", "本技術", "本地域",
}  # fmt: skip

# Words in a short name that make it a thing, not a party ("Second Amendment", "Annual Fee", "1940 Act").
_NOT_PARTY_WORDS = re.compile(
    r"\b(?:agreement|amendment|addendum|schedule|exhibit|appendix|annex|year|fees?|date|term|territor(?:y|ies)|act|"
    r"rules?|statement|work|products?|services?|program|plan|units?|stock|shares?|notes?|information|page)\b",
    re.I,
)
_NOT_PARTY_NAME = re.compile(r"\b(?:agreement|amendment|addendum|act\s+of\s+\d{4}|rule\s+\d+)\b", re.I)

# --- English ----------------------------------------------------------------------------------------------------------

# A quoted short name. Straight and curly quotes; a straight double quote may close a curly one (bad OCR, mixed fonts).
_DQ = r"[\"“”]\s*([^\"“”()\n]{1,60}?)\s*[\"“”]"
_SQ = r"['‘]\s*([^'‘’\"“”()\n]{1,60}?)\s*['’]"
_Q = rf"(?:{_DQ}|{_SQ})"
# A second short name, double quotes only: ("ABC" or the "Company").
_Q2 = r"(?:[\"“”]\s*([^\"“”()\n]{1,60}?)\s*[\"“”])"
# Words allowed before the quote inside the parenthesis: (hereinafter referred to as "X"), (collectively, the "X").
_PREFIX_WORDS = (
    r"(?:(?:hereinafter|hereafter|herein|referred|to|as|called|the|this|each|collectively|together|individually|"
    r"jointly|a|an|or|and|sometimes|also|being|known|its|such|in\s+this\s+agreement)\b[\s,:]*){0,8}"
)
# "(together with its successors and assigns, if any, "Lessor")": a clause ending in a comma before the quote.
_PAREN_LEAD = r"(?:[^()\"“”\n]{0,200}?,\s*)?"
_OR_TAIL = r"(?:\s*,?\s*(?:or|and|and/or)\s+(?:the\s+)?" + _Q2 + r")?"
_EN_ALIAS = re.compile(
    r"\(\s*" + _PAREN_LEAD + _PREFIX_WORDS + _Q + _OR_TAIL + r"[^()\n]{0,200}?\)"
    # The same without parentheses: ABC Inc., hereinafter referred to as "Client", and ...; referred to herein as "X".
    r"|\b(?:(?:hereinafter|hereafter)\s+(?:referred\s+to\s+as|called|known\s+as)?"
    r"|(?:referred\s+to|called|known)\s+(?:in\s+this\s+agreement\s+|herein(?:after)?\s+|hereunder\s+)?as)"
    r"\s*(?:the\s+)?" + _Q2 + _OR_TAIL,
    re.I,
)
_BETWEEN = re.compile(r"\b(?:between|among(?:st)?)\b[\s:]*", re.I)
_BY = re.compile(r"\bby\b\s*", re.I)
_LEAD_NOISE = re.compile(
    r"^(?:[\s,;:.\-–—]|(?:and|&|or)\b|\(?\d{1,2}[.)]|\([a-zA-Z]\)|[A-Z]\)(?=\s)|BETWEEN\b|AMONG\b|AND\b|"
    r"WHEREAS\b|Whereas\b|of\s+the\s+(?:one|other|first|second|third)\s+part\b|of\s+(?:one|the\s+other)\s+part\b)+",
)
# Where a party's name stops: its description ("a Delaware corporation", "having its office at", "(formerly ...").
_NAME_END = re.compile(
    r"\(|(?:\s+|\s*,\s*)(?:an?|having|with|whose|which|who|located|organi[sz]ed|incorporated|existing|formed|duly|"
    r"acting|registered|residing|doing\s+business|d/b/a|on\s+behalf|at|being|hereinafter|herein|its|of\s+\d|"
    r"represented|through|together\s+with|by\s+its|care\s+of|c/o)\b"
    r"|\s+(?:is|are)\s+(?:an?|the)\b|,\s*(?=\d)|;|[\"“”]"
    # An address straight after the name: "ORGANIC PREPARATIONS INC. 2nd Floor, ...", "LIMITED Unit 05".
    r"|\s+(?=\d{1,6}(?:st|nd|rd|th)?\s+[A-Z][a-z])|\s+(?=(?:Unit|Suite|Floor|Room|Level|P\.\s?O\.\s?Box)\s)",
)
# Words after which, in the fallback reading, a name starts.
_TAIL_STARTS = re.compile(
    r"\b(?:WHEREAS|Whereas|AGREEMENT|Agreement|BETWEEN|Between|AMONG|Among|BY|By|AND|And|and|THIS|This)\b[:,]?\s+"
)
# Lower-case words that may sit inside a name ("Bank of America", "Sandler O'Neill & Partners").
_NAME_CONNECTORS = frozenset(
    "of and & the de du des la le von van der den y e et da do di für for in d/b/a dba inc inc. ltd ltd. llc corp "
    "corp. co co. plc gmbh".split()
)
_NOT_NAME_START = re.compile(
    r"(?:exhibit|section|article|schedule|annex|appendix|attachment|page|whereas|now|this|these|recitals?|"
    r"background|witnesseth|the\s+parties|each|either|both)\b",
    re.I,
)
_ABBREV_END = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|Llc|L\.L\.C|Ltda|Pte|Pty|Bhd|N\.V|B\.V|S\.A|A\.G|L\.P|L\.L\.P|P\.C|Plc|S\.p\.A|K\.K|[A-Z])\.$",
    re.I,
)
# Words that make a name an organisation's. Short foreign suffixes ("AS", "SA", "Co") only count in their usual case:
# "As used herein" names nobody.
_ENTITY_WORDS = re.compile(
    r"\b(?i:inc|incorporated|corp|corporation|company|llc|l\.l\.c|ltd|limited|l\.p|llp|plc|gmbh|s\.a|n\.v|b\.v|"
    r"k\.k|pte|pty|srl|s\.r\.l|s\.p\.a|group|holdings?|partners|partnership|trust|bank|university|institute|college|"
    r"foundation|association|hospital|center|centre|laboratories|labs?|technologies|systems|pharmaceuticals?|"
    r"therapeutics|networks)\b\.?"
    r"|\b(?:Co|CO|LP|AG|SA|NV|BV|KK|AB|AS|ASA|Oy|SpA|SE|GIE|G\.I\.E)\b\.?",
)
_SENTENCE_WORDS = re.compile(r"\b(?:is|are|was|shall|will|may|must|hereby|agrees?|whereas|this\s+agreement)\b", re.I)
# "Party A: ABC Co., Ltd." anywhere (text extraction often joins the lines); "Licensor: ABC Inc." at a line start.
_EN_LABEL_LINE = re.compile(
    r"(?:(?<=\s)|^)(Party\s+[A-D])[ \t]*[:：][ \t]*([^\n]{2,160})"
    r"|^[ \t]*(Licensor|Licensee|Seller|Buyer|Supplier|Purchaser|Client|Customer|Contractor|Company|Investor|"
    r"Disclosing\s+Party|Receiving\s+Party|Service\s+Provider|Provider)[ \t]*[:：][ \t]*([^\n]{2,160})$",
    re.M | re.I,
)
# The end of a sentence: a full stop before a capital, but not after an initial ("M. D.") or "Inc.", "Co.", "No.".
_SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!\.[a-z])(?<!\bInc)(?<!\bCo)(?<!\bLtd)(?<!\bCorp)(?<!\bNo)(?<!\bSt)(?<!\bMr)(?<!\bMs)"
    r"(?<!\bDr)(?<!\bJr)(?<!\bPty)\.\s+(?=[A-Z])"
)
# A new line in a party list: a blank line, or a line opening with "(2)", "2.", "(b)".
_LIST_BREAK = re.compile(r"\n[ \t]*(?:\n|(?=\(?\d{1,2}[.)]|\([a-z]\)))")
# Where the name after "Party A:" stops when the text lost its line breaks.
_LABEL_NAME_END = re.compile(
    r"\s{2,}|\s+(?:Legal\s+Representative|Address|Registered|Domicile|Tel|Fax)\b|\s*Party\s+[A-D]\s*[:：]"
)
# Unnamed parties of form agreements: "between the Company, the Purchasers, and the Key Holders".
_EN_ROLE_LIST = re.compile(
    r"\b(?:between|among)\s+((?:(?:,\s*)?(?:and\s+)?the\s+[A-Z][A-Za-z]{2,20}(?:\s+[A-Z][A-Za-z]{2,20})?){2,6})"
)
# A party described, not named, right before its short name: "and the investors listed on Exhibit A".
_ROLE_DESCRIPTION = re.compile(
    r"(?:^|\b(?:between|among|and)\s+|,\s*)((?:the|each\s+of\s+the|those|such)\s+[^,;()\"“”]{3,80}?),?\s*$", re.I
)
# A name after a party's short name: ("Tripath"), and Uniquest Corporation.
_AND_NAME = re.compile(r"\s*,?\s*and\s+([A-Z][^()\n\"“”]{1,80}?)(?=(?<![A-Z])[.;]\s|\s+\d|\s*\n|$)")
# "between ABC Inc. and XYZ LLC" with no short names at all.
_SUFFIX = r"(?i:Inc|Incorporated|Corp|Corporation|Company|LLC|Ltd|Limited|plc|GmbH|AG|S\.A|N\.V|B\.V|L\.P|LLP)\b\.?"
_EN_PLAIN_PAIR = re.compile(
    r"\b(?i:between)\s+([A-Z][^()\n]{1,100}?\b" + _SUFFIX + r"),?\s+(?i:and)\s+([A-Z][^()\n]{1,100}?\b" + _SUFFIX + r")"
)

# --- Japanese ---------------------------------------------------------------------------------------------------------

_JA_ALIAS = re.compile(
    r"[（(]\s*以下\s*[、,，]?\s*(?:単に|併せて|あわせて|合わせて|総称して)?\s*[、,，]?\s*[「『]([^」』「『\n]{1,30})[」』]"
    r"[^（）()「」『』\n]{0,15}[）)]"
)
# A separator before a Japanese party name; ASCII spaces and commas are not ("ABC Manufacturing Co., Ltd.").
_JA_NAME_SEP = re.compile(
    r"[、。，\n\u3000「」『』：:]|(?:契約|本書|本覚書)は|である|に本店を置く|に本店を有する|に所在する|を有する"
)
_JA_LEAD = re.compile(r"^(?:と|及び|および|並びに|ならびに|\s)+")
_JA_TRAILING_PAREN = re.compile(r"[（(][^（）()]{0,80}[）)]\s*$")
_JA_ENTITY = re.compile(
    r"株式会社|有限会社|合同会社|合名会社|合資会社|法人|大学|機構|研究所|センター|組合|協会|銀行|財団|事務所|"
    r"社$|Inc\.?|Ltd\.?|LLC|Corporation|Co\.",
)
_JA_LABEL_LINE = re.compile(r"^[ \t\u3000]*([甲乙丙丁])[ \t\u3000]*[:：][ \t\u3000]*([^\n]{2,80})$", re.M)

# --- small patterns used per word or per candidate name (compiled once) ---------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")
_LEADING_THE = re.compile(r"^the\s+", re.I)
_SPACES = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z]")
_CAPITAL = re.compile(r"[A-Z]")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
_INNER_MARK = re.compile(r"[.\-]\w|\w[A-Z]")  # "deltathree.com", "eBay"
_AGREEMENT_WORD = re.compile(r"\bagreement\b", re.I)
# "LICENSE PERIOD. During the Term, Rogers": a full stop after a word that is no abbreviation ends a sentence.
_WORD_STOP = re.compile(r"\b(?!(?:Corp|Bros|Intl|Assn|Mfg)\.)[A-Za-z]{4,}\.\s+[A-Z]")
_PARTY_WORD = re.compile(r"\bpart(?:y|ies)\b", re.I)
_ALL_CAPS_NAME = re.compile(r"[A-Z][A-Z0-9&.-]+")
_THE_ROLE = re.compile(r"the\s+([A-Z][A-Za-z]{2,20}(?:\s+[A-Z][A-Za-z]{2,20})?)")


def _norm(s: str) -> str:
    """Case-, space- and punctuation-insensitive form of a name, for comparisons."""
    return _NON_WORD.sub(" ", s.casefold()).strip()


def _is_investment(clauses: list[Clause]) -> bool:
    """Whether the contract speaks of shares or investment enough to read "Company"/"Purchaser" as investment roles."""
    seen = 0
    text_len = 0
    for clause in clauses:
        seen += len(_INVESTMENT_WORDS.findall(clause.text, 0, 20_000))
        text_len += len(clause.text)
        if seen >= 3 or text_len > 20_000:
            break
    return seen >= 3


def _role_for(alias: str, investment: bool) -> str:
    """The role an alias names ("" for 甲/乙, "Party A" or a plain short name)."""
    if alias in _JA_ROLES:
        return _JA_ROLES[alias]
    key = _SPACES.sub(" ", _LEADING_THE.sub("", alias.strip().casefold()))
    if key in _EN_ROLES:
        return _EN_ROLES[key]
    if key in _INVESTMENT_DEPENDENT:
        when_investment, otherwise = _INVESTMENT_DEPENDENT[key]
        return when_investment if investment else otherwise
    return ""


def _name_word(word: str) -> bool:
    """Whether a word can be part of a name: capitalised, a number, a connector ("of", "&"), or "deltathree.com"."""
    if not _LATIN.search(word) or word[0].isupper() or word[0].isdigit():
        return True
    return word.casefold().rstrip(",") in _NAME_CONNECTORS or bool(_INNER_MARK.search(word))


def _trailing_name(words: list[str], from_start: bool = False) -> list[str]:
    """The name-like words at the end of ``words`` (or at their start): capitalised words and their connectors."""
    if from_start:
        stop = next((i for i, w in enumerate(words) if not _name_word(w)), len(words))
        run = words[:stop]
    else:
        start = len(words)
        while start > 0 and _name_word(words[start - 1]):
            start -= 1
        run = words[start:]
    while run and run[0].casefold() in _NAME_CONNECTORS - {"the"}:
        run = run[1:]
    while run and run[-1].casefold() in {"of", "and", "&", "the", "for", "in"}:
        run = run[:-1]
    return run


def _last_end(pattern: re.Pattern[str], text: str) -> int:
    """The end of the last match of ``pattern`` in ``text``, or -1."""
    end = -1
    for m in pattern.finditer(text):
        end = m.end()
    return end


def _clean_en_name(context: str) -> str:
    """The party name at the end of ``context``, the words between the previous short name and this one."""
    # Party lists put each party on its own line or paragraph: the name starts after the last break.
    breaks = _last_end(_LIST_BREAK, context)
    if breaks >= 0:
        context = context[breaks:]
    context = " ".join(context.split())
    between = _last_end(_BETWEEN, context)
    if between >= 0:
        # "between ABC Inc. 2nd Floor, Port Vila. Vanuatu": the description may hold full stops; cut it first.
        context = _LEAD_NOISE.sub("", context[between:])
        end = _NAME_END.search(context)
        context = context[: end.start()] if end else context
        sentence = _last_end(_SENTENCE_END, context)
        name = context[sentence:] if sentence >= 0 else context
    else:
        # No "between": the name starts the sentence (or follows "by"), and ends where its description starts.
        sentence = _last_end(_SENTENCE_END, context)
        if sentence >= 0:
            context = context[sentence:]
        by = _last_end(_BY, context)
        if by >= 0 and not _ENTITY_WORDS.search(context[:by]):
            context = context[by:]
        context = _LEAD_NOISE.sub("", context)
        end = _NAME_END.search(context)
        name = context[: end.start()] if end else context
    return _tidy_name(name)


def _tidy_name(name: str) -> str:
    """A name without leading list marks, prose before or after it, or surrounding punctuation."""
    name = _LEAD_NOISE.sub("", name)
    words = name.split()
    # "HOVIONE INTER AG, together with its subsidiaries": the name-like words at the start; failing that, at the end
    # ("professional golfer, TOM WATSON").
    name = " ".join(_trailing_name(words, from_start=True) or _trailing_name(words))
    name = name.strip(" ,;:-–—\"“”'")
    if name.endswith(".") and not _ABBREV_END.search(name):
        name = name[:-1].rstrip()
    return name


def _name_candidates(context: str) -> list[str]:
    """Possible party names before a short name, best first.

    Usually the name starts the phrase and its description follows ("ABC Inc., a Delaware corporation");
    sometimes prose comes first and the name sits right before the short name ("The undersigned is a shareholder
    of Gulf South Medical Supply, Inc. ("GSMS")", "WHEREAS HEMISPHERX").
    """
    first = _clean_en_name(context)
    tail = " ".join(context[-300:].split())
    cut = _last_end(_TAIL_STARTS, tail)
    second = _tidy_name(tail[cut:] if cut >= 0 else tail)
    end = _NAME_END.search(second)
    second = _tidy_name(second[: end.start()]) if end else second
    return [first, second] if second and second != first else [first]


def _looks_like_en_name(name: str) -> bool:
    """Whether ``name`` reads as a company's or a person's name rather than prose."""
    if not 2 <= len(name) <= 120 or len(name.split()) > 14:
        return False
    if not _CAPITAL.search(name) or _SENTENCE_WORDS.search(name) or _NOT_NAME_START.match(name):
        return False
    if _AGREEMENT_WORD.search(name) or _WORD_STOP.search(name):
        return False
    first = name[0]
    return first.isupper() or first.isdigit() or bool(_ENTITY_WORDS.search(name))


def _alias_matches_name(alias: str, name: str) -> bool:
    """Whether the short name is derived from the full name (a word of it, its initials, its start)."""
    a, n = _norm(alias), _norm(name)
    if not a or not n or len(a) > len(n):
        return False
    a_words, n_words = a.split(), n.split()
    compact = a.replace(" ", "")
    if all(w in n_words for w in a_words) or n.replace(" ", "").startswith(compact):
        return True
    if len(compact) >= 3 and any(w.startswith(compact) for w in n_words):  # "SCIEN" for "Scientific Products"
        return True
    # Initials ("IBM") only count for a company's name: "Video-on-Demand ("VOD")" is a thing.
    initials = "".join(w[0] for w in n_words)
    return len(compact) >= 2 and compact in initials and bool(_ENTITY_WORDS.search(name))


def _accept_party(name: str, alias: str, role: str) -> bool:
    """Whether a name with its short name is a contracting party rather than a defined thing."""
    if _norm(alias) in _NOT_PARTY or _norm(name) in _NOT_PARTY or _NOT_PARTY_WORDS.search(alias):
        return False
    if _NOT_PARTY_NAME.search(name):
        return False
    if not _looks_like_en_name(name) or _PARTY_WORD.search(name):
        return False
    if _norm(name) == _norm(alias) and not role and not _ENTITY_WORDS.search(name):
        return bool(_ALL_CAPS_NAME.fullmatch(name))  # "HEMISPHERX ("HEMISPHERX")", not "Content ("Content")"
    return bool(role) or bool(_ENTITY_WORDS.search(name)) or _alias_matches_name(alias, name)


def _en_parties(clause: Clause, text: str, investment: bool) -> Iterator[Party]:
    """English parties defined in ``text``: a name followed by its short name, or "Party A:" lines."""
    boundary = 0
    for count, m in enumerate(_EN_ALIAS.finditer(text)):
        if count >= MAX_SHORT_NAMES:
            break
        aliases = [g for g in m.groups() if g]
        start = max(boundary, m.start() - 600)
        boundary = m.end()
        if not aliases:
            continue
        aliases = [_LEADING_THE.sub("", a.strip().strip(".,;:")) for a in aliases]
        # ("ABC" or the "Company"): keep the role word, the name the contract's clauses will use.
        alias = next((a for a in aliases if _role_for(a, investment)), aliases[0])
        role = _role_for(alias, investment)
        if not role:
            nearby = _EN_ROLE_NEARBY.search(text, m.end(), min(len(text), m.end() + 60))
            if nearby:
                role = _role_for(nearby.group(1), investment)
        for rank, name in enumerate(_name_candidates(text[start : m.start()])):
            # The fallback reading (the words right before the short name) must be confirmed by the short name.
            if _accept_party(name, alias, role) and (rank == 0 or role or _alias_matches_name(alias, name)):
                yield Party(name=name, alias=alias, role=role, clause_id=clause.id)
                # "between Tripath Technology, Inc. ("Tripath"), and Uniquest Corporation 780 Montague ...": a last
                # party may come without a short name.
                follower = _AND_NAME.match(text, m.end())
                if follower and not _EN_ALIAS.match(text, follower.end()):
                    other = _clean_en_name(follower.group(1))
                    if _ENTITY_WORDS.search(other) and _looks_like_en_name(other):
                        yield Party(name=other, clause_id=clause.id)
                break
        else:
            # Unnamed parties of form agreements: "and the investors listed on Exhibit A (each, an "Investor")".
            described = _ROLE_DESCRIPTION.search(" ".join(text[start : m.start()].split()))
            if role and described and not _SENTENCE_WORDS.search(described.group(1)):
                yield Party(name=described.group(1).rstrip(" ,"), alias=alias, role=role, clause_id=clause.id)
    for m in _EN_LABEL_LINE.finditer(text):
        label = " ".join((m.group(1) or m.group(3)).split())
        name = _clean_en_name(_LABEL_NAME_END.split(m.group(2) or m.group(4), maxsplit=1)[0])
        role = _role_for(label, investment)
        if _looks_like_en_name(name):
            yield Party(name=name, alias=label, role=role, clause_id=clause.id)


def _en_fallback_parties(clause: Clause, text: str, investment: bool) -> Iterator[Party]:
    """Parties named without short names: "between ABC Inc. and XYZ LLC", "between the Company, the Purchasers"."""
    m = _EN_PLAIN_PAIR.search(text)
    if m:
        for group in m.groups():
            name = _clean_en_name(group)
            if _looks_like_en_name(name):
                yield Party(name=name, clause_id=clause.id)
        return
    m = _EN_ROLE_LIST.search(text)
    if m:
        for word in _THE_ROLE.findall(m.group(1)):
            yield Party(name=f"the {word}", alias=word, role=_role_for(word, investment), clause_id=clause.id)


def _clean_ja_name(context: str) -> str:
    """The Japanese party name at the end of ``context``."""
    context = _JA_TRAILING_PAREN.sub("", context.rstrip())  # X社（東京都…）（以下「甲」という。）
    last = None
    for match in _JA_NAME_SEP.finditer(context):
        last = match
    if last is not None:
        context = context[last.end() :]
    return _JA_LEAD.sub("", context).strip(" \t\u3000")


def _ja_parties(clause: Clause, text: str, investment: bool) -> Iterator[Party]:
    """Japanese parties: 株式会社ABC（以下「甲」という。）, and 甲：株式会社ABC lines."""
    boundary = 0
    for count, m in enumerate(_JA_ALIAS.finditer(text)):
        if count >= MAX_SHORT_NAMES:
            break
        alias = m.group(1).strip()
        start = max(boundary, m.start() - 200)
        boundary = m.end()
        name = _clean_ja_name(text[start : m.start()])
        if not name or len(name) > 50 or alias in _NOT_PARTY:
            continue
        role = _role_for(alias, investment)
        if alias == "会社" and investment:
            role = "company"
        if not role:
            # The role may be said around the name: "ライセンサーであるX社（以下「甲」という。）".
            near = _JA_ROLE_WORDS.search(text, max(start, m.start() - 40), m.start())
            if near:
                role = _JA_ROLES[near.group(0)]
        if alias in _JA_ORDINALS or role or _JA_ENTITY.search(name):
            yield Party(name=name, alias=alias, role=role, clause_id=clause.id)
    for m in _JA_LABEL_LINE.finditer(text):
        name = _clean_ja_name(m.group(2))
        if name and _JA_ENTITY.search(name):
            yield Party(name=name, alias=m.group(1), role="", clause_id=clause.id)


def _preamble(clauses: list[Clause]) -> list[Clause]:
    """The clauses that introduce the parties: the title/preamble ones, else the first few."""
    marked = [c for c in clauses if c.kind in PREAMBLE_KINDS]
    return marked or [c for c in clauses if c.kind != "commentary"][:FIRST_CLAUSES]


def _fallback_region(clauses: list[Clause]) -> Iterator[tuple[Clause, str]]:
    """The clauses (and their text) covering the first ~5,000 characters of contract text."""
    remaining = FALLBACK_CHARS
    for clause in clauses:
        if remaining <= 0:
            return
        if clause.kind == "commentary":
            continue
        yield clause, clause.text[:remaining]
        remaining -= len(clause.text)


def _dedupe(parties: Iterable[Party]) -> list[Party]:
    """First mention wins: one party per name and per short name; at most MAX_PARTIES."""
    kept: list[Party] = []
    for party in parties:
        name, alias = _norm(party.name), _norm(party.alias)
        same = next((i for i, k in enumerate(kept) if _norm(k.name) == name or alias and _norm(k.alias) == alias), None)
        if same is None:
            kept.append(party)
        elif not kept[same].alias and alias and _norm(kept[same].name) == name:
            kept[same] = party  # the same party met again with its short name: keep the richer entry
        if len(kept) >= MAX_PARTIES:
            break
    return kept


def extract_parties(clauses: list[Clause], language: str) -> list[Party]:
    """The contracting parties with their short names and roles, found in the preamble (first ~5,000 chars)."""
    investment = _is_investment(clauses)
    finder = _ja_parties if language == "ja" else _en_parties
    regions = [[(c, c.text) for c in _preamble(clauses)], list(_fallback_region(clauses))]
    for region in regions:
        found = _dedupe(p for clause, text in region for p in finder(clause, text, investment))
        if found:
            return found
    if language != "ja":
        for clause, text in regions[1]:
            found = _dedupe(_en_fallback_parties(clause, text, investment))
            if found:
                return found
    return []


# --- defined terms ----------------------------------------------------------------------------------------------------

# "Net Sales" means / "Affiliate" shall mean / the term "X" means / "X" has the meaning.
_EN_MEANS = re.compile(
    r"[\"“”]\s*([^\"“”\n]{1,80}?)\s*[\"“”]\s*,?\s*(?:\([^()\n]{0,40}\)\s*)?"
    r"(?:shall\s+|will\s+|is\s+|are\s+)?(?:means?|mean:|have\s+the\s+meaning|has\s+the\s+meaning|refers?\s+to"
    r"|shall\s+have\s+the\s+meaning|includes?|shall\s+include|is\s+defined|are\s+defined)\b",
    re.I,
)
# A term with no quotes at the head of a definitions item (definitions sections only): "1.3 Net Sales means ...",
# "Business Day: a day (other than a Saturday ...)".
_EN_BARE_MEANS = re.compile(
    r"^\s*(?:\(?[0-9a-zA-Z]{1,3}(?:\.\d{1,3})*[.)]\s+)?([A-Z][\w'&/-]*(?:\s+[A-Za-z][\w'&/-]*){0,5}?)"
    r"(?:\s*[.:]?\s+(?:shall\s+)?means?\b|\s*:\s+(?=[a-zA-Z\"“(]))"
)
_EN_DEFINITIONS_HEADING = re.compile(r"\bdefinitions?\b|\binterpretation\b|\bdefined\s+terms\b", re.I)
_JA_IKA = re.compile(
    r"以下\s*[、,，]?\s*(?:単に|併せて|あわせて|合わせて|総称して|個別に|それぞれ)?\s*[、,，]?\s*[「『]([^」』「『\n]{1,40})[」』]"
    r"\s*(?:と(?:総称|略称|称)?(?:する|し|いう|いい|言う|呼ぶ)|という|といい)"
)
_JA_TOHA = re.compile(r"[「『]([^」』「『\n]{1,40})[」』]\s*とは")
# A definitions item: "①　本製品1" then "別紙製品目録1記載のヘッドライトカバーをいう。".
_ITEM_MARK = (
    r"(?:[①-⑳㉑-㉟]|[(（]?\d{1,2}[)）.．]|[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[　\s.．、]"
    r"|第\d{1,2}号)"
)
# An item's term: "①　本製品1" (the mark may sit in Clause.number instead of the text).
_JA_ITEM = re.compile(
    r"^[\s\u3000]*(" + _ITEM_MARK + r")?[\s\u3000]*([^\s\u3000。、「」]{1,30})[\s\u3000]*(?:\n|\u3000|\s{2,}|$)"
)
_JA_SAYS_MEANS = re.compile(r"をいう|をいい|いう。|を意味する|を指す")
_DEFINITIONS_ARTICLE = re.compile(r"定義|用語|意義|意味を有する")
_ARTICLE = re.compile(r"第?\s*[0-9０-９一二三四五六七八九十]{1,3}\s*条")
# Sentence ends: a 。 right before a closing bracket ("という。）") ends no sentence; a full stop after "Inc" neither.
_JA_STOP = re.compile(r"。(?![）)」』])|\n")
# The punctuation comes first and the look-behinds after it (each including that character): the regex engine
# then scans for the few punctuation characters instead of trying fifteen look-behinds at every position.
_EN_STOP = re.compile(r"\.(?<![A-Z]\.)(?<!\bInc\.)(?<!\bCo\.)(?<!\bLtd\.)(?=\s|$)|\n")
_EN_START = re.compile(
    r"[.;:](?<![A-Z].)(?<!\.[a-z].)(?<!\bInc.)(?<!\bCo.)(?<!\bLtd.)(?<!\bCorp.)(?<!\bNo.)(?<!\bvs.)(?<!\bSt.)(?<!\bMr.)"
    r"(?<!\bMs.)(?<!\bDr.)(?<!\bPty.)(?<!\bPlc.)(?<!\bLLC.)(?=\s+[\"“(A-Z0-9])|\n"
)
_ANY_QUOTE = re.compile(r"[\"“”'‘’]")
_EN_MEANS_NEXT = re.compile(r"\s*(?:shall\s+)?means?\b")  # text right after a heading that is the term
_JA_SAYS = re.compile(r"いう|いい|意味する|指す|含む")


class _Sentences:
    """Sentence boundaries of one text, found once, so that each definition's sentence costs a bisection."""

    def __init__(self, text: str, language: str):
        self.text = text
        self.language = language
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.ready = False

    def around(self, start: int, end: int) -> str:
        """The sentence around [start, end), verbatim, cut to about DEFINITION_CHARS around the match."""
        if not self.ready:  # most clauses define nothing: find boundaries only when asked
            starts = _JA_STOP if self.language == "ja" else _EN_START
            ends = _JA_STOP if self.language == "ja" else _EN_STOP
            self.starts = [m.end() for m in starts.finditer(self.text)]
            self.ends = [m.end() for m in ends.finditer(self.text)]
            self.ready = True
        i = bisect.bisect_right(self.starts, start) - 1
        s = max(self.starts[i] if i >= 0 else 0, start - 600)
        j = bisect.bisect_left(self.ends, end)
        e = self.ends[j] if j < len(self.ends) else len(self.text)
        if e - s > DEFINITION_CHARS:
            if end - s > DEFINITION_CHARS - 50:
                # The term sits deep in a long sentence: start shortly before it, at a word boundary.
                cut = self.text.find(" ", end - DEFINITION_CHARS // 2, start)
                s = cut + 1 if cut >= 0 else max(s, end - DEFINITION_CHARS // 2)
            e = min(e, s + DEFINITION_CHARS)
        return self.text[s:e].strip()


def _clean_term(term: str) -> str:
    """A defined term without surrounding punctuation, markdown emphasis or doubled spaces."""
    term = term.replace("*", "").replace("_", " ") if "*" in term or "__" in term else term
    return " ".join(term.split()).strip(" .,;:")


def _valid_term(term: str, language: str) -> bool:
    """Whether a quoted string is plausibly a defined term (a short noun phrase, not a quoted sentence)."""
    if not term or len(term) > 60:
        return False
    if language == "ja":
        return "。" not in term and not term.endswith(("する", "した"))
    return len(term.split()) <= 8 and bool(_LATIN_OR_DIGIT.search(term)) and not _SENTENCE_WORDS.search(term)


def _en_definitions(clause: Clause, in_definitions: bool) -> Iterator[tuple[int, str, str, str]]:
    """(position, term, sentence, clause id) for English definitions in one clause.

    ``in_definitions``: the clause sits in a definitions section, where unquoted "Net Sales means" defines a term.
    """
    text = clause.text
    if not in_definitions and not clause.heading and not _ANY_QUOTE.search(text):
        return  # every other pattern needs a quoted term
    sentences = _Sentences(text, "en")
    for m in _EN_MEANS.finditer(text):
        yield m.start(), m.group(1), sentences.around(m.start(), m.end()), clause.id
    # (the "Territory"), (collectively, the "Licensed Products"), ("ABC" or the "Company"), referred to herein as "X".
    for m in _EN_ALIAS.finditer(text):
        for term in (g for g in m.groups() if g):
            yield m.start(), term, sentences.around(m.start(), m.end()), clause.id
    if in_definitions:
        m = _EN_BARE_MEANS.match(text)
        if m:
            yield m.start(1), m.group(1), sentences.around(m.start(1), m.end()), clause.id
    # A definitions item whose heading is the term: 1.3 [Net Sales] means ...
    if clause.heading and _EN_MEANS_NEXT.match(text):
        yield 0, clause.heading, sentences.around(0, min(len(text), 40)), clause.id


def _ja_item_term(clause: Clause) -> re.Match[str] | None:
    """The item match when ``clause`` opens with a definitions item's term ("①　本製品1"), else None."""
    item = _JA_ITEM.match(clause.text)
    if item is None or _ARTICLE.fullmatch(item.group(2)) or "とは" in item.group(2):
        return None
    numbered = item.group(1) or (clause.number and not _ARTICLE.search(clause.number))
    return item if numbered else None


def _ja_definitions(
    clause: Clause, previous: Clause | None, in_definitions: bool
) -> Iterator[tuple[int, str, str, str]]:
    """(position, term, sentence, clause id) for Japanese definitions in one clause.

    ``in_definitions``: the clause belongs to a definitions article, where items ("①　本製品1") name terms.
    """
    text = clause.text
    sentences = _Sentences(text, "ja")
    for m in _JA_IKA.finditer(text):
        yield m.start(), m.group(1), sentences.around(m.start(), m.end()), clause.id
    for m in _JA_TOHA.finditer(text):
        # 「X」とは、…をいう: only a definition when the sentence says what it means.
        stop = _JA_STOP.search(text, m.end(), m.end() + 3000)
        if _JA_SAYS.search(text[m.end() : stop.end() if stop else m.end() + 3000]):
            yield m.start(), m.group(1), sentences.around(m.start(), m.end()), clause.id
    if not in_definitions or not _JA_SAYS_MEANS.search(text) or _JA_TOHA.search(text):
        return
    item = _ja_item_term(clause)
    if item and item.end() < len(text.rstrip()):
        # "①　本製品1\n　　別紙…をいう。" in one clause: the term is the item's first line.
        yield item.start(2), item.group(2), text[item.end() :].strip()[:DEFINITION_CHARS], clause.id
    elif previous is not None and item is None and not _JA_SAYS_MEANS.search(previous.text):
        # "①　本製品1" is a clause of its own and this one only says what it means: the term is defined at the item.
        prev = _ja_item_term(previous)
        if prev and prev.end() >= len(previous.text.rstrip()):
            yield -1, prev.group(2), text.strip()[:DEFINITION_CHARS], previous.id


def extract_definitions(clauses: list[Clause], language: str) -> list[DefinedTerm]:
    """The terms the contract defines, in order of appearance, each with the clause and sentence defining it."""
    found: list[DefinedTerm] = []
    seen: set[str] = set()
    previous: Clause | None = None
    in_definitions = False
    definitions_ids: dict[str, bool] = {}
    for clause in clauses:
        if clause.kind == "commentary":
            continue
        if language == "ja":
            if clause.kind == "heading" or _ARTICLE.match(clause.number) or _ARTICLE.match(clause.text.lstrip()):
                # A new article: is it the definitions article ("第1条（定義）", "次に掲げる用語は…意味を有する")?
                in_definitions = bool(_DEFINITIONS_ARTICLE.search(clause.heading + clause.text[:200]))
            hits = sorted(_ja_definitions(clause, previous, in_definitions), key=lambda h: h[0])
        else:
            # In a definitions section: the clause itself, or one of its ancestors, is headed "Definitions".
            parent_in = definitions_ids.get(clause.parent or "", False)
            own = clause.kind == "definition" or bool(_EN_DEFINITIONS_HEADING.search(clause.heading))
            definitions_ids[clause.id] = parent_in or own
            hits = sorted(_en_definitions(clause, parent_in or own), key=lambda h: h[0])
        for _, raw, sentence, clause_id in hits:
            term = _clean_term(raw)
            key = term.casefold()
            if key in seen or not _valid_term(term, language):
                continue
            seen.add(key)
            found.append(DefinedTerm(term=term, clause_id=clause_id, definition=sentence))
        previous = clause
    return found

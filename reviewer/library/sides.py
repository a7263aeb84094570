"""Who is who: parties' roles (甲/乙 mapped to licensor/licensee, company/investor) and the side reviewed."""

from __future__ import annotations

import re
from dataclasses import replace

from reviewer.model import Document, Party

# "甲は、乙に対し、…を許諾する" : the subject grants, the other receives.
_JA_GRANT = re.compile(r"(?P<giver>[甲乙丙])は、?(?P<taker>[甲乙丙])に対し(?:て)?、?[^。]{0,120}?(?:許諾|実施権を設定|使用権を付与|開示)")
# "ABC (hereby) grants to (the) XYZ": found from the verb, then the giver is read back from it (searching for a
# capitalised word first would try every capital of the contract).
_EN_GRANT_VERB = re.compile(r"grants? to (?:the )?(?P<taker>[A-Z][\w-]*)")
_EN_GIVER = re.compile(r"\b(?P<giver>[A-Z][\w-]*(?: [A-Z][\w-]*)?) (?:hereby )?$")
_JA_INVEST = re.compile(r"(?P<taker>[甲乙丙])は、?(?P<giver>[甲乙丙])に対し(?:て)?、?[^。]{0,80}?(?:株式を(?:発行|割り当て)|新株)")
_JA_PAY = re.compile(r"(?P<investor>[甲乙丙])は、?[^。]{0,40}?(?:払込金額|払込み|出資)")
_DEFAULT_SIDE = {"licence": "licensor", "investment": "company", "joint_development": "licensor", "nda": "licensor",
                 "supply": "licensor", "services": "licensor", "other": "licensor"}
COUNTERPART = {"licensor": "licensee", "licensee": "licensor", "company": "investor", "investor": "company"}
TYPE_WORDS = {
    "licence": {"en": "licence", "ja": "ライセンス（実施許諾）契約"},
    "investment": {"en": "investment agreement", "ja": "投資契約"},
    "nda": {"en": "non-disclosure agreement", "ja": "秘密保持契約"},
    "joint_development": {"en": "joint development agreement", "ja": "共同研究開発契約"},
    "supply": {"en": "supply agreement", "ja": "売買・供給契約"},
    "services": {"en": "services agreement", "ja": "業務委託契約"},
    "other": {"en": "contract", "ja": "契約"},
}
ROLE_WORDS = {
    "licensor": {"en": "the licensor", "ja": "ライセンサー（実施許諾者）"},
    "licensee": {"en": "the licensee", "ja": "ライセンシー（実施権者）"},
    "company": {"en": "the company receiving investment", "ja": "発行会社（投資を受ける会社）"},
    "investor": {"en": "the investor", "ja": "投資者"},
}


def _en_grant(text: str) -> tuple[str, str] | None:
    """The first "Giver (hereby) grants to (the) Taker" of a text."""
    for verb in _EN_GRANT_VERB.finditer(text):
        giver = _EN_GIVER.search(text, max(0, verb.start() - 300), verb.start())
        if giver:
            return giver.group("giver"), verb.group("taker")
    return None


def _ja_grant(text: str) -> tuple[str, str] | None:
    m = _JA_GRANT.search(text)
    return (m.group("giver"), m.group("taker")) if m else None


def assign_roles(document: Document, contract_type: str) -> Document:
    """Fill roles the parties' short names leave open (甲, 乙, "ABC") from what the contract makes them do."""
    if not document.parties or all(p.role for p in document.parties):
        return document
    roles: dict[str, str] = {}
    text = "\n".join(c.text for c in document.clauses if c.kind != "commentary")[:200_000]
    if contract_type in ("licence", "joint_development", "nda", "supply", "services", "other"):
        found = _ja_grant(text) if document.language == "ja" else _en_grant(text)
        if found:
            roles[found[0]] = "licensor"
            roles[found[1]] = "licensee"
    if contract_type == "investment" and document.language == "ja":
        m = _JA_INVEST.search(text)
        if m:
            roles[m.group("giver")] = "company"
            roles[m.group("taker")] = "investor"
        else:
            m = _JA_PAY.search(text)
            if m:
                roles[m.group("investor")] = "investor"
    if not roles:
        return document
    parties = tuple(replace(p, role=p.role or roles.get(p.alias, "") or roles.get(p.name, "")) for p in document.parties)
    if len({p.role for p in parties if p.role}) == 1 and len(parties) == 2:
        # Two parties, one role known: the other holds the counterpart role.
        known = next(p for p in parties if p.role).role
        other = COUNTERPART.get(known)
        if other:
            parties = tuple(p if p.role else replace(p, role=other) for p in parties)
    return replace(document, parties=parties)


def party_label(parties: tuple[Party, ...], role: str, lang: str) -> str:
    """How the contract calls the party with a role ("Licensor", "甲"), or a neutral description."""
    for p in parties:
        if p.role == role:
            return p.alias or p.name
    return ROLE_WORDS.get(role, {}).get(lang, role)


def choose_side(document: Document, contract_type: str, requested: str | None, lang: str) -> tuple[str, str]:
    """(side, evidence): the side asked for, or the one whose technology or company is at stake."""
    if requested:
        side = requested
        why = {"en": "given with --side", "ja": "--side で指定"}[lang]
    else:
        side = _DEFAULT_SIDE.get(contract_type, "licensor")
        kind = TYPE_WORDS.get(contract_type, TYPE_WORDS["other"])
        why = {"en": f"not stated: a {kind['en']} is reviewed by default for {ROLE_WORDS[side]['en']}, whose "
                     f"technology or company is at stake; use --side to choose",
               "ja": f"指定なし：{kind['ja']}は、技術または会社を守る側（{ROLE_WORDS[side]['ja']}）の立場で"
                     f"確認します。--side で変更できます"}[lang]
    holder = next((p for p in document.parties if p.role == side), None)
    if holder is not None:
        name = f"{holder.alias} ({holder.name})" if holder.alias and holder.name and holder.alias != holder.name \
            else holder.alias or holder.name
        why += {"en": f"; that party is {name}", "ja": f"。該当する当事者：{name}"}[lang]
    return side, why

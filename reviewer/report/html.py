"""The HTML gap report: one self-contained page (inline CSS, no scripts, no external assets) that prints well.

This module also holds what every human-readable report shares (labels in both languages, clause references,
evidence located in its clause) so that the HTML, Markdown and Word reports say the same thing the same way.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from reviewer import __version__
from reviewer.report.json_report import cleaned

STATUS_ORDER = ("red_flag", "missing", "weak", "present", "not_applicable")
GAP_STATUSES = ("red_flag", "missing", "weak")
SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}

LABELS: dict[str, dict[str, Any]] = {
    "en": {
        "report": "Contract review",
        "colon": ": ",
        "list_sep": ", ",
        "status": {"red_flag": "Red flag", "missing": "Missing", "weak": "Weak", "present": "Present",
                   "not_applicable": "Not applicable"},
        "status_plural": {"red_flag": "red flags", "missing": "missing", "weak": "weak", "present": "present",
                          "not_applicable": "not applicable"},
        "severity": {"high": "High", "medium": "Medium", "low": "Low"},
        "severity_label": "Severity",
        "status_label": "Status",
        "basis": {"case1": "Case 1 — licensing and overseas production",
                  "case2": "Case 2 — investment with strings attached",
                  "case3": "Case 3 — a key engineer poached",
                  "case4": "Case 4 — a contractor downloading data",
                  "fefta": "FEFTA — Japan's Foreign Exchange and Foreign Trade Act (technology prior reports)"},
        "basis_label": "From",
        "type": {"licence": "Licence / technology transfer", "investment": "Investment", "nda": "Non-disclosure agreement",
                 "joint_development": "Joint development", "supply": "Supply", "services": "Services", "other": "Other"},
        "side": {"licensor": "Licensor", "licensee": "Licensee", "company": "Company (receiving the investment)",
                 "investor": "Investor", "discloser": "Discloser", "recipient": "Recipient", "": "—"},
        "kind": {"clause": "Clause", "heading": "Heading", "preamble": "Preamble", "schedule": "Schedule",
                 "commentary": "Commentary", "signature": "Signature"},
        "language": {"en": "English", "ja": "Japanese"},
        "contract": "Contract",
        "contract_type": "Contract type",
        "also_reviewed_as": "Also reviewed as",
        "side_reviewed": "Side reviewed",
        "why": "Why",
        "parties": "Parties",
        "contract_language": "Contract language",
        "report_language": "Report language",
        "source": "Source file",
        "pages": " pages",
        "summary": "Summary",
        "red_flags_first": "Red flags",
        "no_red_flags": "No red flags were found.",
        "all_findings": "Findings",
        "no_findings": "No protection of the playbook applies to this contract type yet, so there is nothing to judge.",
        "overview": "Overview",
        "protection": "Protection",
        "clauses": "Clauses",
        "message": "Finding",
        "rationale": "Why it matters",
        "evidence": "Evidence",
        "examined": "Clauses examined",
        "nothing_found": "No clause found.",
        "suggestion": "Suggested wording",
        "full_text": "Full contract text",
        "go_to_clause": "go to the clause in the contract text",
        "back_to_finding": "back to the finding",
        "commentary_note": "Commentary — not contract text, not reviewed",
        "warnings": "Warnings",
        "notes": "Notes",
        "generated": "Generated offline by reviewer {version}. This report flags gaps for a lawyer to review; it is not legal advice.",
        "rules": "rules",
        "gap_summary": "Review: gaps and suggested wording",
        "gap_intro": "Reviewed for {side}. {counts}.",
        "no_gaps": "No red flags, missing or weak protections were found.",
        "present_list": "Protections found adequate",
        "see_first": "Suggested wording: see the comment on {ref}.",
        "examined_here": "Examined here; nothing adequate was found.",
        "extracted_note": "Contract text extracted from {name} by reviewer, with the clause numbers as read; the layout of "
                          "the original is not reproduced. Review comments are attached to the clauses.",
        "unnumbered": "unnumbered",
        "more_evidence": "and {n} more",
    },
    "ja": {
        "report": "契約書レビュー",
        "colon": "：",
        "list_sep": "、",
        "status": {"red_flag": "リスク（レッドフラグ）", "missing": "欠落", "weak": "不十分", "present": "充足",
                   "not_applicable": "対象外"},
        "status_plural": {"red_flag": "リスク（レッドフラグ）", "missing": "欠落", "weak": "不十分", "present": "充足",
                          "not_applicable": "対象外"},
        "severity": {"high": "高", "medium": "中", "low": "低"},
        "severity_label": "重要度",
        "status_label": "判定",
        "basis": {"case1": "事例1（ライセンス・海外生産）",
                  "case2": "事例2（出資・資本提携）",
                  "case3": "事例3（技術者の引き抜き）",
                  "case4": "事例4（委託先によるデータの持ち出し）",
                  "fefta": "外為法（技術提供の事前報告）"},
        "basis_label": "根拠",
        "type": {"licence": "ライセンス（技術供与）契約", "investment": "出資契約", "nda": "秘密保持契約",
                 "joint_development": "共同開発契約", "supply": "供給契約", "services": "業務委託契約", "other": "その他の契約"},
        "side": {"licensor": "ライセンサー（許諾者）", "licensee": "ライセンシー（実施権者）", "company": "出資を受ける会社",
                 "investor": "出資者", "discloser": "開示者", "recipient": "受領者", "": "—"},
        "kind": {"clause": "条項", "heading": "見出し", "preamble": "前文", "schedule": "別紙",
                 "commentary": "解説", "signature": "署名欄"},
        "language": {"en": "英語", "ja": "日本語"},
        "contract": "契約書",
        "contract_type": "契約の種類",
        "also_reviewed_as": "併せて確認した類型",
        "side_reviewed": "レビューの立場",
        "why": "判断理由",
        "parties": "当事者",
        "contract_language": "契約書の言語",
        "report_language": "レポートの言語",
        "source": "ファイル",
        "pages": "ページ",
        "summary": "概要",
        "red_flags_first": "リスク（レッドフラグ）",
        "no_red_flags": "レッドフラグに当たる条項は見つかりませんでした。",
        "all_findings": "確認結果",
        "no_findings": "この契約類型に適用されるチェック項目がまだないため、判定結果はありません。",
        "overview": "一覧",
        "protection": "チェック項目",
        "clauses": "条項",
        "message": "指摘",
        "rationale": "なぜ問題か",
        "evidence": "該当箇所",
        "examined": "確認した条項",
        "nothing_found": "該当する条項は見当たりません。",
        "suggestion": "修正文案",
        "full_text": "契約書本文",
        "go_to_clause": "本文の該当条項へ",
        "back_to_finding": "指摘へ戻る",
        "commentary_note": "解説（契約本文ではないためレビュー対象外）",
        "warnings": "警告",
        "notes": "注記",
        "rules": "ルール",
        "generated": "reviewer {version} によりオフラインで作成。"
                     "本レポートは弁護士等による確認のための指摘であり、法的助言ではありません。",
        "gap_summary": "レビュー結果：不足している条項と修正文案",
        "gap_intro": "{side}の立場で確認しました。{counts}。",
        "no_gaps": "リスク、欠落、不十分な項目は見つかりませんでした。",
        "present_list": "充足と判断した項目",
        "see_first": "修正文案は{ref}のコメントを参照してください。",
        "examined_here": "この条項を確認しましたが、十分な定めは見当たりません。",
        "extracted_note": "{name} から reviewer が抽出した契約本文です（条項番号は読み取ったとおり。原本のレイアウトは再現していません）。"
                          "レビューのコメントを各条項に付しています。",
        "unnumbered": "番号なし",
        "more_evidence": "ほか{n}件",
    },
}


def labels(lang: str | None) -> dict[str, Any]:
    """The labels of the report language (English for anything unknown)."""
    return LABELS.get(lang or "en", LABELS["en"])


def generated_line(report: dict[str, Any], lang: str) -> str:
    """The closing line of a report: what made it (the reviewer's version, the fingerprint of the rules) and
    that it is not legal advice."""
    made = report.get("reviewer") or {}
    version = str(made.get("version") or __version__)
    if made.get("rules"):
        version += f" ({labels(lang)['rules']} {made['rules']})"
    return labels(lang)["generated"].format(version=version)


def report_language(report: dict[str, Any]) -> str:
    """The language of the report's own words."""
    lang = report.get("report_language") or report.get("source", {}).get("language") or "en"
    return lang if lang in LABELS else "en"


def count_line(counts: dict[str, int], lang: str) -> str:
    """``2 red flags, 3 missing, 5 weak, 7 present`` / ``リスク（レッドフラグ）2件、欠落3件、…``."""
    lab = labels(lang)
    parts = [(s, counts.get(s, 0)) for s in STATUS_ORDER[:4]]
    if lang == "ja":
        return "、".join(f"{lab['status_plural'][s]}{n}件" for s, n in parts)
    return ", ".join(f"{n} {lab['status_plural'][s] if n != 1 or s != 'red_flag' else 'red flag'}" for s, n in parts)


def status_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    """How many findings have each status."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for f in findings:
        counts[f.get("status", "")] = counts.get(f.get("status", ""), 0) + 1
    return counts


def sorted_findings(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Red flags first, then missing, weak, present, not applicable; higher severity first within each."""
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    return sorted(findings, key=lambda f: (order.get(f.get("status"), 9), -SEVERITY_RANK.get(f.get("severity"), 0)))


# --------------------------------------------------------------------------------------------------------------
# Clause references: "8.1(c)", "第11条第4項", "Schedule B – Know-How 3"

_ARTICLE = re.compile(r"^(第\s*[0-9０-９一二三四五六七八九十百千]+\s*条)")
_DIGITS = re.compile(r"^[0-9０-９]+$")


class Clauses:
    """The clauses of a report by id, with their depth and a reference a reader recognises."""

    def __init__(self, clauses: list[dict[str, Any]], lang: str):
        self.lang = lang
        self.list = clauses
        self.by_id = {c["id"]: c for c in clauses}
        self._refs: dict[str, str] = {}
        self._position = {c["id"]: i for i, c in enumerate(clauses)}

    def position(self, cid: str) -> int:
        """Where the clause comes in the document."""
        return self._position.get(cid, len(self._position))

    def depth(self, cid: str) -> int:
        """How many ancestors the clause has (cycles and dangling parents are cut)."""
        return len(self.ancestors(cid))

    def ancestors(self, cid: str) -> list[dict[str, Any]]:
        """Parent first, up to the top (at most 12; cycles and dangling parents are cut)."""
        out, seen = [], {cid}
        cur = self.by_id.get(cid, {}).get("parent")
        while cur in self.by_id and cur not in seen and len(out) < 12:
            seen.add(cur)
            out.append(self.by_id[cur])
            cur = self.by_id[cur].get("parent")
        return out

    def finding_ids(self, finding: dict[str, Any]) -> list[str]:
        """The known clauses a finding concerns, in document order."""
        return sorted(finding_clause_ids(finding, self.by_id), key=self.position)

    def refs(self, finding: dict[str, Any], limit: int | None = None) -> str:
        """References to the clauses a finding concerns, in document order ("" for none); " …" past ``limit``."""
        ids = self.finding_ids(finding)
        shown = ids if limit is None else ids[:limit]
        return labels(self.lang)["list_sep"].join(self.ref(cid) for cid in shown) + (" …" if len(shown) < len(ids) else "")

    def ref(self, cid: str) -> str:
        """A short reference to the clause, as a reader of the contract would write it."""
        if cid not in self._refs:
            self._refs[cid] = self._ref(cid)
        return self._refs[cid]

    def _ref(self, cid: str) -> str:
        clause = self.by_id.get(cid)
        if clause is None:
            return cid
        number = clause.get("number", "").strip()
        lab = labels(self.lang)
        if not number:
            heading = clause.get("heading", "").strip()
            if heading:
                return shorten(heading, 40)
            text = " ".join(clause.get("text", "").split())
            kind = lab["kind"].get(clause.get("kind", ""), "")
            return f"{kind} “{shorten(text, 24)}”" if text else kind or cid
        ancestors = self.ancestors(cid)
        if self._self_contained(number) or not ancestors:
            return number
        article = next((a for a in ancestors if _ARTICLE.match(a.get("number", ""))), None)
        if article is not None:
            # Japanese style: a paragraph ("２") belongs to its article whatever the tree says in between
            # ("第11条第2項"); an item ("（2）", "四", "②") is a 号 of its paragraph or article.
            art = _ARTICLE.match(article["number"]).group(1)
            if _DIGITS.match(number):
                return f"{art}第{unicodedata.normalize('NFKC', number)}項"
            n = _item_number(number)
            if n:
                parent = ancestors[0]
                base = self.ref(parent["id"]) if parent["id"] != article["id"] and _DIGITS.match(parent.get("number", "")) else art
                return f"{base}第{n}号"
        parent = ancestors[0]
        parent_ref = self.ref(parent["id"])
        if number.startswith(("(", "（")) and (parent.get("number") or "").strip():
            return f"{parent_ref}{number}"
        sep = "" if _is_cjk(parent_ref[-1:]) or _is_cjk(number[:1]) else " "
        return f"{parent_ref}{sep}{number}"

    @staticmethod
    def _self_contained(number: str) -> bool:
        """"5.2", "ARTICLE 5", "Section 5", "第5条" need no parent to be found."""
        return bool("." in number.strip(".") or _ARTICLE.match(number)
                    or re.match(r"^(article|section|clause|schedule|exhibit|annex|appendix)\b", number, re.I)
                    or number.startswith("別紙"))

    def title(self, cid: str) -> str:
        """Number and heading, for the full text."""
        clause = self.by_id.get(cid, {})
        return " ".join(p for p in (clause.get("number", ""), clause.get("heading", "")) if p)


_KANJI = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _item_number(number: str) -> str:
    """"（2）", "(2)", "②", "二", "十二" as "2"; "" for anything else."""
    plain = unicodedata.normalize("NFKC", number).strip().strip("()")
    if plain.isdigit():
        return plain
    if plain and all(ch in _KANJI for ch in plain) and len(plain) <= 3:
        if len(plain) == 1:
            return str(_KANJI[plain])
        if plain[0] == "十":
            return str(10 + _KANJI.get(plain[1], 0))
        if plain[1] == "十":
            return str(_KANJI[plain[0]] * 10 + (_KANJI.get(plain[2], 0) if len(plain) == 3 else 0))
    return ""


def _is_cjk(ch: str) -> bool:
    return bool(ch) and ord(ch) >= 0x2E80


def shorten(text: str, n: int) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --------------------------------------------------------------------------------------------------------------
# Evidence located in its clause


@dataclass
class Segment:
    """A piece of clause text, highlighted or not."""

    text: str
    mark: bool = False


@dataclass
class Excerpt:
    """One piece of evidence shown inside its clause, with the matching words highlighted."""

    clause_id: str
    ref: str
    segments: list[Segment] = field(default_factory=list)
    found: bool = True
    evidence: str = ""


def find_span(haystack: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` is in ``haystack``: verbatim, else ignoring differences in white space."""
    if not needle.strip():
        return None
    i = haystack.find(needle)
    if i >= 0:
        return i, i + len(needle)
    words = needle.split()
    if not words:
        return None
    pattern = r"\s*".join(re.escape(w) for w in words)
    m = re.search(pattern, haystack)
    return (m.start(), m.end()) if m else None


def segments(text: str, spans: list[tuple[int, int]]) -> list[Segment]:
    """``text`` cut into plain and highlighted segments (overlapping spans merged)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], True))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def excerpt(clause_text: str, span: tuple[int, int], context: int = 220) -> list[Segment]:
    """The evidence with up to ``context`` characters either side, cut at word or sentence boundaries."""
    start, end = span
    lo, hi = max(0, start - context), min(len(clause_text), end + context)
    if lo > 0:
        cut = max(clause_text.rfind(" ", lo, start), clause_text.rfind("。", lo, start), clause_text.rfind("\n", lo, start))
        lo = cut + 1 if cut >= lo else lo
    if hi < len(clause_text):
        cuts = [i for i in (clause_text.find(" ", end, hi), clause_text.find("。", end, hi), clause_text.find("\n", end, hi))
                if i >= 0]
        hi = min(cuts) + (1 if cuts and clause_text[min(cuts)] == "。" else 0) if cuts else hi
    out = segments(clause_text[lo:hi], [(start - lo, end - lo)])
    if lo > 0:
        out.insert(0, Segment("… "))
    if hi < len(clause_text):
        out.append(Segment(" …"))
    return out


def evidence_excerpts(finding: dict[str, Any], clauses: Clauses, limit: int = 6) -> list[Excerpt]:
    """The finding's evidence, each inside an excerpt of its clause; several pieces in one clause share it."""
    by_clause: dict[str, list[str]] = {}
    for item in finding.get("evidence") or []:
        cid, text = item.get("clause_id", ""), item.get("text", "")
        if text and text not in by_clause.setdefault(cid, []):
            by_clause[cid].append(text)
    out: list[Excerpt] = []
    for cid, texts in list(by_clause.items())[:limit]:
        clause = clauses.by_id.get(cid)
        ref = clauses.ref(cid)
        if clause is None:
            out.extend(Excerpt(cid, ref, [Segment(t, True)], found=False, evidence=t) for t in texts)
            continue
        body = clause.get("text", "")
        spans = [s for s in (find_span(body, t) for t in texts) if s]
        if not spans:
            out.extend(Excerpt(cid, ref, [Segment(t, True)], found=False, evidence=t) for t in texts)
            continue
        if len(body) <= 700:
            segs = segments(body, spans)
        else:
            lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
            segs = excerpt(body, (lo, hi)) if hi - lo < 900 else segments(body[lo:hi], [(a - lo, b - lo) for a, b in spans])
        out.append(Excerpt(cid, ref, segs, evidence=" … ".join(texts)))
    return out


def highlight_spans(report: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    """Every piece of evidence of a red-flag, missing or weak finding, located in its clause (for the full text)."""
    by_id = {c["id"]: c for c in report.get("clauses", [])}
    spans: dict[str, list[tuple[int, int]]] = {}
    for finding in report.get("findings", []):
        if finding.get("status") not in GAP_STATUSES:
            continue
        for item in finding.get("evidence") or []:
            clause = by_id.get(item.get("clause_id"))
            span = find_span(clause.get("text", ""), item.get("text", "")) if clause else None
            if span:
                spans.setdefault(clause["id"], []).append(span)
    return spans


def finding_clause_ids(finding: dict[str, Any], known: dict[str, Any]) -> list[str]:
    """The clauses a finding concerns: its evidence clauses first, then the others it names, known ones only."""
    ids = [e.get("clause_id") for e in finding.get("evidence") or []] + list(finding.get("clause_ids") or [])
    return [cid for cid in dict.fromkeys(ids) if cid in known]


def party_line(party: dict[str, Any], lang: str) -> str:
    """``HOSHINO K.K. (“Licensor”, licensor)``."""
    lab = labels(lang)
    name, alias, role = party.get("name", ""), party.get("alias", ""), party.get("role", "")
    bits = []
    if alias and alias != name:
        bits.append(f"「{alias}」" if lang == "ja" else f"“{alias}”")
    if role:
        bits.append(lab["side"].get(role, role))
    if not bits:
        return name
    return f"{name}（{'、'.join(bits)}）" if lang == "ja" else f"{name} ({', '.join(bits)})"


def source_name(report: dict[str, Any]) -> str:
    """The input file's name without its folder."""
    path = report.get("source", {}).get("path", "")
    return PurePath(path.replace("\\", "/")).name or path


# --------------------------------------------------------------------------------------------------------------
# The HTML page


@lru_cache(maxsize=1)
def environment():
    """The jinja2 environment of every HTML page (report, portfolio, upload server), autoescaping explicitly."""
    import jinja2

    from reviewer.resources import resource_dir

    # autoescape=True explicitly: select_autoescape() decides by extension and would miss ".html.j2".
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(resource_dir("templates"))), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters["csp_hash"] = csp_hash
    return env


def csp_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(str(script).encode("utf-8")).digest()).decode("ascii") + "'"


def view(report: dict[str, Any]) -> dict[str, Any]:
    """What the template shows, computed once: labels, counts, references, excerpts, highlighted clauses."""
    lang = report_language(report)
    lab = labels(lang)
    clauses = Clauses(report.get("clauses", []), lang)
    findings = sorted_findings(report.get("findings", []))
    counts = status_counts(findings)
    cards = []
    backlinks: dict[str, list[dict[str, Any]]] = {}
    for n, finding in enumerate(findings, start=1):
        anchor = f"f{n}-{_slug(finding.get('protection', ''))}"
        ids = clauses.finding_ids(finding)
        card = {
            "f": finding,
            "anchor": anchor,
            "status_label": lab["status"].get(finding.get("status"), finding.get("status", "")),
            "severity_label": lab["severity"].get(finding.get("severity"), finding.get("severity", "")),
            "basis_label": lab["basis"].get(finding.get("basis"), finding.get("basis", "")),
            "title": finding["title"],
            "excerpts": evidence_excerpts(finding, clauses),
            "clause_links": [(cid, clauses.ref(cid)) for cid in ids],
        }
        cards.append(card)
        if finding.get("status") != "not_applicable":
            for cid in ids:
                backlinks.setdefault(cid, []).append(card)
    spans = highlight_spans(report)
    text_clauses = [{
        "c": c,
        "depth": min(clauses.depth(c["id"]), 6),
        "segments": segments(c.get("text", ""), spans.get(c["id"], [])),
        "cards": backlinks.get(c["id"], []),
        # cards come in status order, so a clause's first card has its worst status
        "worst": backlinks[c["id"]][0]["f"]["status"] if c["id"] in backlinks else "",
    } for c in clauses.list]
    contract = report.get("contract", {})
    source = report.get("source", {})
    return {
        "lang": lang,
        "L": lab,
        "title": contract.get("title") or source_name(report),
        "contract": contract,
        "source": source,
        "source_name": source_name(report),
        "type_label": lab["type"].get(contract.get("type"), contract.get("type", "")),
        "also_labels": [lab["type"].get(t, t) for t in contract.get("also_reviewed_as") or []],
        "side_label": lab["side"].get(contract.get("side"), contract.get("side", "")),
        "parties": [party_line(p, lang) for p in contract.get("parties", [])],
        "counts": counts,
        "statuses": STATUS_ORDER,
        "cards": cards,
        "red_cards": [c for c in cards if c["f"].get("status") == "red_flag"],
        "clauses": text_clauses,
        "warnings": report.get("warnings", []),
        "notes": report.get("notes", []),
        "generated": generated_line(report, report_language(report)),
    }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "finding"


def render_html(report: dict[str, Any]) -> str:
    """The report as one HTML page. Every string of the report is escaped; nothing of it is ever markup."""
    return environment().get_template("report.html.j2").render(**view(normalised(report)))


_FINDING_DEFAULTS = {"protection": "", "title": "", "status": "missing", "severity": "medium", "clause_ids": [], "message": "",
                     "rationale": "", "suggestion": "", "basis": "", "evidence": []}
_CONTRACT_DEFAULTS = {"type": "other", "type_evidence": "", "title": "", "parties": [], "side": "", "side_evidence": "",
                      "also_reviewed_as": []}
_SOURCE_DEFAULTS = {"path": "", "sha256": "", "format": "", "pages": None, "language": "en"}
_CLAUSE_DEFAULTS = {"number": "", "heading": "", "text": "", "page": None, "parent": None, "kind": "clause"}


def normalised(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of the report, cleaned, with every field the writers show present (a partial or older report,
    or one crafted by hand, renders instead of failing)."""
    report = cleaned(report)
    out = dict(report)
    out["source"] = {**_SOURCE_DEFAULTS, **(report.get("source") or {})}
    out["contract"] = {**_CONTRACT_DEFAULTS, **(report.get("contract") or {})}
    out["clauses"] = [{**_CLAUSE_DEFAULTS, **c} for c in report.get("clauses") or [] if isinstance(c, dict) and c.get("id")]
    out["findings"] = [{**_FINDING_DEFAULTS, **f} for f in report.get("findings") or [] if isinstance(f, dict)]
    for finding in out["findings"]:
        finding["title"] = finding["title"] or finding["protection"]  # what every writer shows as its name
        finding["evidence"] = [e for e in finding["evidence"] or [] if isinstance(e, dict)]
        finding["clause_ids"] = [c for c in finding["clause_ids"] or [] if isinstance(c, str)]
    out["warnings"] = list(report.get("warnings") or [])
    out["notes"] = list(report.get("notes") or [])
    return out


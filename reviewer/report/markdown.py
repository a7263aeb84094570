"""The Markdown gap report: a compact summary to paste into an e-mail or a ticket.

Counts, then the red flags, missing and weak protections with their message, clause numbers and suggested
wording; present ones in one list. Text from the contract is escaped so that a Markdown renderer shows it as
written (no links, HTML or emphasis smuggled in); suggested wording goes in fenced blocks, untouched.
"""

from __future__ import annotations

import re
from typing import Any

from reviewer.report.html import (
    GAP_STATUSES,
    Clauses,
    count_line,
    generated_line,
    labels,
    normalised,
    report_language,
    shorten,
    sorted_findings,
    source_name,
    status_counts,
)

# Markdown punctuation that can start emphasis, code, links, HTML or tables; "_" only at a word's edge (CommonMark
# ignores it inside words) and "&" only where it could start an entity, so ordinary text stays readable as is.
_SPECIAL = re.compile(r"([\\`*\[\]<>|~]|(?<!\w)_|_(?!\w)|&(?=#?\w+;))")
_SECTION = {"en": {"red_flag": "Red flags", "missing": "Missing protections", "weak": "Weak protections"},
            "ja": {"red_flag": "リスク（レッドフラグ）", "missing": "欠落している条項", "weak": "不十分な条項"}}


def md(text: str) -> str:
    """Inline text with Markdown's punctuation escaped and line breaks folded into spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def fence(text: str) -> str:
    """A fenced block longer than any run of backticks inside it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}text\n{text.rstrip()}\n{ticks}"


def render_markdown(report: dict[str, Any]) -> str:
    """The compact report as Markdown text."""
    report = normalised(report)
    lang = report_language(report)
    lab = labels(lang)
    ja = lang == "ja"
    clauses = Clauses(report.get("clauses", []), lang)
    contract = report.get("contract", {})
    source = report.get("source", {})
    findings = sorted_findings(report.get("findings", []))
    counts = status_counts(findings)
    colon = lab["colon"]
    title = contract.get("title") or source_name(report)
    out = [f"# {md(lab['report'])}{colon}{md(title)}", ""]
    side = lab["side"].get(contract.get("side"), contract.get("side", ""))
    why = contract.get("side_evidence", "")
    facts = [
        (lab["contract_type"], lab["type"].get(contract.get("type"), contract.get("type", ""))),
        (lab["side_reviewed"], f"{side}（{why}）" if ja and why else f"{side} ({why})" if why else side),
        (lab["contract_language"], lab["language"].get(source.get("language"), source.get("language", ""))),
        (lab["source"], source_name(report)),
    ]
    for name, value in facts:
        out.append(f"- **{md(name)}**{colon}{md(value)}")
    out += ["", f"**{md(count_line(counts, lang))}**", ""]
    for warning in report.get("warnings", []):
        out.append(f"> {md(lab['warnings'])}{colon}{md(warning)}")
    if report.get("warnings"):
        out.append("")
    if not findings:
        out += [md(lab["no_findings"]), ""]
    for status in GAP_STATUSES:
        group = [f for f in findings if f.get("status") == status]
        if not group:
            continue
        out += [f"## {md(_SECTION.get(lang, _SECTION['en'])[status])}{_count(len(group), lang)}", ""]
        for finding in group:
            out += _finding(finding, clauses, lab, lang)
    if findings and not any(f.get("status") in GAP_STATUSES for f in findings):
        out += [md(lab["no_gaps"]), ""]
    present = [f for f in findings if f.get("status") == "present"]
    if present:
        out += [f"## {md(lab['present_list'])}{_count(len(present), lang)}", ""]
        for finding in present:
            refs = clauses.refs(finding, limit=8)
            out.append(f"- {md(finding['title'])}" + (f" ({md(refs)})" if refs else ""))
        out.append("")
    out.append(f"_{md(generated_line(report, lang))}_")
    return "\n".join(out).rstrip() + "\n"


def _count(n: int, lang: str) -> str:
    return f"（{n}件）" if lang == "ja" else f" ({n})"


def _finding(finding: dict[str, Any], clauses: Clauses, lab: dict[str, Any], lang: str) -> list[str]:
    """One red flag, missing or weak protection."""
    colon = lab["colon"]
    title = finding["title"]
    severity = lab["severity"].get(finding.get("severity"), finding.get("severity", ""))
    basis = lab["basis"].get(finding.get("basis"), finding.get("basis", ""))
    sev = f"{lab['severity_label']} {severity}" if lang == "ja" else f"{lab['severity_label']}: {severity}"
    lines = [f"### {md(title)}", "", f"{md(sev)} · {md(basis)}", ""]
    if finding.get("message"):
        lines += [md(finding["message"]), ""]
    refs = clauses.refs(finding, limit=8)
    name = lab["examined"] if finding.get("status") == "missing" else lab["clauses"]
    lines.append(f"- **{md(name)}**{colon}{md(refs) if refs else md(lab['nothing_found'])}")
    if finding.get("status") == "red_flag":
        for item in (finding.get("evidence") or [])[:2]:
            text = shorten(item.get("text", ""), 220)
            quote = f"「{text}」" if lang == "ja" else f"“{text}”"
            lines.append(f"- {md(clauses.ref(item.get('clause_id', '')))}{colon}{md(quote)}")
    lines.append("")
    if finding.get("suggestion"):
        lines += [f"**{md(lab['suggestion'])}**", "", fence(finding["suggestion"]), ""]
    return lines

"""docs/rules/: one page per provision and protection, generated from the library so it never goes stale.

    python -m reviewer.library.docs [--out docs/rules]

Each page has fixed parts (as Ruff's rule pages do): what it finds, why it matters, how it is recognised or
judged, examples in each language, and for protections the suggested wording.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer.library import Library, Rule, condition_provisions, load_library

SAMPLE_PARTIES = {
    "en": {"reviewed": "Licensor", "other": "Licensee", "title": "Technology License Agreement"},
    "ja": {"reviewed": "甲", "other": "乙", "title": "実施許諾契約書"},
}
INVESTMENT_PARTIES = {
    "en": {"reviewed": "the Company", "other": "the Investor", "title": "Investment Agreement"},
    "ja": {"reviewed": "甲", "other": "乙", "title": "投資契約書"},
}


def _example(example) -> str:
    return example if isinstance(example, str) else example["text"]


def _users(rule: Rule, library: Library) -> list[str]:
    return sorted(p.id for p in library.protections.values()
                  if rule.id in condition_provisions([j.get("when") for j in p.data["judge"]])
                  or rule.id in p.data.get("looked_at", []))


def provision_page(rule: Rule, library: Library) -> str:
    """The page of a provision rule."""
    d = rule.data
    lines = [f"# {rule.text('title', 'en')} / {rule.text('title', 'ja')}", "",
             f"`{rule.id}` — provision (what a clause is). Languages: {', '.join(d['languages'])}."]
    sources = {k: v for k, v in (d.get("sources") or {}).items() if v}
    if sources:
        lines.append("Mirrors: " + "; ".join(f"{k.upper() if k == 'cuad' else 'ContractNLI'} “{v}”"
                                             for k, v in sources.items()) + ".")
    lines += ["", "## What it finds", "", rule.text("meaning", "en"), "", rule.text("meaning", "ja"), ""]
    users = _users(rule, library)
    if users:
        lines += ["## Why it matters", "",
                  "Judged by the protections " + ", ".join(f"[`{u}`]({u}.md)" for u in users) + ".", ""]
    lines += ["## How it is recognised", ""]
    for lang, spec in d["match"].items():
        lines.append(f"**{lang}** — sentences containing `{spec.get('triggers', '(any)')}` are matched against "
                     f"{len(spec['patterns'])} pattern(s)"
                     + (f", headings matching `{spec['heading']}`" if spec.get("heading") else "")
                     + (f"; {len(spec.get('exclude', []))} exclusion(s) (exceptions, negations)"
                        if spec.get("exclude") else "") + ".")
        for pattern in spec["patterns"]:
            kind, value = next(iter(pattern.items()))
            lines.append(f"- {kind}: `{value}`")
        for pattern in spec.get("exclude", []):
            kind, value = next(iter(pattern.items()))
            lines.append(f"- not when {kind}: `{value}`")
        lines.append("")
    if d.get("values"):
        lines += ["Values recorded: " + ", ".join(f"`{v['name']}` ({v['extractor']})" for v in d["values"]) + ".", ""]
    lines += ["## Examples", ""]
    for lang in d["languages"]:
        examples = d["examples"][lang]
        lines.append(f"**{lang}, recognised:**")
        lines += [f"- {_example(e)}" for e in examples["positive"]]
        lines.append(f"\n**{lang}, not recognised:**")
        lines += [f"- {_example(e)}" for e in examples["negative"]]
        if examples.get("todo_positive") or examples.get("todo_negative"):
            lines.append(f"\n**{lang}, known misses:**")
            lines += [f"- {_example(e)}" for e in examples.get("todo_positive", []) + examples.get("todo_negative", [])]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def protection_page(rule: Rule, library: Library) -> str:
    """The page of a protection rule, with its suggested wording in both languages."""
    from reviewer.library.judge import _suggestion_renderer

    d = rule.data
    basis = {"case1": "Case 1 (licensing and overseas production)", "case2": "Case 2 (investment)",
             "case3": "Case 3 (a key engineer poached)", "case4": "Case 4 (a contractor downloading data)",
             "fefta": "FEFTA (Japan's Foreign Exchange and Foreign Trade Act)"}[d["basis"]]
    lines = [f"# {rule.text('title', 'en')} / {rule.text('title', 'ja')}", "",
             f"`{rule.id}` — protection, severity **{d['severity']}**, from {basis}. Applies to "
             f"{', '.join(d['applies']['types'])} contracts, reviewed for the {' or '.join(d['applies']['sides'])}.",
             "", "## What it protects against", "", rule.text("protects_against", "en"), "",
             rule.text("protects_against", "ja"), "", "## Why it matters", "", rule.text("rationale", "en"), "",
             rule.text("rationale", "ja"), "", "## How it is judged", "",
             "The first line whose condition holds gives the status.", "",
             "| status | when | message |", "|---|---|---|"]
    for entry in d["judge"]:
        when = f"`{entry['when']}`".replace("|", "\\|") if "when" in entry else "otherwise"
        lines.append(f"| {entry['status']} | {when} | {entry['message'].get('en', '')} |")
    provisions = sorted(set(d.get("looked_at", [])))
    if provisions:
        lines += ["", "Provisions examined: " + ", ".join(f"[`{p}`]({p}.md)" for p in provisions) + "."]
    lines += ["", "## Examples", ""]
    for lang, examples in d["examples"].items():
        for example in examples:
            lines.append(f"- **{lang} → {example['status']}**: " + " / ".join(example["clauses"]))
    parties = INVESTMENT_PARTIES if "investment" in d["applies"]["types"] else SAMPLE_PARTIES
    lines += ["", "## Suggested wording", ""]
    for lang in ("en", "ja"):
        text = _suggestion_renderer(parties[lang])(rule, lang)
        if text:
            lines += [f"**{lang}** (parties shown as {parties[lang]['reviewed']} / {parties[lang]['other']}):", "",
                      *("> " + line if line else ">" for line in text.splitlines()), ""]
    return "\n".join(lines).rstrip() + "\n"


def pages(library: Library) -> dict[str, str]:
    """File name to content, for every rule plus the index."""
    out = {}
    index = ["# Rules", "", "Generated from `clause_library/` by `python -m reviewer.library.docs`; do not edit.", "",
             "## Protections", "", "| id | title | basis | severity | applies to |", "|---|---|---|---|---|"]
    for rule in sorted(library.protections.values(), key=lambda r: (r.data["basis"], r.id)):
        out[f"{rule.id}.md"] = protection_page(rule, library)
        index.append(f"| [`{rule.id}`]({rule.id}.md) | {rule.text('title', 'en')} / {rule.text('title', 'ja')} | "
                     f"{rule.data['basis']} | {rule.data['severity']} | {', '.join(rule.data['applies']['types'])} |")
    index += ["", "## Provisions", "", "| id | title | languages |", "|---|---|---|"]
    for rule in sorted(library.provisions.values(), key=lambda r: r.id):
        out[f"{rule.id}.md"] = provision_page(rule, library)
        index.append(f"| [`{rule.id}`]({rule.id}.md) | {rule.text('title', 'en')} / {rule.text('title', 'ja')} | "
                     f"{', '.join(rule.data['languages'])} |")
    out["README.md"] = "\n".join(index) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "docs" / "rules")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = pages(load_library())
    for stale in set(p.name for p in args.out.glob("*.md")) - set(wanted):
        (args.out / stale).unlink()
    for name, text in wanted.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"{len(wanted)} pages written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Protections judged from the provisions found: the first judge entry whose condition holds gives the status."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reviewer.library import Library, Rule, condition_provisions, in_language
from reviewer.library.engine import Hit
from reviewer.library.sides import COUNTERPART

SEVERITY_ORDER = {"low": 1, "medium": 2, "high": 3}
_STATUS_ORDER = {"red_flag": 0, "missing": 1, "weak": 2, "present": 3, "not_applicable": 4}
_OPS = {"lt": operator.lt, "lte": operator.le, "gt": operator.gt, "gte": operator.ge, "eq": operator.eq,
        "ne": operator.ne}


@dataclass
class Context:
    """What a condition can look at: the hits by provision, the contract type and the reviewed side."""

    hits: dict[str, list[Hit]]
    contract_type: str
    side: str
    extra_types: tuple[str, ...] = ()

    def values(self, provision: str, name: str) -> list[Any]:
        return [h.values[name] for h in self.hits.get(provision, []) if name in h.values]


@dataclass
class Finding:
    """One protection judged for one contract."""

    protection: str
    status: str
    severity: str
    clause_ids: list[str]
    message: str
    rationale: str
    suggestion: str
    basis: str
    title: str = ""
    evidence: list[dict[str, str]] = field(default_factory=list)


def _compare(actual: Any, comparison: dict[str, Any], ctx: Context) -> bool:
    for op, expected in comparison.items():
        if expected == "reviewed":
            expected = ctx.side
        elif expected == "other":
            expected = COUNTERPART.get(ctx.side, "")
        try:
            ok = _OPS[op](actual, expected)
        except TypeError:  # a value of another kind (a party compared with a number) never satisfies
            return False
        if not ok:
            return False
    return True


def holds(condition: dict[str, Any] | None, ctx: Context) -> bool:
    """Evaluate a condition of the rule format."""
    if condition is None:
        return True
    key, arg = next(iter(condition.items()))
    if key == "provision":
        return bool(ctx.hits.get(arg))
    if key == "all":
        return all(holds(c, ctx) for c in arg)
    if key == "any":
        return any(holds(c, ctx) for c in arg)
    if key == "not":
        return not holds(arg, ctx)
    if key == "type":
        return _of_type(arg, ctx.contract_type, ctx.extra_types)
    if key == "side":
        return ctx.side in arg
    if key == "value":
        for name, comparison in arg.items():
            provision, _, value_name = name.partition(".")
            if not any(_compare(v, comparison, ctx) for v in ctx.values(provision, value_name)):
                return False
        return True
    raise ValueError(f"unknown condition {key!r}")  # the schema prevents this


_FIELD = re.compile(r"\{([a-z_]+\.[a-z_]+)\}")


def _fill(message: str, ctx: Context) -> str:
    """Message placeholders like {confidentiality_survival.years} filled with the extracted value."""
    def value(m: re.Match[str]) -> str:
        provision, _, name = m.group(1).partition(".")
        found = ctx.values(provision, name)
        if not found:
            return "?"
        v = found[0]
        return f"{v:g}" if isinstance(v, float) else str(v)

    return _FIELD.sub(value, message)


def _of_type(types: list[str], contract_type: str, extra_types: tuple[str, ...]) -> bool:
    """Whether the contract's type, or a type it is also reviewed as, is among ``types``."""
    return contract_type in types or any(t in types for t in extra_types)


def applies(rule: Rule, contract_type: str, side: str, extra_types: tuple[str, ...] = ()) -> bool:
    """Whether a protection belongs to the playbook for this contract type and reviewed side."""
    spec = rule.data["applies"]
    return _of_type(spec["types"], contract_type, extra_types) and side in spec["sides"]


def judge(rule: Rule, ctx: Context, lang: str, render_suggestion) -> Finding:
    """The finding for one protection."""
    for entry in rule.data["judge"]:
        if holds(entry.get("when"), ctx):
            break
    status = entry["status"]
    named = condition_provisions(entry.get("when"), negated=False)  # what a "not" names is absent
    if status == "missing" or not named:
        named = rule.data.get("looked_at", [])
    hits = [h for p in named for h in ctx.hits.get(p, [])]
    clause_ids = list(dict.fromkeys(h.sentence.clause.id for h in hits))
    message = _fill(in_language(entry["message"], lang), ctx)
    if status == "missing" and not clause_ids:
        message += ("" if lang == "ja" else " ") + _NOTHING[lang]
    return Finding(
        protection=rule.id,
        status=status,
        severity=rule.data["severity"],
        clause_ids=clause_ids,
        message=message,
        rationale=rule.text("rationale", lang),
        suggestion=render_suggestion(rule, lang) if status != "present" else "",
        basis=rule.data["basis"],
        title=rule.text("title", lang),
        evidence=[{"clause_id": h.sentence.clause.id, "text": h.sentence.text} for h in hits[:5]],
    )


_NOTHING = {"en": "No clause of the contract was found to address it.",
            "ja": "契約書中に該当する条項は見当たりません。"}


def judge_all(library: Library, hits: list[Hit], contract_type: str, side: str, lang: str,
              parties: dict[str, str] | None = None, extra_types: tuple[str, ...] = ()) -> list[Finding]:
    """Every applicable protection, judged; red flags first, then by severity."""
    by_provision: dict[str, list[Hit]] = {}
    for hit in hits:
        by_provision.setdefault(hit.provision, []).append(hit)
    ctx = Context(by_provision, contract_type, side, extra_types)
    renderer = _suggestion_renderer(parties or {})
    findings = [judge(rule, ctx, lang, renderer) for rule in library.protections.values()
                if applies(rule, contract_type, side, extra_types)]
    findings.sort(key=lambda f: (_STATUS_ORDER[f.status], -SEVERITY_ORDER[f.severity], f.protection))
    return findings


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    from reviewer.resources import resource_dir

    # Suggested wording is plain text placed in JSON and escaped by each report writer that shows it.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(resource_dir("templates"))), autoescape=False,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=False, trim_blocks=True,
                              lstrip_blocks=True, auto_reload=False)  # bundled templates: no stat per use


def _suggestion_renderer(parties: dict[str, str]):
    def render(rule: Rule, lang: str) -> str:
        import jinja2

        env = _environment()
        for wording in (lang, "en" if lang == "ja" else "ja"):  # the other language when none is written in this one
            try:
                template = env.get_template(f"suggestions/{rule.data['suggestion']}.{wording}.j2")
            except jinja2.TemplateNotFound:
                continue
            return template.render(party=parties, contract={"title": parties.get("title", "")}).strip()
        return ""

    return render

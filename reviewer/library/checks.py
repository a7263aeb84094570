"""Every rule's own examples, run: positives must hit, negatives must not, protections must judge as stated."""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.library import Library, Rule
from reviewer.model import Clause, Document, RawDocument

MIN_EXAMPLES = 3


@dataclass(frozen=True)
class Result:
    """One example run: which rule, language and example, and whether it came out as written."""

    rule: str
    language: str
    label: str  # positive | negative | todo_positive | todo_negative | <expected status>
    text: str
    ok: bool
    detail: str = ""

    @property
    def counts(self) -> bool:
        """Known misses (todo_*) are reported but do not fail."""
        return not self.label.startswith("todo_")


def _example_text(example) -> tuple[str, dict]:
    if isinstance(example, str):
        return example, {}
    return example["text"], example.get("expect", {})


def check_provision(rule: Rule, library: Library) -> list[Result]:
    """Run a provision's examples."""
    from reviewer.library.engine import detect_text
    from reviewer.library.values import extract_values

    results = []
    specs = {v["name"]: v["extractor"] for v in rule.data.get("values", [])}
    for lang in rule.data["languages"]:
        examples = rule.data["examples"].get(lang, {})
        for label in ("positive", "negative", "todo_positive", "todo_negative"):
            for example in examples.get(label, []):
                text, expect = _example_text(example)
                hits = detect_text(text, library, lang, rule.id)
                want = label.endswith("positive")
                ok = bool(hits) == want
                detail = "" if ok else ("not recognised" if want else f"recognised: {hits[0].sentence.text!r}")
                if ok and want and expect:
                    for name, wanted in expect.items():
                        got = next((extract_values(specs[name], h.sentence.text, None) for h in hits
                                    if name in specs), None)
                        if got != wanted:
                            ok, detail = False, f"value {name}: expected {wanted!r}, got {got!r}"
                results.append(Result(rule.id, lang, label, text, ok, detail))
    return results


def _miniature(texts: list[str], language: str, contract_type: str) -> Document:
    """A contract in miniature: each text a clause, parties and their roles found as in a real review."""
    from reviewer.library.sides import assign_roles
    from reviewer.segment.parties import extract_parties

    clauses = tuple(Clause(id=f"c{i + 1}", number=str(i + 1), heading="", text=t, kind="clause", page=None,
                           parent=None, level=0) for i, t in enumerate(texts))
    raw = RawDocument(path="example", sha256="0" * 64, format="txt", blocks=())
    document = Document(source=raw, language=language, clauses=clauses,
                        parties=tuple(extract_parties(list(clauses), language)))
    return assign_roles(document, contract_type)


def check_protection(rule: Rule, library: Library) -> list[Result]:
    """Run a protection's example contracts through detection and the judge."""
    from reviewer.library.engine import detect
    from reviewer.library.judge import judge_all

    results = []
    for lang, examples in rule.data["examples"].items():
        for example in examples:
            contract_type = example.get("type") or rule.data["applies"]["types"][0]
            document = _miniature(example["clauses"], lang, contract_type)
            side = example.get("side") or rule.data["applies"]["sides"][0]
            hits = detect(document, library)
            findings = {f.protection: f for f in judge_all(library, hits, contract_type, side, lang,
                                                          {"reviewed": "X", "other": "Y", "title": ""})}
            got = findings[rule.id].status if rule.id in findings else "not_applicable"
            ok = got == example["status"]
            detail = "" if ok else f"judged {got}; provisions found: {sorted({h.provision for h in hits})}"
            results.append(Result(rule.id, lang, example["status"], " / ".join(example["clauses"]), ok, detail))
    return results


def coverage_problems(rule: Rule) -> list[str]:
    """What a rule lacks: examples per claimed language (at least 3 positive and 3 negative)."""
    problems = []
    if rule.kind == "provision":
        for lang in rule.data["languages"]:
            examples = rule.data["examples"].get(lang, {})
            for label in ("positive", "negative"):
                if len(examples.get(label, [])) < MIN_EXAMPLES:
                    problems.append(f"{rule.id}: fewer than {MIN_EXAMPLES} {label} examples in {lang}")
    else:
        for lang, examples in rule.data["examples"].items():
            good = sum(1 for e in examples if e["status"] == "present")
            bad = sum(1 for e in examples if e["status"] in ("weak", "missing", "red_flag"))
            if good < MIN_EXAMPLES or bad < MIN_EXAMPLES:
                problems.append(f"{rule.id}: needs {MIN_EXAMPLES} examples judged present and {MIN_EXAMPLES} judged "
                                f"weak/missing/red_flag in {lang} (has {good} and {bad})")
        if not rule.data["examples"]:
            problems.append(f"{rule.id}: no examples")
    return problems


def run_checks(library: Library, ids: list[str] | None = None) -> tuple[list[Result], list[str]]:
    """Every example of the chosen rules (all by default), and the rules' coverage problems."""
    rules = [library.get(i) for i in ids] if ids else library.all()
    missing = [i for i, r in zip(ids or [], rules, strict=False) if r is None]
    results: list[Result] = []
    problems = [f"{i}: no such rule" for i in missing]
    for rule in (r for r in rules if r is not None):
        problems.extend(coverage_problems(rule))
        results.extend(check_provision(rule, library) if rule.kind == "provision" else check_protection(rule, library))
    return results, problems

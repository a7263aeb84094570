"""Provision detection against ContractNLI's lawyers' judgements on 61 NDAs, per hypothesis, document level.

    python benchmarks/contractnli.py [--only ID,ID] [--errors FILE] [--baseline]

ContractNLI (Koreeda and Manning, 2021; ``../shared/data/contractnli/dev.json``) judges 17 hypotheses on each
NDA as Entailment, Contradiction or NotMentioned. Five of them mirror provision ids of SPEC section 3
(``no_solicit_employees`` is measured too when its rule exists). A document is positive when the hypothesis
is Entailment; Contradiction and NotMentioned are negatives. Because the hypotheses are protections,
the number of Contradiction documents a rule fires on is reported apart: those are the red flags a reviewer
must not mistake for the protection.

``return_or_destroy`` is wider than its hypothesis ("... upon the termination of Agreement"): the provision
also covers return on request. It is scored twice: as the provision fires, and "aligned", counting a document
only when a hit sentence (or its clause) ties the return to the end of the agreement, the purpose or the
transaction. ``--baseline`` adds a naive keyword search for comparison. The ``residuals`` rule, which has no
hypothesis, is checked against the NDAs whose "Limited use" is Contradiction (each carries a residuals clause).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from segment_cache import cache_dir, segmented  # noqa: E402

HYPOTHESES = {  # provision id -> ContractNLI hypothesis id (README of the data set)
    "reverse_engineering_prohibition": "nda-11",
    "return_or_destroy": "nda-16",
    "confidentiality_survival": "nda-19",
    "limited_use": "nda-4",
    "no_implied_license": "nda-15",
    "no_solicit_employees": "nda-18",
}
# A naive keyword search, the reference a rule has to beat.
BASELINE = {
    "reverse_engineering_prohibition": r"reverse engineer|decompil|disassembl",
    "return_or_destroy": r"\breturn|\bdestroy",
    "confidentiality_survival": r"surviv",
    "limited_use": r"solely for|only for|purpose",
    "no_implied_license": r"\blicen[cs]e",
    "no_solicit_employees": r"solicit",
}
# The end of the agreement, purpose or deal: what ties a return duty to the hypothesis' "upon termination".
_END = re.compile(r"terminat|expir|complet|conclu|\bend\b|no longer|cease to be|abandon|not (?:to )?proceed|"
                  r"not consummated|decid\w* not|withdraw|upon (?:the )?closing", re.IGNORECASE)
# "... after termination of discussions, upon the written request of ...": the return still waits for a request.
_ON_REQUEST = re.compile(r"[^.;]{0,120}?,?\s*(?:upon|at|on)\s+(?:the\s+)?(?:\w+(?:['’]s)?\s+){0,3}?(?:written\s+)?"
                         r"(?:request|demand|instruction|notice)", re.IGNORECASE)


def _ends(text: str) -> bool:
    """The text ties something to the end of the agreement, purpose or deal, not to a later request."""
    return any(not _ON_REQUEST.match(text, m.end()) for m in _END.finditer(text))


def _aligned(hits, document) -> bool:
    """Some hit ties the return to the end: in its sentence, or in the list it opens or belongs to (a sentence
    ending in ";" or ":" continues in the rest of its clause and its sub-clauses; an item's lead-in counts)."""
    children: dict[str, list] = {}
    clauses = {c.id: c for c in document.clauses}
    for c in document.clauses:
        if c.parent:
            children.setdefault(c.parent, []).append(c)
    for h in hits:
        clause, text = h.sentence.clause, h.sentence.text
        context = [text]
        if text.rstrip().endswith((";", ":")):
            context.append(clause.text[h.sentence.end:])
            context.extend(c.text for c in children.get(clause.id, []))
        parent = clauses.get(clause.parent) if clause.parent else None
        if parent is not None and parent.text.rstrip().endswith(":"):
            context.append(parent.text)
        if any(_ends(t) for t in context):
            return True
    return False


def _library():
    """The bundled library; when some other rule file does not load, the provisions that do (with a warning)."""
    from reviewer.library import Library, LibraryError, load_library, read_rule
    from reviewer.resources import resource_dir

    try:
        return load_library()
    except LibraryError as exc:
        print(f"warning: {exc}; measuring the provision files that load", file=sys.stderr)
    library = Library()
    for path in sorted((resource_dir("clause_library") / "provisions").glob("*.yaml")):
        try:
            rule = read_rule(path)
        except LibraryError as exc:
            print(f"warning: skipped {exc}", file=sys.stderr)
            continue
        library.provisions[rule.id] = rule
    return library


def _scores(c: dict) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else (1.0 if not c["fn"] else 0.0)
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--only", default="", help="comma-separated provision ids")
    parser.add_argument("--errors", type=Path, default=None, help="write false positives and negatives here")
    parser.add_argument("--baseline", action="store_true", help="also score a naive keyword search")
    args = parser.parse_args()
    source = args.data / "contractnli" / "dev.json"
    if not source.is_file():
        print(f"{source}: not found (the shared data folder)", file=sys.stderr)
        return 2
    from reviewer.library.engine import detect

    library = _library()
    data = json.loads(source.read_text(encoding="utf-8"))
    wanted = args.only.split(",") if args.only else list(HYPOTHESES)
    ids = [i for i in wanted if i in HYPOTHESES and i in library.provisions]
    skipped = [i for i in wanted if i in HYPOTHESES and i not in library.provisions]
    cache = cache_dir("contractnli")
    variants = {i: ["rule"] + (["aligned"] if i == "return_or_destroy" else []) + (["baseline"] if args.baseline else [])
                for i in ids}
    counts = {(i, v): {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "contra_hit": 0, "contra": 0} for i in ids for v in variants[i]}
    errors: list[str] = []
    # the residuals rule has no hypothesis of its own; the NDAs whose "Limited use" is contradicted carry one
    residual_docs: set[int] | None = set() if "residuals" in library.provisions and not args.only else None
    for index, item in enumerate(data["documents"]):
        document = segmented(cache, f"nda-{index:02d}-{hashlib.sha256(item['text'].encode()).hexdigest()[:8]}", f"nda-{index:02d}.txt",
                              item["text"].encode("utf-8"))
        hits = detect(document, library)
        by_id: dict[str, list] = {}
        for h in hits:
            by_id.setdefault(h.provision, []).append(h)
        if residual_docs is not None and by_id.get("residuals"):
            residual_docs.add(index)
        annotations = item["annotation_sets"][0]["annotations"]
        for pid in ids:
            choice = annotations[HYPOTHESES[pid]]["choice"]
            gold = choice == "Entailment"
            for variant in variants[pid]:
                if variant == "rule":
                    predicted = bool(by_id.get(pid))
                elif variant == "aligned":
                    predicted = _aligned(by_id.get(pid, []), document)
                else:
                    predicted = bool(re.search(BASELINE[pid], item["text"], re.IGNORECASE))
                c = counts[(pid, variant)]
                c["contra"] += choice == "Contradiction"
                c["contra_hit"] += choice == "Contradiction" and predicted
                c["tp" if gold and predicted else "fn" if gold else "fp" if predicted else "tn"] += 1
                if variant != "baseline" and predicted != gold:
                    tag = pid if variant == "rule" else f"{pid}({variant})"
                    if predicted:
                        errors.append(f"FP\t{tag}\t{index}\t{choice}\t{by_id[pid][0].sentence.text[:400]!r}")
                    else:
                        spans = [item["text"][slice(*item["spans"][s])] for s in annotations[HYPOTHESES[pid]]["spans"]]
                        errors.append(f"FN\t{tag}\t{index}\t{' | '.join(spans)[:400]!r}")
    header = ["| provision | ContractNLI hypothesis | scored | positives | TP | FP | FN | precision | recall | F1 "
              "| fires on Contradiction |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    rows, macro = [], {"rule": [], "baseline": []}
    for pid in ids:
        label = data["labels"][HYPOTHESES[pid]]["short_description"]
        for variant in variants[pid]:
            c = counts[(pid, variant)]
            p, r, f1 = _scores(c)
            if variant == "baseline":
                macro["baseline"].append(f1)
            elif variant == "aligned" or "aligned" not in variants[pid]:
                macro["rule"].append(f1)
            rows.append(f"| {pid} | {label} | {variant} | {c['tp'] + c['fn']} | {c['tp']} | {c['fp']} | {c['fn']} "
                        f"| {p:.2f} | {r:.2f} | {f1:.2f} | {c['contra_hit']}/{c['contra']} |")
    print("\n".join(header + rows))
    if ids:
        line = f"{len(data['documents'])} NDAs, {len(ids)} hypotheses: macro-F1 {statistics.mean(macro['rule']):.3f}"
        if "return_or_destroy" in ids:
            line += " (return_or_destroy scored aligned)"
        if macro["baseline"]:
            line += f"; keyword baseline {statistics.mean(macro['baseline']):.3f}"
        print(line)
    if residual_docs is not None:
        contra = [i for i, item in enumerate(data["documents"])
                  if item["annotation_sets"][0]["annotations"][HYPOTHESES["limited_use"]]["choice"] == "Contradiction"]
        print(f"residuals: fires on {len(residual_docs & set(contra))}/{len(contra)} NDAs whose use limit ContractNLI "
              f"judges contradicted (residuals clauses), and on {len(residual_docs - set(contra))} other NDAs")
    if skipped:
        print(f"no rule yet for: {', '.join(skipped)}")
    if args.errors:
        args.errors.write_text("\n".join(errors) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Provision detection against the lawyers' labels of CUAD (PDF input), per category, document level.

    python benchmarks/accuracy.py [--limit N] [--only ID,ID] [--errors FILE] [--write-docs]

For each of the 34 provision ids mapped to CUAD categories (SPEC section 3): precision, recall and F1 of
"the contract has it", and for true positives the share whose evidence shares at least half the words of a
lawyer's span. Segmented documents are cached under the system temp folder (keyed by the reader's code), so
reruns while tuning rules only pay for detection. `--write-docs` rewrites docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import ast
import csv
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from segment_cache import cache_dir, segmented  # noqa: E402

csv.field_size_limit(1 << 30)

CUAD = {
    "most_favored_nation": "Most Favored Nation", "competitive_restriction_exception": "Competitive Restriction Exception",
    "non_compete": "Non-Compete", "exclusivity": "Exclusivity", "no_solicit_customers": "No-Solicit Of Customers",
    "no_solicit_employees": "No-Solicit Of Employees", "non_disparagement": "Non-Disparagement",
    "termination_for_convenience": "Termination For Convenience", "rofr_rofo_rofn": "Rofr/Rofo/Rofn",
    "change_of_control": "Change Of Control", "anti_assignment": "Anti-Assignment",
    "revenue_profit_sharing": "Revenue/Profit Sharing", "price_restrictions": "Price Restrictions",
    "minimum_commitment": "Minimum Commitment", "volume_restriction": "Volume Restriction",
    "insurance": "Insurance", "third_party_beneficiary": "Third Party Beneficiary",
    "ip_ownership_assignment": "Ip Ownership Assignment", "joint_ip_ownership": "Joint Ip Ownership",
    "license_grant": "License Grant", "non_transferable_license": "Non-Transferable License",
    "affiliate_license_licensor": "Affiliate License-Licensor", "affiliate_license_licensee": "Affiliate License-Licensee",
    "unlimited_license": "Unlimited/All-You-Can-Eat-License", "irrevocable_or_perpetual_license": "Irrevocable Or Perpetual License",
    "source_code_escrow": "Source Code Escrow", "post_termination_services": "Post-Termination Services",
    "audit_rights": "Audit Rights", "uncapped_liability": "Uncapped Liability", "cap_on_liability": "Cap On Liability",
    "liquidated_damages": "Liquidated Damages", "warranty_duration": "Warranty Duration",
    "covenant_not_to_sue": "Covenant Not To Sue",
    "governing_law": "Governing Law",
}
_WORDS = re.compile(r"\w+")


def load_labels(path: Path) -> dict[str, dict[str, list[str]]]:
    """For each contract, each category's lawyer spans (empty list: the contract does not have it)."""
    out: dict[str, dict[str, list[str]]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            spans = {}
            for pid, category in CUAD.items():
                try:
                    found = [s for s in ast.literal_eval(row.get(category) or "[]") if s.strip()]
                except (ValueError, SyntaxError):
                    found = []
                answer = (row.get(f"{category}-Answer") or "").strip()
                if category != "Governing Law" and answer.lower() not in ("yes", "no") and answer:
                    answer = "yes" if found else "no"
                present = bool(found) if category == "Governing Law" else answer.lower() == "yes"
                spans[pid] = found if present else []
            out[row["Filename"]] = spans
    return out


def overlap(evidence: str, span: str) -> float:
    """Share of the span's words that the evidence contains."""
    words = set(_WORDS.findall(span.lower()))
    return len(words & set(_WORDS.findall(evidence.lower()))) / len(words) if words else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="only the first N contracts")
    parser.add_argument("--only", default="", help="comma-separated provision ids")
    parser.add_argument("--errors", type=Path, default=None, help="write false positives and negatives here")
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/accuracy.md with the table")
    args = parser.parse_args()
    if not (args.data / "cuad").is_dir():
        print(f"{args.data / 'cuad'}: not found (the shared data folder)", file=sys.stderr)
        return 2
    from reviewer.library import load_library
    from reviewer.library.engine import detect

    library = load_library()
    ids = [i for i in (args.only.split(",") if args.only else CUAD) if i in CUAD]
    absent = [i for i in ids if i not in library.provisions]
    labels = load_labels(args.data / "cuad" / "labels.csv")
    pdfs = sorted((args.data / "cuad" / "pdf").glob("*.pdf"))[: args.limit]
    cache = cache_dir("accuracy")
    counts = {i: {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "ev_ok": 0} for i in ids}
    errors: list[str] = []
    detect_seconds = []
    for pdf in pdfs:
        gold = labels.get(pdf.stem)
        if gold is None:
            continue
        doc = segmented(cache, pdf.stem, pdf)
        t0 = time.perf_counter()
        hits = detect(doc, library)
        detect_seconds.append(time.perf_counter() - t0)
        by_id: dict[str, list] = {}
        for h in hits:
            by_id.setdefault(h.provision, []).append(h)
        for pid in ids:
            predicted, spans = bool(by_id.get(pid)), gold[pid]
            c = counts[pid]
            if predicted and spans:
                c["tp"] += 1
                best = max(overlap(h.sentence.text, s) for h in by_id[pid] for s in spans)
                c["ev_ok"] += best >= 0.5
                if best < 0.5:
                    errors.append(f"EVIDENCE\t{pid}\t{pdf.stem}\t{by_id[pid][0].sentence.text[:300]!r}\t{spans[0][:300]!r}")
            elif predicted:
                c["fp"] += 1
                errors.append(f"FP\t{pid}\t{pdf.stem}\t{by_id[pid][0].sentence.text[:400]!r}")
            elif spans:
                c["fn"] += 1
                errors.append(f"FN\t{pid}\t{pdf.stem}\t{spans[0][:400]!r}")
            else:
                c["tn"] += 1
    rows, f1s, ev_num, ev_den = [], [], 0, 0
    for pid in ids:
        c = counts[pid]
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else (1.0 if not c["fn"] else 0.0)
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        f1s.append(f1)
        ev = c["ev_ok"] / c["tp"] if c["tp"] else float("nan")
        ev_num += c["ev_ok"]
        ev_den += c["tp"]
        flag = "" if pid in library.provisions else "  (no rule yet)"
        rows.append(f"| {pid} | {c['tp'] + c['fn']} | {c['tp']} | {c['fp']} | {c['fn']} | {p:.2f} | {r:.2f} | {f1:.2f} "
                    f"| {ev:.2f} |{flag}")
    header = ["| provision | positives | TP | FP | FN | precision | recall | F1 | evidence >= half a span |",
              "|---|---|---|---|---|---|---|---|---|"]
    macro = statistics.mean(f1s) if f1s else 0.0
    summary = (f"{len(pdfs)} CUAD contracts (PDF), {len(ids)} provisions: macro-F1 {macro:.3f} (target >= 0.85); "
               f"evidence sharing at least half a lawyer's span for {ev_num}/{ev_den} = "
               f"{ev_num / ev_den if ev_den else 0:.3f} of true positives (target >= 0.90); detection median "
               f"{statistics.median(detect_seconds) * 1000:.0f} ms per contract")
    print("\n".join(header + rows))
    print(summary)
    if absent:
        print(f"no rule yet for: {', '.join(absent)}")
    if args.errors:
        args.errors.write_text("\n".join(errors), encoding="utf-8")
    if args.write_docs:
        doc = ROOT / "docs" / "accuracy.md"
        doc.write_text("# Accuracy on CUAD\n\nMeasured with `python benchmarks/accuracy.py --write-docs` over "
                       "`../shared/data/cuad` (PDF input, document level: does the contract have the provision).\n\n"
                       + "\n".join(header + rows) + f"\n\n{summary}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

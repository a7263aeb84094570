"""How well clauses hold the lawyers' spans (CUAD, PDF input), and how fast ingestion plus segmentation runs.

    python benchmarks/segmentation.py [--limit N] [--data ../shared/data] [--misses FILE]

A labelled span counts when one clause contains all of it (all pieces of a span the lawyers cut with
<omitted>), comparing lower-cased text with everything but letters and digits removed: in the clause's own
text, or together with its sub-clauses while that subtree is at most max(2,500, 4 x the span's length)
characters. Also prints
the median clause length (a clause's own text), pages per second, and the JPO commentary figures.
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

from reviewer.ingest import read_document  # noqa: E402
from reviewer.segment import segment  # noqa: E402

_NON_ALNUM = re.compile(r"[\W_]+")
csv.field_size_limit(1 << 30)


def norm(text: str) -> str:
    """Lower-cased, letters and digits only."""
    return _NON_ALNUM.sub("", text.lower())


def load_spans(labels_csv: Path) -> dict[str, list[str]]:
    """Every labelled span per contract (all 41 categories), by file name."""
    spans: dict[str, list[str]] = {}
    with labels_csv.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        span_columns = [i for i, name in enumerate(header) if i >= 2 and not name.strip().endswith("Answer")]
        for row in reader:
            found: list[str] = []
            for i in span_columns:
                try:
                    found.extend(s for s in ast.literal_eval(row[i]) if s.strip())
                except (ValueError, SyntaxError):
                    continue
            spans[row[0]] = found
    return spans


class Index:
    """The clause tree laid out in pre-order over one normalised string: a subtree is one contiguous range."""

    def __init__(self, clauses):
        self.text_parts: list[str] = []
        self.ranges: dict[str, tuple[int, int]] = {}
        self.raw_len: dict[str, int] = {}
        self.own: dict[str, tuple[int, int]] = {}
        self.parent = {c.id: c.parent for c in clauses}
        children: dict[str | None, list] = {}
        for c in clauses:
            children.setdefault(c.parent, []).append(c)
        self.pos = 0
        self.starts: list[tuple[int, int, str]] = []  # (start, end, id) of each clause's own text

        def walk(clause) -> int:
            start = self.pos
            own = norm(clause.number + " " + clause.heading + " " + clause.text)
            self.text_parts.append(own)
            self.starts.append((self.pos, self.pos + len(own), clause.id))
            self.own[clause.id] = (self.pos, self.pos + len(own))
            self.pos += len(own)
            raw = len(clause.text)
            for child in children.get(clause.id, []):
                raw += walk(child)
            self.ranges[clause.id] = (start, self.pos)
            self.raw_len[clause.id] = raw
            return raw

        for top in children.get(None, []):
            walk(top)
        self.text = "".join(self.text_parts)
        self.starts.sort()

    def smallest_containing(self, start: int, end: int) -> str | None:
        import bisect

        i = bisect.bisect_right(self.starts, (start, float("inf"), "")) - 1
        if i < 0:
            return None
        node = self.starts[i][2]
        while node is not None:
            a, b = self.ranges[node]
            if a <= start and end <= b:
                return node
            node = self.parent[node]
        return None

    def _in_own_text(self, node: str, pieces: list[str]) -> bool:
        start, end = self.own[node]
        return all(self.text.find(p, start, end) >= 0 for p in pieces)

    def contains(self, span: str) -> bool:
        pieces = [norm(p) for p in span.split("<omitted>")]
        pieces = [p for p in pieces if p]
        if not pieces:
            return True
        limit = max(2500, 4 * len(span))
        first = pieces[0]
        at = self.text.find(first)
        while at >= 0:
            node = self.smallest_containing(at, at + len(first))
            if node is not None and self._in_own_text(node, pieces):
                return True  # inside one clause's own text, whatever its size
            while node is not None and self.raw_len[node] <= limit:
                a, b = self.ranges[node]
                if all(self.text.find(p, a, b) >= 0 for p in pieces[1:]):
                    return True
                node = self.parent[node]
            at = self.text.find(first, at + 1)
        return False


def cuad(data: Path, limit: int | None, misses_file: Path | None) -> int:
    spans = load_spans(data / "cuad" / "labels.csv")
    pdfs = sorted((data / "cuad" / "pdf").glob("*.pdf"))[:limit]
    inside = total = 0
    own_lengths: list[int] = []
    pages = 0
    failed = []
    seconds = 0.0
    misses = []
    for pdf in pdfs:
        t0 = time.perf_counter()
        try:
            doc = segment(read_document(pdf))
        except Exception as exc:  # the benchmark reports every file, whatever happens
            failed.append(f"{pdf.name}: {exc}")
            continue
        seconds += time.perf_counter() - t0
        pages += doc.source.pages or 0
        own_lengths.extend(len(c.text) for c in doc.clauses if c.text)
        index = Index(doc.clauses)
        for span in spans.get(pdf.stem, []):
            total += 1
            if index.contains(span):
                inside += 1
            else:
                misses.append(f"{pdf.stem}\t{span[:300]!r}")
    share = inside / total if total else 0.0
    print(f"CUAD PDFs reviewed: {len(pdfs) - len(failed)}/{len(pdfs)}")
    for line in failed:
        print(f"  failed: {line}")
    print(f"spans inside one clause: {inside}/{total} = {share:.4f}   (target >= 0.98)")
    print(f"median clause length (own text): {statistics.median(own_lengths):.0f} chars   (target <= 1,200)")
    print(f"clauses: {len(own_lengths)}; pages: {pages}; ingestion + segmentation: {seconds:.2f} s = "
          f"{pages / seconds:.0f} pages/s (target >= 100)")
    if misses_file:
        misses_file.write_text("\n".join(misses), encoding="utf-8")
    return 0 if share >= 0.98 and not failed else 1


def jpo(data: Path) -> int:
    """Article bodies kept as contract text; commentary paragraphs not taken as contract text."""
    folder = data / "jpo_model_contracts"
    article = re.compile(r"^第[0-9０-９一二三四五六七八九十]+条[\s　]")
    marker = re.compile(r"^(＜ポイント＞|＜解説＞|【コラム】|【追加オプション条項)")
    bodies = bodies_ok = comm = comm_wrong = 0
    for path in sorted(folder.glob("*.docx")):
        doc = segment(read_document(path))
        contract_text = norm("".join(c.number + c.heading + c.text for c in doc.clauses if c.kind != "commentary"))
        commentary_text = norm("".join(c.number + c.heading + c.text for c in doc.clauses if c.kind == "commentary"))
        # Ground truth from the file itself: a marker opens commentary, a Word heading closes it.
        in_comm = False
        for block in doc.source.blocks:
            text = block.text.strip()
            if block.heading_level:
                in_comm = False
            if marker.match(text):
                in_comm = True
            if text.startswith("本契約締結の証として"):
                in_comm = False
            m = article.match(text)
            key = norm(text[m.end():] if m else block.label + text)[:60]
            if not key:
                continue
            if m and not in_comm:
                bodies += 1
                bodies_ok += key in contract_text
            elif in_comm and not marker.match(text):
                comm += 1
                comm_wrong += key not in commentary_text
    print(f"JPO article bodies outside commentary: {bodies_ok}/{bodies} = {bodies_ok / max(bodies, 1):.3f}"
          f"   (target >= 0.95)")
    print(f"JPO commentary paragraphs taken as contract text: {comm_wrong}/{comm} = {comm_wrong / max(comm, 1):.3f}"
          f"   (target <= 0.10)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="only the first N CUAD PDFs")
    parser.add_argument("--misses", type=Path, default=None, help="write the spans not held to this file")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"{args.data}: not found (the shared data folder)", file=sys.stderr)
        return 2
    status = cuad(args.data, args.limit, args.misses)
    jpo(args.data)
    return status


if __name__ == "__main__":
    raise SystemExit(main())

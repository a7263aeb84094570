"""Property-based tests: segmentation and every report writer on arbitrary text, Japanese, markup, control
characters and lone surrogates included. Example counts stay modest so that the suite stays fast."""

from __future__ import annotations

import copy
import html.parser
import io
import json
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import docx
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.jobs import REPORT_FORMATS, render
from reviewer.model import Block, RawDocument
from reviewer.segment import segment

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.function_scoped_fixture])

# Pieces contracts are made of, and pieces that break things, mixed with arbitrary characters (surrogates too).
PIECES = ["1.", "1.1", "(a)", "(i)", "ARTICLE I", "Section 2.3", "第1条", "（目的）", "２", "①", "（1）", "一", "別紙",
          "＜解説＞", "Schedule A", "IN WITNESS WHEREOF", "Licensor", "甲は、乙に対し", "shall", ".", "。", " ", "\u3000",
          "\n", "\t", "\x00", "\x0b", "\x1b", "\x85", "\u202e", "\ufeff", "\ud800", "\udfff", "<script>", "{{ 7*7 }}",
          "{% raw %}", "&amp;", "]]>", "```", "[x](javascript:alert(1))", "\"", "'", "ﾗｲｾﾝｽ", "𠮷", "🙂"]
ANY_CHAR = st.characters(exclude_categories=())  # every code point, lone surrogates included
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(ANY_CHAR, max_size=12)), max_size=14).map("".join)
BLOCKS = st.lists(st.builds(
    lambda text, page, label, heading, is_line, gap, bold, centered, table: Block(
        text=text, page=page, label=label, heading_level=heading, is_line=is_line, gap_before=gap, bold=bold,
        centered=centered, in_table=table),
    TEXT, st.one_of(st.none(), st.integers(1, 40)), st.sampled_from(["", "1.", "(a)", "第1条", "①", "Article 2"]),
    st.integers(0, 9), st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.booleans()), max_size=25)


def _letters(text: str) -> Counter:
    """Letters and digits, compared width- and compatibility-folded (labels are read in NFKC)."""
    return Counter(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


@SETTINGS
@given(blocks=BLOCKS, language=st.sampled_from([None, "en", "ja"]))
def test_segment_never_raises_and_loses_no_letter(blocks, language):
    raw = RawDocument(path="x.txt", sha256="0" * 64, format="txt", blocks=tuple(blocks))
    document = segment(raw, language)
    assert document.language in ("en", "ja")
    ids = [c.id for c in document.clauses]
    assert len(ids) == len(set(ids)) and all(c.parent is None or c.parent in ids for c in document.clauses)
    tree = "\n".join(f"{c.number} {c.heading} {c.text}" for c in document.clauses)
    # Every letter and digit of the text is somewhere in the tree (a blank block has none to keep) ...
    lost = _letters("\n".join(b.text for b in blocks if b.text.strip())) - _letters(tree)
    assert not lost, f"lost {dict(lost)}"
    # ... and the letters and digits of every Word number too, once: a body paragraph repeating its article's number
    # merges into it, and "1." is printed "1".
    labels = {b.label for b in blocks if b.text.strip() and b.label}
    assert not [label for label in labels if _letters(label) - _letters(tree)], labels


# --------------------------------------------------------------------------------------------------------------
# Report writers


@cache
def _base(name: str) -> str:
    from reviewer.pipeline import review
    from reviewer.report.json_report import dumps

    return dumps(review(EXAMPLES / name))


def _report(name: str) -> dict:
    return json.loads(_base(name))


def _fill(report: dict, texts: list[str]) -> dict:
    """The report with arbitrary text in every field a writer shows: clauses, findings, evidence, parties, notes."""
    report = copy.deepcopy(report)
    pick = iter(texts * (1 + 60 // max(1, len(texts))))

    def nxt() -> str:
        return next(pick, "")

    report["contract"]["title"] = nxt()
    report["contract"]["side_evidence"] = nxt()
    for party in report["contract"]["parties"]:
        party["name"], party["alias"] = nxt(), nxt()
    for clause in report["clauses"][:12]:
        clause["number"], clause["heading"] = nxt(), nxt()
        clause["text"] = nxt() + clause["text"] + nxt()
    for finding in report["findings"][:10]:
        for key in ("title", "message", "rationale", "suggestion"):
            finding[key] = nxt()
        for item in finding["evidence"]:
            item["text"] = nxt() or item["text"]
    report["warnings"] = [nxt(), nxt()]
    report["notes"] = [nxt()]
    return report


class _Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: Counter = Counter()
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.handlers += [name for name, value in attrs if name.startswith("on") or (value or "").startswith("javascript")]


def _elements(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


@SETTINGS
@given(texts=st.lists(TEXT, min_size=1, max_size=40),
       name=st.sampled_from(["technology_licence.docx", "jissi_kyodaku.pdf", "technology_licence.pdf"]))
def test_every_report_writer_takes_any_text(texts, name):
    report = _fill(_report(name), texts)
    source = EXAMPLES / name
    outputs = {fmt: render(report, fmt, Path(source), source.read_bytes()) for fmt in REPORT_FORMATS}
    for fmt in ("json", "html", "md"):
        assert not UNSAFE.search(outputs[fmt]), fmt
        outputs[fmt].encode("utf-8")
    parsed = json.loads(outputs["json"])
    assert len(parsed["findings"]) == len(report["findings"])
    elements = _elements(outputs["html"])
    assert not elements.handlers
    for tag in ("script", "img", "iframe", "object", "embed", "svg", "math", "base", "form"):
        assert not elements.tags[tag], tag
    for tag in ("html", "head", "body", "main", "style", "footer"):
        assert elements.tags[tag] == _baseline(name)[tag], tag  # "</body>" or "<style>" in the text opened nothing
    document = docx.Document(io.BytesIO(outputs["docx"]))
    written = [p.text for p in document.paragraphs] + [c.text for c in document.comments]
    assert document.paragraphs and not [t for t in written if UNSAFE.search(t) and t not in _original(name)]


@cache
def _baseline(name: str) -> Counter:
    """The elements of the example's own HTML report."""
    return _elements(render(_report(name), "html", EXAMPLES / name)).tags


@cache
def _original(name: str) -> frozenset[str]:
    """Paragraph texts of a Word example as they are (the Word report keeps them untouched)."""
    if not name.endswith(".docx"):
        return frozenset()
    return frozenset(p.text for p in docx.Document(str(EXAMPLES / name)).paragraphs)

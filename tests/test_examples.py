"""The bundled sample contracts against their answer keys in examples/README.md (every row, every file)."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from reviewer.pipeline import Options, review

README = (EXAMPLES / "README.md").read_text(encoding="utf-8")


def answer_key(heading: str) -> dict[str, str]:
    """protection -> expected status, from the first table after a heading of examples/README.md."""
    section = README[README.index(heading):]
    rows = {}
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"[a-z_]+", cells[0]) and cells[0] != "protection":
            rows[cells[0]] = cells[1].strip("*")
    assert rows, f"no answer key under {heading!r}"
    return rows


CASES = [
    ("technology_licence.docx", "### technology_licence", "licensor"),
    ("technology_licence.pdf", "### technology_licence", "licensor"),
    ("jissi_kyodaku.docx", "### jissi_kyodaku", "licensor"),
    ("jissi_kyodaku.pdf", "### jissi_kyodaku", "licensor"),
    ("tech_investment_agreement.md", "### Answer key\n\nReviewed side: the company", "company"),
    ("tech_investment_agreement_ja.md", "### Answer key\n\nReviewed side: the company", "company"),
]


@pytest.mark.parametrize("name, heading, side", CASES, ids=[c[0] for c in CASES])
def test_examples_match_their_answer_key(name, heading, side):
    expected = answer_key(heading)
    report = review(EXAMPLES / name, Options(side=side))
    found = {f["protection"]: f["status"] for f in report["findings"]}
    wrong = {p: (s, found.get(p)) for p, s in expected.items() if found.get(p) != s}
    assert not wrong, f"expected vs found: {wrong}"

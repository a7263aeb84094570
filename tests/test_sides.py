"""Parties' roles and the reviewed side, with the evidence the report gives."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, data_dir

from reviewer.pipeline import Options, analyse, read


def test_sides_jpo_licence_maps_kou_to_licensor():
    doc = read(data_dir("jpo_model_contracts") / "4_licence_new_material.docx")
    report = analyse(doc)
    roles = {p["alias"]: p["role"] for p in report["contract"]["parties"]}
    assert roles == {"甲": "licensor", "乙": "licensee"}
    assert report["contract"]["side"] == "licensor"
    assert "甲" in report["contract"]["side_evidence"]


def test_sides_override_and_report_language():
    doc = read(EXAMPLES / "technology_licence.docx")
    report = analyse(doc, Options(side="licensee", language="ja"))
    assert report["contract"]["side"] == "licensee"
    assert report["contract"]["side_evidence"].startswith("--side")
    assert report["report_language"] == "ja"
    english = analyse(doc)
    assert english["contract"]["side"] == "licensor"
    assert "Licensor" in english["contract"]["side_evidence"]


def test_sides_type_override():
    doc = read(EXAMPLES / "jissi_kyodaku.docx")
    report = analyse(doc, Options(contract_type="investment"))
    assert report["contract"]["type"] == "investment"
    assert report["contract"]["side"] == "company"


@pytest.mark.parametrize("text, expected", [
    ("Acme Corp hereby grants to the Licensee a licence.", ("Acme Corp", "Licensee")),
    ("The Licensor grants to Beta a right.", ("The Licensor", "Beta")),
    # the first "grants to" has no capitalised giver: the next one counts
    ("each party grants to the other a right. Licensor grants to Licensee a licence.", ("Licensor", "Licensee")),
    ("Nothing here grants to anyone anything.", None),
    ("no grant at all", None),
])
def test_sides_english_grant(text, expected):
    from reviewer.library.sides import _en_grant

    assert _en_grant(text) == expected

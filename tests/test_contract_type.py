"""Title finding and contract-type detection (reviewer.segment.contract_type), English and Japanese."""

from __future__ import annotations

import csv

import pytest
from conftest import data_dir

from reviewer.model import Clause
from reviewer.segment.contract_type import CONTRACT_TYPES, detect_contract_type, find_title


def _clause(text: str, kind: str = "clause", cid: str = "c1") -> Clause:
    """A clause built by hand."""
    return Clause(id=cid, number="", heading="", text=text, kind=kind, page=None, parent=None, level=0)


# --- title ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lines, language, expected", [
    (["Exhibit 10.1", "CONFIDENTIAL", "EXECUTION VERSION", "LICENSE AGREEMENT",
      'This License Agreement (the "Agreement") is made as of May 1, 2024 between ABC Corp. and XYZ Ltd.'],
     "en", "LICENSE AGREEMENT"),
    (["モデル契約書ver1.0", "ライセンス契約書（新素材）", "想定シーン"], "ja", "ライセンス契約書（新素材）"),
    (["モデル契約書 ver1.0", "技術検証（PoC）契約書（AI）"], "ja", "技術検証（PoC）契約書（AI）"),
    (["Exhibit 10.11   ***Certain portions of this exhibit have been omitted.   STRATEGIC ALLIANCE AGREEMENT     "
      'This Strategic Collaboration Agreement ("Agreement") is entered into'], "en", "STRATEGIC ALLIANCE AGREEMENT"),
    (["REDACTED COPY", "CONFIDENTIAL TREATMENT REQUESTED", "1", "ENDORSEMENT AGREEMENT"], "en",
     "ENDORSEMENT AGREEMENT"),
    (["TABLE OF CONTENTS", "1. LICENSE GRANT", "Series Seed Preferred Stock Investment Agreement"], "en",
     "Series Seed Preferred Stock Investment Agreement"),
    (['This Technology Transfer Agreement ("Agreement") is made between A Inc. and B Ltd.'], "en",
     "Technology Transfer Agreement"),  # no title line: the preamble names the agreement
    (["株式会社甲と株式会社乙は、次のとおり秘密保持契約（以下「本契約」という。）を締結する。"], "ja", "秘密保持契約"),
    (["Nothing here", "at all"], "en", ""),
    ([], "en", ""),
])  # fmt: skip
def test_find_title(lines, language, expected):
    assert find_title(lines, language) == expected


def test_find_title_looks_at_the_first_15_lines_only():
    lines = [f"Cover line {i}" for i in range(20)] + ["LICENSE AGREEMENT"]
    assert find_title(lines, "en") == ""


# --- type from the title ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("title, expected", [
    ("LICENSE AGREEMENT", "licence"),
    ("Technology Transfer Agreement", "licence"),
    ("Exclusive Patent and Know-How Licence Agreement", "licence"),
    ("ライセンス契約書（新素材）", "licence"),
    ("特許及びノウハウ実施許諾契約書", "licence"),
    ("秘密保持契約書", "nda"),
    ("MUTUAL NON-DISCLOSURE AGREEMENT", "nda"),
    ("共同研究開発契約書（AI）", "joint_development"),
    ("Joint Development Agreement", "joint_development"),
    ("Share Subscription Agreement", "investment"),
    ("Series Seed Preferred Stock Investment Agreement", "investment"),
    ("投資契約書", "investment"),
    ("株式引受契約", "investment"),
    ("Supply Agreement", "supply"),
    ("売買基本契約書", "supply"),
    ("Distribution Agreement", "supply"),
    ("業務委託契約書", "services"),
    ("Master Services Agreement", "services"),
    ("Hosting Agreement", "services"),
    ("利用契約書（AI）", "services"),
    ("技術検証（PoC）契約書（新素材）", "services"),
    ("ENDORSEMENT AGREEMENT", "other"),
])  # fmt: skip
def test_type_from_title(title, expected):
    kind, evidence = detect_contract_type(title, [], "ja" if not title.isascii() else "en")
    assert kind == expected
    assert f'title "{title}"' in evidence


def test_poc_evidence_says_why_services():
    kind, evidence = detect_contract_type("技術検証（PoC）契約書", [], "ja")
    assert kind == "services" and "proof-of-concept" in evidence


def test_manufacturing_with_licensed_know_how_is_a_licence():
    plain = [_clause("The Manufacturer shall manufacture and deliver the Products against purchase orders.")]
    licensed = [_clause("Company hereby grants to Manufacturer a non-exclusive license under the Know-How to "
                        "manufacture the Products.")]
    assert detect_contract_type("Manufacturing Agreement", plain, "en")[0] == "supply"
    kind, evidence = detect_contract_type("Manufacturing Agreement", licensed, "en")
    assert kind == "licence" and "grants to Manufacturer a non-exclusive license" in evidence


def test_strategic_alliance_is_investment_only_with_equity():
    equity = [_clause("At the Closing, Investor shall purchase 1,000,000 shares of Series A Preferred Stock.")]
    plain = [_clause("The parties shall cooperate in marketing each other's products.")]
    assert detect_contract_type("Strategic Alliance Agreement", equity, "en")[0] == "investment"
    assert detect_contract_type("Strategic Alliance Agreement", plain, "en")[0] == "other"


# --- type from the text -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("texts, expected", [
    (["Licensor hereby grants to Licensee an exclusive license under the Licensed Patents.",
      "Licensee shall pay Licensor royalties of 5% of Net Sales.", "Royalties are due quarterly.",
      "Royalty reports shall be delivered within 30 days."], "licence"),
    (["Each Purchaser shall purchase at the Closing the shares of Series A Preferred Stock at the purchase price "
      "per share set out in Schedule 1.", "The Closing shall take place on the Closing Date.",
      "The Company shall issue the shares of Preferred Stock to the investors."], "investment"),
    (["甲は、乙に対し、本特許権の通常実施権を許諾する。", "乙は、甲に対し、ロイヤルティを支払う。",
      "ロイヤルティの算定は正味販売額に基づく。", "実施許諾の範囲は本地域とする。"], "licence"),
    (["The parties will meet for lunch."], "other"),
])  # fmt: skip
def test_type_from_keywords(texts, expected):
    clauses = [_clause(t, cid=f"c{i}") for i, t in enumerate(texts)]
    kind, evidence = detect_contract_type("", clauses, "en")
    assert kind == expected
    assert evidence


def test_preamble_names_the_type_when_no_title():
    clauses = [_clause('This Non-Disclosure Agreement (the "Agreement") is entered into by A Inc. and B LLC.',
                       kind="preamble")]
    kind, evidence = detect_contract_type("", clauses, "en")
    assert kind == "nda" and "Non-Disclosure Agreement" in evidence


def test_every_answer_is_a_spec_type():
    for title in ("", "LICENSE AGREEMENT", "Random Memo", "覚書"):
        assert detect_contract_type(title, [], "en")[0] in CONTRACT_TYPES


# --- real data --------------------------------------------------------------------------------------------------------

# CUAD folders whose kind maps clearly onto SPEC §5 types. "Development" is left out: a development agreement may be
# joint development or development as a service; "Manufacturing" too (supply or licence by SPEC).
CUAD_TYPES = {
    "License_Agreements": "licence", "IP": "licence", "Supply": "supply", "Distributor": "supply",
    "Reseller": "supply", "Service": "services", "Maintenance": "services", "Hosting": "services",
    "Outsourcing": "services", "Consulting Agreements": "services", "Collaboration": "joint_development",
}  # fmt: skip
CUAD_SAMPLE = 30
MIN_TYPE_AGREEMENT = 0.7  # measured 10/12 on this sample; 121/147 (82%) on all mapped CUAD files
MIN_TITLE_MATCH = 0.8  # measured 28/30 on this sample, 287/309 (93%) over all


def test_cuad_titles_and_types():
    txt = data_dir("cuad", "txt")
    labels = data_dir("cuad", "labels.csv")
    with labels.open(encoding="utf-8", newline="") as handle:
        rows = {row["Filename"]: row for row in csv.DictReader(handle)}
    files = sorted(txt.glob("*.txt"))[::10][:CUAD_SAMPLE]
    titles = agree = mapped = 0
    for path in files:
        row = rows[path.stem]
        text = path.read_text(encoding="utf-8", errors="replace")
        title = find_title(text[:6000].splitlines(), "en")
        gold = " ".join(row["Document Name-Answer"].split()).casefold()
        titles += bool(title) and (title.casefold() in gold or gold in title.casefold())
        expected = CUAD_TYPES.get(row["Type"])
        if expected:
            mapped += 1
            agree += detect_contract_type(title, [Clause("c1", "", "", text[:30_000], "clause", None, None, 0)],
                                          "en")[0] == expected
    assert titles / len(files) >= MIN_TITLE_MATCH, f"titles {titles}/{len(files)}"
    assert mapped >= 10
    assert agree / mapped >= MIN_TYPE_AGREEMENT, f"types {agree}/{mapped}"


@pytest.mark.parametrize("name, title, kind", [
    ("1_nda_new_material.docx", "秘密保持契約書（新素材）", "nda"),
    ("2_poc_new_material.docx", "技術検証（PoC）契約書（新素材）", "services"),
    ("3_joint_development_new_material.docx", "共同研究開発契約書（新素材）", "joint_development"),
    ("4_licence_new_material.docx", "ライセンス契約書（新素材）", "licence"),
    ("8_usage_ai.docx", "利用契約書（AI）", "services"),
])  # fmt: skip
def test_jpo_model_contract_titles_and_types(name, title, kind):
    docx = pytest.importorskip("docx")
    path = data_dir("jpo_model_contracts", name)
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]
    found = find_title(paragraphs[:40], "ja")
    assert found == title
    clauses = [_clause(t, cid=f"c{i}") for i, t in enumerate(paragraphs)]
    assert detect_contract_type(found, clauses, "ja")[0] == kind


def test_series_next_investment_agreement():
    path = data_dir("investment", "series_next_investment_agreement.md")
    lines = path.read_text(encoding="utf-8").splitlines()
    title = find_title(lines, "en")
    assert title == "Series Next Preferred Stock Investment Agreement"
    assert detect_contract_type(title, [], "en")[0] == "investment"


def test_type_evidence_in_the_report_language():
    kind, evidence = detect_contract_type("特許及びノウハウ実施許諾契約書", [], "ja", "ja")
    assert kind == "licence" and evidence == "表題「特許及びノウハウ実施許諾契約書」: ライセンス・技術移転契約"
    kind, evidence = detect_contract_type("LICENSE AGREEMENT", [], "en", "ja")
    assert kind == "licence" and evidence.startswith("表題「LICENSE AGREEMENT」")
    clauses = [_clause("Licensor grants to Licensee a license to use the Software. Licensee shall pay royalties. "
                       "The royalty is due quarterly. Licensor grants Licensee a licence to copy the manuals.")]
    kind, evidence = detect_contract_type("", clauses, "en", "ja")
    assert kind == "licence" and evidence.startswith("キーワード「") and "ライセンスの得点" in evidence
    kind, evidence = detect_contract_type("", clauses, "en")
    assert evidence.startswith('keywords: "')

"""Value extractors: periods, amounts, percentages, places, parties — English and Japanese."""

from __future__ import annotations

import pytest

from reviewer.library.values import amount, duration_years, party, percentage, perpetual, territory
from reviewer.model import Document, Party, RawDocument


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("shall survive for a period of five (5) years after termination", 5),
        ("for three years following the expiration of this Agreement", 3),
        ("for thirty-six (36) months after the Effective Date", 3),
        ("during the Term and for 24 months thereafter", 2),
        ("本契約終了後5年間存続する", 5),
        ("本契約の終了後も３年間は有効に存続する", 3),
        ("契約終了後六か月間", 0.5),
        ("without any time limit", None),
    ],
)
def test_values_duration_years(text, years):
    assert duration_years(text) == years


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a minimum annual royalty of US$100,000", 100000),
        ("not less than $2.5 million per Contract Year", 2500000),
        ("最低実施料として金1,000万円を支払う", 10000000),
        ("一時金として金500万円（外税）", 5000000),
        ("no amount is stated here", None),
    ],
)
def test_values_amount(text, value):
    assert amount(text) == value


def test_values_percentage_and_perpetual():
    assert percentage("a royalty of five percent (5%) of Net Sales") == 5.0
    assert percentage("正味販売価格の３％") == 3.0
    assert perpetual("a perpetual, irrevocable, worldwide licence") is True
    assert perpetual("本契約の有効期間は無期限とする") is True
    assert perpetual("a licence for the Term") is None


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("governed by the laws of the State of New York, without regard to conflicts", "New York"),
        ("construed under the laws of Japan.", "Japan"),
        ("to manufacture the Products in the Kingdom of Thailand", "Kingdom of Thailand"),
        ("a worldwide, non-exclusive licence", "worldwide"),
        ("本契約は日本法に準拠する", "日本"),
    ],
)
def test_values_territory(text, place):
    assert territory(text) == place


def _doc(parties):
    raw = RawDocument(path="t", sha256="0", format="txt", blocks=())
    return Document(source=raw, language="en", clauses=(), parties=tuple(parties))


def test_values_party_from_aliases_and_roles():
    doc = _doc([Party("Alpha K.K.", "Licensor", "licensor"), Party("Beta Ltd.", "Licensee", "licensee")])
    assert party("Licensee may terminate this Agreement at any time on ninety days' notice.", doc) == "licensee"
    assert party("All Improvements made by Licensor shall belong to Licensor.", doc) == "licensor"
    ja = _doc([Party("X社", "甲", "licensor"), Party("Y社", "乙", "licensee")])
    assert party("乙は、甲に対し、3か月前に書面で通知することにより、本契約を解約することができる。", ja) == "licensee"
    assert party("The parties agree as follows.", doc) is None

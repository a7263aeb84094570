"""The clause library: every rule file valid, every example of every rule run, the judge and playbooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewer.library import LibraryError, load_library, read_rule
from reviewer.library.checks import check_protection, check_provision, coverage_problems
from reviewer.library.judge import Context, holds
from reviewer.resources import resource_dir

LIBRARY = load_library()
RULES = LIBRARY.all()


def test_library_loads_and_has_rules():
    assert LIBRARY.provisions, "no provision rules"
    assert all(rule.path.stem == rule.id for rule in RULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_library_rule_has_examples_in_every_language(rule):
    assert coverage_problems(rule) == []


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_library_rule_examples(rule):
    results = check_provision(rule, LIBRARY) if rule.kind == "provision" else check_protection(rule, LIBRARY)
    failed = [f"[{r.language} {r.label}] {r.detail}: {r.text[:100]}" for r in results if r.counts and not r.ok]
    assert results and not failed, "\n".join(failed)


def test_library_rule_without_enough_examples_is_refused(tmp_path):
    source = next(r for r in RULES if r.kind == "provision").path
    text = source.read_text(encoding="utf-8")
    broken = tmp_path / source.name
    # Keep only the first positive example of each language: the schema wants three.
    import yaml

    data = yaml.safe_load(text)
    for lang in data["examples"]:
        data["examples"][lang]["positive"] = data["examples"][lang]["positive"][:1]
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LibraryError, match="positive"):
        read_rule(broken)


def test_library_id_must_match_file_name(tmp_path):
    source = RULES[0].path
    wrong = tmp_path / "another_name.yaml"
    shutil.copy(source, wrong)
    with pytest.raises(LibraryError, match="differs from the file name"):
        read_rule(wrong)


def test_library_bad_yaml_is_one_line_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(LibraryError) as info:
        read_rule(bad)
    assert "\n" not in str(info.value) and "not valid YAML" in str(info.value)


def test_library_playbook_overrides_and_adds(tmp_path):
    import yaml

    playbook = tmp_path / "playbook"
    playbook.mkdir()
    provision = yaml.safe_load(RULES[0].path.read_text(encoding="utf-8"))
    provision["title"] = {"en": "Our own title", "ja": "独自の題名"}
    (playbook / f"{provision['id']}.yaml").write_text(yaml.safe_dump(provision, allow_unicode=True), encoding="utf-8")
    library = load_library((playbook,))
    assert library.get(provision["id"]).text("title", "en") == "Our own title"
    assert load_library().get(provision["id"]).text("title", "en") != "Our own title"


def test_library_conditions():
    class FakeHit:
        def __init__(self, values):
            self.values = values

    ctx = Context({"confidentiality": [FakeHit({})], "confidentiality_survival": [FakeHit({"years": 3})],
                   "termination_for_convenience": [FakeHit({"party": "licensee"})]}, "licence", "licensor")
    assert holds({"provision": "confidentiality"}, ctx)
    assert not holds({"provision": "residuals"}, ctx)
    assert holds({"value": {"confidentiality_survival.years": {"lt": 5}}}, ctx)
    assert not holds({"value": {"confidentiality_survival.years": {"gte": 5}}}, ctx)
    assert holds({"value": {"termination_for_convenience.party": {"eq": "other"}}}, ctx)
    assert not holds({"value": {"termination_for_convenience.party": {"eq": "reviewed"}}}, ctx)
    assert holds({"all": [{"provision": "confidentiality"}, {"not": {"provision": "residuals"}}]}, ctx)
    assert holds({"any": [{"provision": "residuals"}, {"type": ["licence"]}]}, ctx)
    assert not holds({"side": ["company"]}, ctx)


def test_library_schemas_are_installed_with_the_package():
    folder = resource_dir("clause_library")
    assert (folder / "schema" / "provision.schema.json").is_file()
    assert (folder / "schema" / "protection.schema.json").is_file()
    assert Path(folder / "FORMAT.md").is_file()


def test_library_docs_pages_are_current():
    from reviewer.library.docs import pages

    folder = Path(__file__).resolve().parents[1] / "docs" / "rules"
    wanted = pages(LIBRARY)
    stale = [name for name, text in wanted.items()
             if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]
    extra = sorted({p.name for p in folder.glob("*.md")} - set(wanted))
    assert not stale and not extra, (f"docs/rules is stale ({len(stale)} pages differ, extra: {extra}): "
                                     "run python -m reviewer.library.docs")


def test_library_spacy_phrase_and_token_patterns_match(tmp_path):
    """Rules may use spaCy PhraseMatcher and Matcher patterns (FORMAT.md); the engine loads spaCy for them."""
    import yaml

    from reviewer.library.engine import detect_text

    data = yaml.safe_load((resource_dir("clause_library") / "provisions" / "residuals.yaml").read_text(encoding="utf-8"))
    data["match"]["en"]["patterns"] = [
        {"phrase": "keep in their heads"},
        {"tokens": [{"LOWER": {"IN": ["remember", "remembers"]}}, {"OP": "{0,8}"}, {"LOWER": "freely"}]},
    ]
    data["match"]["en"]["exclude"] = [{"phrase": "heads of terms"}]
    data["match"]["ja"]["patterns"] = [{"phrase": "頭の中"}]
    data["match"]["ja"]["exclude"] = []
    playbook = tmp_path / "playbook"
    playbook.mkdir()
    (playbook / "residuals.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    library = load_library((playbook,))
    hit = "Its engineers may use whatever they keep in their heads after the project."
    assert detect_text(hit, library, "en", "residuals")
    assert detect_text("Staff who remember the design from memory may use it freely.", library, "en", "residuals")
    assert not detect_text("The heads of terms keep in their heads nothing binding.", library, "en", "residuals")
    assert not detect_text("The residual value of the Equipment is agreed.", library, "en", "residuals")
    assert detect_text("乙の従業員が頭の中に記憶した情報は自由に使用できる。", library, "ja", "residuals")
    assert not detect_text("乙は本情報を第三者に開示してはならない。", library, "ja", "residuals")

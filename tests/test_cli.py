"""The command line end to end on the bundled examples and on bad input, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES

EXAMPLE_FILES = ["technology_licence.docx", "technology_licence.pdf", "jissi_kyodaku.docx", "jissi_kyodaku.pdf"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m reviewer ARGS`` in a fresh process."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "reviewer", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def test_cli_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("reviewer ")


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_cli_reviews_bundled_example(name, tmp_path):
    result = run("review", str(EXAMPLES / name), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / (Path(name).stem + ".json")).read_text(encoding="utf-8"))
    assert report["schema_version"] == 1
    assert report["source"]["format"] == Path(name).suffix[1:]
    language = "ja" if name.startswith("jissi") else "en"
    assert report["source"]["language"] == language
    assert report["contract"]["type"] == "licence"
    by_id = {c["id"]: c for c in report["clauses"]}
    for provision in report["provisions"]:
        for evidence in provision["evidence"]:
            assert evidence["text"] in by_id[evidence["clause_id"]]["text"]
    assert "governing_law" in {p["id"] for p in report["provisions"]}
    clauses = report["clauses"]
    ids = {c["id"] for c in clauses}
    assert all(c["parent"] is None or c["parent"] in ids for c in clauses)
    numbers = [c["number"] for c in clauses if c["kind"] == "clause"]
    if language == "en":
        assert "ARTICLE 1" in numbers or "1" in numbers
        assert "1.1" in numbers and "(a)" in numbers
        assert any(c["kind"] == "signature" for c in clauses)
        assert any(c["kind"] == "schedule" for c in clauses)
        roles = {p["alias"]: p["role"] for p in report["contract"]["parties"]}
        assert roles.get("Licensor") == "licensor" and roles.get("Licensee") == "licensee"
    else:
        assert "第1条" in numbers and "第16条" in numbers
        assert {p["alias"] for p in report["contract"]["parties"]} >= {"甲", "乙"}
    text = "\n".join(c["text"] for c in clauses)
    assert "CONFIDENTIAL – Draft for discussion" not in text and "協議用ドラフト" not in text  # running header


def test_cli_pdf_and_docx_of_same_contract_agree(tmp_path):
    run("review", str(EXAMPLES / "technology_licence.docx"), str(EXAMPLES / "technology_licence.pdf"),
        "--out", str(tmp_path))
    reports = sorted(tmp_path.glob("*.json"))
    assert len(reports) == 2  # the second has a distinct name, nothing overwritten
    docx, pdf = (json.loads(p.read_text(encoding="utf-8")) for p in reports)
    numbers = [{c["number"] for c in r["clauses"] if c["kind"] == "clause" and c["number"]} for r in (docx, pdf)]
    shared = numbers[0] & numbers[1]
    assert len(shared) >= 0.8 * max(len(numbers[0]), len(numbers[1]))


def test_cli_stdout_for_one_file():
    result = run("review", str(EXAMPLES / "jissi_kyodaku.docx"))
    assert result.returncode == 0
    assert json.loads(result.stdout)["source"]["language"] == "ja"


def test_cli_bad_files_get_one_line_each_and_batch_goes_on(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    missing = tmp_path / "missing.docx"
    out = tmp_path / "out"
    result = run("review", str(empty), str(legacy), str(missing), str(EXAMPLES / "jissi_kyodaku.pdf"),
                 "--out", str(out))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 3, result.stderr
    assert all(line.startswith("reviewer: ") for line in lines)
    assert "Traceback" not in result.stderr
    assert "empty" in lines[0] and "missing.docx" in lines[2]
    assert (out / "jissi_kyodaku.json").exists()


def test_cli_several_files_need_out():
    result = run("review", str(EXAMPLES / "jissi_kyodaku.pdf"), str(EXAMPLES / "jissi_kyodaku.docx"))
    assert result.returncode == 2
    assert "--out" in result.stderr


def test_cli_unknown_option_is_exit_2():
    result = run("review", "--format", "nonsense", str(EXAMPLES / "jissi_kyodaku.pdf"))
    assert result.returncode == 2


def test_cli_reports_validate_against_schema(tmp_path):
    import jsonschema
    from conftest import REPO

    schema = json.loads((REPO / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    result = run("review", *(str(EXAMPLES / name) for name in EXAMPLE_FILES), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for path in tmp_path.glob("*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(report, schema)
        ids = [c["id"] for c in report["clauses"]]
        assert len(ids) == len(set(ids))
        for evidence in (e for p in report["provisions"] for e in p["evidence"]):
            clause = next(c for c in report["clauses"] if c["id"] == evidence["clause_id"])
            assert evidence["text"] in clause["text"]


def test_cli_debug_shows_the_traceback_and_survives_running_out_of_memory(tmp_path, monkeypatch, capsys):
    """--debug reviews in this process: an unexpected error is raised with its traceback, not told in one line;
    running out of memory (no worker to replace) is one line for that file, and the next file is reviewed."""
    import reviewer.pipeline
    from reviewer.cli import main

    review = reviewer.pipeline.review
    first = tmp_path / "first.md"
    first.write_text((EXAMPLES / "tech_investment_agreement.md").read_text(encoding="utf-8"), encoding="utf-8")

    def failing(path, *args, **kwargs):
        if Path(path).name == "first.md":
            raise failure
        return review(path, *args, **kwargs)

    monkeypatch.setattr(reviewer.pipeline, "review", failing)
    failure = KeyError("a bug")
    with pytest.raises(KeyError, match="a bug"):
        main(["review", str(first), str(EXAMPLES / "tech_investment_agreement.md"), "--out", str(tmp_path / "a"), "--debug"])
    failure = MemoryError()
    capsys.readouterr()
    status = main(["review", str(first), str(EXAMPLES / "tech_investment_agreement.md"), "--out", str(tmp_path / "b"),
                   "--debug"])
    assert status == 2
    assert capsys.readouterr().err.splitlines()[0] == f"reviewer: {first}: ran out of memory"
    assert (tmp_path / "b" / "tech_investment_agreement.json").is_file()

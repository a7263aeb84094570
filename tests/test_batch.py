"""``reviewer batch``: folders, duplicates, resume, bad files, limits, exit statuses, Ctrl-C and the Dask cluster.

Most runs call the command line in this process (the worker fork server then starts once for the file);
Ctrl-C is tested on a real ``reviewer batch`` subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, REPO, data_dir

from reviewer import __version__, batch
from reviewer.cli import main

LICENCE_PDF = EXAMPLES / "technology_licence.pdf"
LICENCE_DOCX = EXAMPLES / "technology_licence.docx"
JA_PDF = EXAMPLES / "jissi_kyodaku.pdf"
INVESTMENT_MD = EXAMPLES / "tech_investment_agreement.md"
INVESTMENT_JA_MD = EXAMPLES / "tech_investment_agreement_ja.md"


def run_batch(capsys, *args: str) -> tuple[int, list[str]]:
    """``reviewer batch ARGS`` in this process: the exit status and the lines on standard error."""
    capsys.readouterr()
    status = main(["batch", *args])
    return status, [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def summary(out: Path) -> list[dict]:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def by_file(rows: list[dict]) -> dict[str, dict]:
    return {Path(r["file"]).as_posix(): r for r in rows}


def variant(source: Path, target: Path, n: int) -> Path:
    """A copy of a PDF with a different sha256 (a comment after %%EOF), so that it is not a duplicate."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes() + f"\n% copy {n}\n".encode())
    return target


def bad_files(folder: Path) -> dict[str, Path]:
    """Files that cannot be reviewed: empty, random bytes, a legacy .doc, a truncated PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"empty": folder / "empty.pdf", "random": folder / "random.pdf", "doc": folder / "old.doc",
             "truncated": folder / "truncated.pdf"}
    files["empty"].write_bytes(b"")
    files["random"].write_bytes(os.urandom(4096))
    files["doc"].write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024)
    files["truncated"].write_bytes(LICENCE_PDF.read_bytes()[:2000])
    return files


def test_folders_are_walked_mirrored_and_duplicates_reviewed_once(tmp_path, capsys):
    root = tmp_path / "contracts"
    for relative, source in {"a/x.pdf": LICENCE_PDF, "b/x.md": INVESTMENT_JA_MD, "b/copy of x.PDF": LICENCE_PDF,
                             "c/d/deal.md": INVESTMENT_MD, "UPPER.DOCX": LICENCE_DOCX,
                             ".hidden/secret.pdf": LICENCE_PDF, ".dot.pdf": JA_PDF, "~$UPPER.docx": LICENCE_DOCX,
                             "notes.xyz": INVESTMENT_MD}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / relative)
    out = root / "out"  # inside the input folder: never walked
    (root / "out" / "stale.pdf").parent.mkdir(parents=True)
    shutil.copyfile(LICENCE_PDF, out / "stale.pdf")
    single = tmp_path / "single" / "summary.md"  # a named file goes to the top; summary.* is the batch's
    single.parent.mkdir()
    single.write_bytes(INVESTMENT_MD.read_bytes() + b"\n")

    status, err = run_batch(capsys, str(root), str(single), str(root / "a" / "x.pdf"), "--out", str(out), "--jobs", "2")
    assert status == 0, err
    rows = summary(out)
    files = [Path(r["file"]).relative_to(tmp_path).as_posix() for r in rows]
    assert files == ["contracts/UPPER.DOCX", "contracts/a/x.pdf", "contracts/b/copy of x.PDF", "contracts/b/x.md",
                     "contracts/c/d/deal.md", "single/summary.md", "contracts/a/x.pdf"]
    assert all(r["status"] == "ok" for r in rows)
    original, copy, again = rows[1], rows[2], rows[6]
    for duplicate in (copy, again):
        assert duplicate["duplicate_of"] == original["file"]
        assert duplicate["findings"] == original["findings"] and duplicate["counts"] == original["counts"]
        assert duplicate["report_html"] == "a/x.html"
    assert not list(out.glob("b/copy*")) and original["duplicate_of"] is None
    for relative in ("UPPER", "a/x", "b/x", "c/d/deal", "summary-2"):
        for ext in ("json", "html", "md", "docx"):
            assert (out / f"{relative}.{ext}").is_file(), f"{relative}.{ext}"
    assert by_file(rows)[single.as_posix()]["reports"]["json"] == "summary-2.json"
    assert json.loads((out / "b" / "x.json").read_text(encoding="utf-8"))["source"]["language"] == "ja"
    assert {r["report_html"] for r in rows} == {"UPPER.html", "a/x.html", "b/x.html", "c/d/deal.html", "summary-2.html"}
    for name in ("summary.json", "summary.csv", "summary.xlsx", "portfolio.html"):
        assert (out / name).is_file()
    assert "stale" not in (out / "summary.csv").read_text(encoding="utf-8")
    assert all(isinstance(r["peak_mb"], int) for r in rows)


def test_bad_files_get_their_one_line_error_and_the_batch_goes_on(tmp_path, capsys):
    bad = bad_files(tmp_path / "in")
    shutil.copyfile(INVESTMENT_MD, tmp_path / "in" / "good.md")
    missing = tmp_path / "missing.docx"
    out = tmp_path / "out"
    status, err = run_batch(capsys, str(tmp_path / "in"), str(missing), "--out", str(out), "--format", "json")
    assert status == 2
    rows = by_file(summary(out))
    assert rows[(tmp_path / "in" / "good.md").as_posix()]["status"] == "ok"
    for path in [*bad.values(), missing]:
        row = rows[path.as_posix()]
        assert row["status"] == "error" and row["error"].startswith(f"{path}: ")
        assert "\n" not in row["error"] and "Traceback" not in row["error"]
    assert "legacy" in rows[bad["doc"].as_posix()]["error"].lower() or ".doc" in rows[bad["doc"].as_posix()]["error"]
    assert len(err) == 5 and all(line.startswith("reviewer: ") for line in err), err
    assert (out / "good.json").is_file()


def test_time_limit_gives_each_contract_its_error(tmp_path, capsys):
    out = tmp_path / "out"
    status, err = run_batch(capsys, str(INVESTMENT_MD), str(INVESTMENT_JA_MD), "--out", str(out), "--format", "json",
                            "--time-limit", "0.001", "--jobs", "1")
    assert status == 2
    rows = summary(out)
    assert [r["status"] for r in rows] == ["error", "error"]
    assert all("time limit of 0.001 s" in r["error"] for r in rows)
    assert len(err) == 2


def test_resume_skips_up_to_date_reports_and_force_redoes_them(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copyfile(LICENCE_DOCX, inputs / "licence.docx")
    shutil.copyfile(INVESTMENT_MD, inputs / "investment.md")
    out = tmp_path / "out"
    args = (str(inputs), "--out", str(out), "--format", "html", "--fail-on", "high")
    status, err = run_batch(capsys, *args)
    assert status == 1, err  # the sample licence has high-severity gaps
    first = summary(out)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.*")}

    status, _ = run_batch(capsys, *args)  # nothing changed: nothing reviewed, same summary, same exit status
    assert status == 1
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json") if p.name != "summary.json"} == \
           {k: v for k, v in stamps.items() if k.endswith(".json") and k != "summary.json"}
    again = summary(out)
    for before, after in zip(first, again, strict=True):
        for key in ("file", "status", "type", "language", "counts", "findings", "report_html", "sha256", "seconds"):
            assert before[key] == after[key], key

    future = time.time() + 5
    os.utime(inputs / "investment.md", (future, future))  # edited since its report: reviewed again
    run_batch(capsys, *args)
    assert (out / "investment.json").stat().st_mtime_ns > stamps["investment.json"]
    assert (out / "licence.json").stat().st_mtime_ns == stamps["licence.json"]

    (out / "licence.html").unlink()  # a report missing: reviewed again
    run_batch(capsys, *args)
    assert (out / "licence.json").stat().st_mtime_ns > stamps["licence.json"]

    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    run_batch(capsys, *args, "--lang", "ja")  # another report language: not the same reports
    assert all((out / name).stat().st_mtime_ns > stamp for name, stamp in stamps.items())

    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    status, _ = run_batch(capsys, *args, "--lang", "ja", "--force")
    assert status == 1
    assert all((out / name).stat().st_mtime_ns > stamp for name, stamp in stamps.items())


def test_resume_notices_changed_rules(tmp_path, capsys):
    """Reports made with other rules (an edited playbook, another playbook, another version) are not reused."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copyfile(INVESTMENT_MD, inputs / "investment.md")
    out = tmp_path / "out"
    playbook = tmp_path / "playbook"
    (playbook / "protections").mkdir(parents=True)
    rule = yaml.safe_load((REPO / "clause_library" / "protections" / "confidentiality.yaml").read_text(encoding="utf-8"))
    rule_file = playbook / "protections" / "confidentiality.yaml"

    def run(*extra: str) -> int:
        before = (out / "investment.json").stat().st_mtime_ns if (out / "investment.json").exists() else 0
        run_batch(capsys, str(inputs), "--out", str(out), "--format", "json", *extra)
        return (out / "investment.json").stat().st_mtime_ns > before  # reviewed (again)

    assert run()
    made = json.loads((out / "investment.json").read_text(encoding="utf-8"))["reviewer"]
    assert made["version"] == __version__ and re.fullmatch(r"[0-9a-f]{16}", made["rules"])
    assert not run()  # nothing changed
    rule["title"] = {"en": "Our confidentiality", "ja": "当社の秘密保持"}
    rule_file.write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    assert run("--playbook", str(playbook))  # a playbook now: other rules
    assert not run("--playbook", str(playbook))
    rule["title"]["en"] = "Our confidentiality (2026)"
    rule_file.write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    assert run("--playbook", str(playbook))  # the playbook edited
    moved = tmp_path / "elsewhere"
    shutil.copytree(playbook, moved)
    assert not run("--playbook", str(moved))  # the same rules from another folder
    assert run()  # back to the bundled rules alone
    report = json.loads((out / "investment.json").read_text(encoding="utf-8"))
    report["reviewer"]["version"] = "0.0.1"  # made by another version
    (out / "investment.json").write_text(json.dumps(report), encoding="utf-8")
    assert run()


def test_exit_status_zero_without_fail_on_and_bad_arguments(tmp_path, capsys):
    assert run_batch(capsys, str(INVESTMENT_JA_MD), "--out", str(tmp_path / "o"), "--format", "md")[0] == 0
    assert main(["batch", str(INVESTMENT_JA_MD)]) == 2  # --out is required
    status, err = run_batch(capsys, str(tmp_path / "missing-folder"), "--out", str(tmp_path / "o2"))
    assert status == 2 and "no such file" in err[-1]
    (tmp_path / "nothing").mkdir()
    status, err = run_batch(capsys, str(tmp_path / "nothing"), "--out", str(tmp_path / "o3"))
    assert status == 2 and "no contract files" in " ".join(err)
    status, err = run_batch(capsys, str(INVESTMENT_MD), "--out", str(tmp_path / "o4"), "--jobs", "0")
    assert status == 2 and "--jobs" in err[0]


def test_ctrl_c_keeps_finished_reports_and_says_what_was_done(tmp_path):
    inputs = [variant(LICENCE_PDF, tmp_path / "in" / f"licence-{n}.pdf", n) for n in range(8)]
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    command = [sys.executable, "-m", "reviewer", "batch", *map(str, inputs), "--out", str(out), "--format", "json",
               "--jobs", "1"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while not list(out.glob("licence-*.json")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    err = process.communicate(timeout=60)[1]
    assert process.returncode == 130, err
    match = re.search(r"interrupted: (\d+) of 8 contracts reviewed; their reports are complete; "
                      r"run the same command again to continue", err)
    assert match, err
    assert "Traceback" not in err
    done = int(match.group(1))
    assert 1 <= done < 8
    reports = sorted(out.glob("licence-*.json"))
    assert len(reports) == done
    for report in reports:
        assert json.loads(report.read_text(encoding="utf-8"))["schema_version"] == 1
    assert not list(out.glob(".*.tmp"))
    rows = summary(out)
    assert sum(r["status"] == "ok" for r in rows) == done
    assert all("interrupted" in r["error"] for r in rows if r["status"] != "ok")

    stamps = {p.name: p.stat().st_mtime_ns for p in reports}
    assert main(command[3:]) == 0  # the same command again continues
    assert [r["status"] for r in summary(out)] == ["ok"] * 8
    assert {name: (out / name).stat().st_mtime_ns for name in stamps} == stamps


def test_cuad_sample_in_nested_folders(tmp_path, capsys):
    pdfs = sorted(data_dir("cuad", "pdf").glob("*.pdf"))[::80][:4]
    for n, pdf in enumerate(pdfs):
        target = tmp_path / "in" / f"group{n % 2}" / pdf.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, target)
    out = tmp_path / "out"
    status, err = run_batch(capsys, str(tmp_path / "in"), "--out", str(out), "--format", "json", "--jobs", "2")
    assert status == 0, err
    rows = summary(out)
    assert len(rows) == 4 and all(r["status"] == "ok" and r["language"] == "en" for r in rows)
    assert all((out / r["reports"]["json"]).is_file() and r["reports"]["json"].startswith("group") for r in rows)
    csv_lines = (out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_lines) == 5


def test_cluster_needs_the_extra(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if dask.distributed were not installed
    status, err = run_batch(capsys, str(INVESTMENT_MD), "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9")
    assert status == 2
    assert err == ["reviewer: --scheduler needs dask.distributed, which is not installed: pip install 'reviewer[cluster]'"]


def test_cluster_unreachable_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(batch, "CONNECT_SECONDS", 1)
    status, err = run_batch(capsys, str(INVESTMENT_MD), "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9")
    assert status == 2
    assert len(err) == 1 and err[0].startswith("reviewer: cannot connect to the Dask scheduler at tcp://127.0.0.1:9")
    status, err = run_batch(capsys, str(INVESTMENT_MD), "--out", str(tmp_path), "--scheduler", "nonsense://x")
    assert status == 2
    assert len(err) == 1 and "not a Dask scheduler address such as tcp://host:8786" in err[0]


def test_cluster_run_matches_the_local_run(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    inputs = tmp_path / "in"
    bad_files(inputs / "bad")
    shutil.copyfile(INVESTMENT_MD, inputs / "investment.md")
    shutil.copyfile(INVESTMENT_MD, inputs / "same.md")
    (inputs / "ja").mkdir()
    shutil.copyfile(JA_PDF, inputs / "ja" / "jissi.pdf")
    playbook = tmp_path / "playbook"  # the firm's own rules travel to the workers too
    (playbook / "protections").mkdir(parents=True)
    rule = yaml.safe_load((REPO / "clause_library" / "protections" / "confidentiality.yaml").read_text(encoding="utf-8"))
    rule["title"] = {"en": "Our confidentiality", "ja": "当社の秘密保持"}
    (playbook / "protections" / "confidentiality.yaml").write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    local, remote = tmp_path / "local", tmp_path / "cluster"
    status_local, _ = run_batch(capsys, str(inputs), "--out", str(local), "--jobs", "2")  # titles aside, the same
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0") as cluster:
        status_remote, err = run_batch(capsys, str(inputs), "--out", str(remote), "--scheduler", cluster.scheduler_address,
                                       "--playbook", str(playbook))
    assert status_local == status_remote == 2
    fields = ("status", "type", "language", "counts", "findings", "duplicate_of", "report_html")
    rows_local = [{k: r[k] for k in ("file", *fields)} for r in summary(local)]
    rows_remote = [{k: r[k] for k in ("file", *fields)} for r in summary(remote)]
    assert rows_local == rows_remote
    assert [r["status"] for r in rows_local].count("error") == 4
    assert len(err) == 4 and all(line.startswith("reviewer: ") for line in err)
    for ext in ("json", "html", "md", "docx"):
        assert (remote / "ja" / f"jissi.{ext}").is_file()
    report = json.loads((remote / "ja" / "jissi.json").read_text(encoding="utf-8"))
    assert report["source"]["path"].endswith("jissi.pdf") and report["source"]["language"] == "ja"
    assert {f["title"] for f in report["findings"] if f["protection"] == "confidentiality"} == {"当社の秘密保持"}


def test_a_duplicate_of_a_bad_file_is_named_as_given(tmp_path, capsys, monkeypatch):
    """Its error names the copy as the user wrote it ("./b.pdf"), once, not the reviewed file."""
    monkeypatch.chdir(tmp_path)
    for name in ("a.pdf", "b.pdf"):
        (tmp_path / name).write_bytes(b"")
    status, err = run_batch(capsys, "./a.pdf", "./b.pdf", "--out", "out")
    assert status == 2
    assert [r["error"] for r in summary(tmp_path / "out")] == ["./a.pdf: file is empty", "./b.pdf: file is empty"]
    assert err == ["reviewer: ./a.pdf: file is empty", "reviewer: ./b.pdf: file is empty"]

"""Shared fixtures: where the real contracts are, and helpers to run the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
EXAMPLES = REPO / "examples"


def data_dir(*parts: str) -> Path:
    """A folder of ../shared/data, or skip the test with the reason."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found: the shared data folder (../shared/data) is needed for this test")
    return path


@pytest.fixture
def cuad_pdfs() -> list[Path]:
    """Every CUAD PDF, sorted."""
    return sorted(data_dir("cuad", "pdf").glob("*.pdf"))


@pytest.fixture
def jpo_files() -> list[Path]:
    """The 8 METI/JPO Word contracts."""
    return sorted(data_dir("jpo_model_contracts").glob("*.docx"))

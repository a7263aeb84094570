"""Segmented documents cached on disk for benchmark reruns, keyed by the reader's own code.

Tuning rules reruns detection many times over the same contracts; reading and segmenting them again each
time would dominate. A change to ingestion, segmentation or the model changes the key and so the folder.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def code_key() -> str:
    """A short hash of the code that turns a file into a Document."""
    digest = hashlib.sha256()
    for folder in ("ingest", "segment"):
        for path in sorted((ROOT / "reviewer" / folder).glob("*.py")):
            digest.update(path.read_bytes())
    digest.update((ROOT / "reviewer" / "model.py").read_bytes())
    return digest.hexdigest()[:16]


def cache_dir(name: str) -> Path:
    """The cache folder for one benchmark under the system temp folder."""
    folder = Path(tempfile.gettempdir()) / f"reviewer-{name}-{code_key()}"
    folder.mkdir(exist_ok=True)
    return folder


def segmented(cache: Path, key: str, path: str | Path, data: bytes | None = None):
    """The segmented Document for a file (or its bytes), from the cache when present."""
    from reviewer.ingest import read_document
    from reviewer.segment import segment

    target = cache / f"{key[:80]}-{hashlib.sha256(key.encode()).hexdigest()[:8]}.pkl"
    if target.exists():
        try:
            return pickle.loads(target.read_bytes())
        except Exception:  # a stale or broken cache entry: read again
            pass
    doc = segment(read_document(path, data))
    target.write_bytes(pickle.dumps(doc))
    return doc

"""Segmentation: a RawDocument's blocks to a Document with a clause tree, language, parties and defined terms.

Like ingestion, this stage never imports spaCy: it is plain patterns over text, fast enough for batches.
"""

from __future__ import annotations

from reviewer.model import Clause, Document, RawDocument
from reviewer.segment.contract_type import find_title
from reviewer.segment.language import detect_language
from reviewer.segment.parties import extract_definitions, extract_parties
from reviewer.segment.tree import TreeBuilder


def build_clauses(raw: RawDocument, language: str) -> list[Clause]:
    """The clause tree of a document's blocks, in document order."""
    builder = TreeBuilder(language)
    prev_text = ""
    for block in raw.blocks:
        builder.feed(block, prev_text)
        prev_text = block.text
    return builder.clauses()


def segment(raw: RawDocument, language: str | None = None) -> Document:
    """Read a RawDocument into clauses, detecting the language unless given."""
    if language is None:
        sample = []
        size = 0
        for block in raw.blocks:
            sample.append(block.text)
            size += len(block.text)
            if size > 20_000:
                break
        language = detect_language("\n".join(sample))
    clauses = build_clauses(raw, language)
    title = find_title([b.text for b in raw.blocks[:40]], language)
    parties = tuple(extract_parties(clauses, language))
    definitions = tuple(extract_definitions(clauses, language))
    return Document(source=raw, language=language, clauses=tuple(clauses), title=title, parties=parties,
                    definitions=definitions, warnings=raw.warnings)

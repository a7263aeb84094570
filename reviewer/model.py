"""The document model shared by every stage: frozen values, no behaviour beyond small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """One unit of text as the source presents it: a Word paragraph, a PDF line, a text line.

    Ingestion fills what the format knows; segmentation decides what the block is.
    """

    text: str
    page: int | None = None
    label: str = ""  # Word's automatic numbering, rebuilt ("1.1", "(a)", "第3条"); "" if none
    style: str = ""  # paragraph style name (Word), e.g. "Heading 1"
    heading_level: int = 0  # outline level from a heading style or outlineLvl (1-9); 0 for body text
    list_level: int | None = None  # Word numbering level (ilvl) when the paragraph is numbered
    in_table: bool = False  # a paragraph from a table cell (cells are joined with " | ")
    is_line: bool = False  # a visual line (PDF, hard-wrapped text): may continue the previous block
    gap_before: bool = False  # a blank line or a visible vertical gap precedes this block
    bold: bool = False  # the whole block is bold (Word) or in a bold font (PDF)
    centered: bool = False  # the block is centred


@dataclass(frozen=True)
class RawDocument:
    """What ingestion hands to segmentation: blocks in reading order, nothing interpreted yet."""

    path: str
    sha256: str
    format: str  # "pdf" | "docx" | "txt"
    blocks: tuple[Block, ...]
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # facts about the file worth showing (e.g. "tracked changes read as accepted")


CLAUSE_KINDS = ("clause", "heading", "preamble", "schedule", "commentary", "signature")


@dataclass(frozen=True)
class Clause:
    """A node of the clause tree. ``text`` is the clause's own text, without its sub-clauses."""

    id: str
    number: str  # the label as printed: "5.2", "(a)", "第3条", "2"; "" when unnumbered
    heading: str
    text: str
    kind: str  # one of CLAUSE_KINDS
    page: int | None
    parent: str | None
    level: int  # depth in the tree, 0 for top-level clauses


@dataclass(frozen=True)
class Party:
    """A contracting party and the role or short name the contract gives it."""

    name: str
    alias: str = ""  # the defined short name: "Licensee", "甲"
    role: str = ""  # licensor | licensee | company | investor | discloser | recipient | "" when unknown
    clause_id: str | None = None


@dataclass(frozen=True)
class DefinedTerm:
    """A term the contract defines, and where."""

    term: str
    clause_id: str
    definition: str = ""  # the defining text, verbatim, when short enough to show


@dataclass(frozen=True)
class Document:
    """A contract read into clauses."""

    source: RawDocument
    language: str  # "en" | "ja"
    clauses: tuple[Clause, ...]
    title: str = ""
    parties: tuple[Party, ...] = ()
    definitions: tuple[DefinedTerm, ...] = ()
    warnings: tuple[str, ...] = field(default=())

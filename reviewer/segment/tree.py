"""Blocks to a clause tree: numbering styles and their sequences decide nesting, headings and gaps decide breaks.

The builder keeps a stack of open lists (one entry per numbering style in use, outermost first). A new
label whose style is open continues that list when its value follows on; a style not yet open starts a
deeper list only at its first value (1, a, i, 第1条). Anything else is text that happens to start
with a number ("2.3 million", a wrapped "(b)" of an inline list) and stays in the clause it is in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewer.model import Block, Clause
from reviewer.segment.numbering import Label, first_value, parse_label, to_halfwidth

# Values may skip ahead this far (a label lost in extraction, "[Reserved]" sections) and still continue a list.
MAX_SKIP = 3

_SENTENCE_END = re.compile(r"[.:;!?。．」）)\]\"”]$")
_CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]")
_REFERENCE_END = re.compile(
    r"(?:\b(?:sections?|articles?|clauses?|paragraphs?|subsections?|schedules?|exhibits?|annex|appendix|and|or|"
    r"of|to|in|under|with|per|see|than|by|at|for|from|the|a|an|no\.|nos\.)|§|,|&)$",
    re.IGNORECASE,
)
_SCHEDULE_EN = re.compile(
    r"^(?:EXHIBIT|SCHEDULE|ANNEX|APPENDIX|ATTACHMENT|ADDENDUM|Exhibit|Schedule|Annex|Appendix|Attachment|Addendum)"
    r"(?:\s+(?:[A-Z]{1,3}|\d{1,3}|[IVX]{1,5})(?:[-.]\d{1,3})?)?\b\.?(?:\s*[-–—:]\s*|\s+|$)"
)
_SCHEDULE_JA = re.compile(r"^[（(【]?\s*(?:別紙|別表|付属書類?|添付資料)\s*[0-9０-９一二三四五六七八九十]*\s*[）)】]?")
_SIGNATURE = re.compile(
    r"^(?:IN WITNESS (?:WHEREOF|THEREOF)|In Witness Whereof|AS WITNESS|EXECUTED (?:as|by)|SIGNED (?:by|for)|"
    r"本契約(?:の)?(?:締結|成立)の証として|以上の(?:合意|証)|上記契約の証として|本書[0-9０-９一二]通を作成)",
)
_RECITAL = re.compile(r"^(?:WHEREAS|Whereas|W H E R E A S|RECITALS?|Recitals?|BACKGROUND|NOW,? THEREFORE|Now,? [Tt]herefore)\b")
_PREAMBLE_JA = re.compile(r"^(?:前文|前\s*文)$")
_COMMENTARY = re.compile(
    r"^(?:[＜<〈]\s*(?:ポイント|解説|注記?|コメント|留意点|条項例|参考)\s*[＞>〉]|【\s*(?:コラム|解説|ポイント|注記?|留意点|コメント|"
    r"追加オプション条項|オプション条項|参考|補足)|想定シーン|\[?\s*(?:Drafting [Nn]ote|DRAFTING NOTE|Note to [Dd]raft|NOTE TO DRAFT)\b)"
)
_TOC_TITLE = re.compile(r"^(?:TABLE OF CONTENTS|Table [Oo]f Contents|CONTENTS|Contents|INDEX|目\s*次)$")
_TOC_LEADERS = re.compile(r"(?:\.\s?){4,}\s*\d{1,3}$|…{2,}\s*\d{1,3}$")  # "Definitions ........ 3"
_TOC_ENTRY = re.compile(r"(?:\.\s?){3,}\s*\d{1,3}$|…+\s*\d{1,3}$|\s\d{1,3}$|^Page$|^PAGE$")
_ALLCAPS_WORD = re.compile(r"[A-Za-z][A-Za-z'’&\-]*")
_HEADING_PHRASE = re.compile(r"^([A-Z][A-Za-z0-9'’&,/\- ]{1,80}?[A-Za-z)])\s*[.:]\s+(?=[A-Z“\"(])")
_JA_HEADING = re.compile(r"^[\s　]*[（(]([^（）()]{1,40})[）)]")
# Lower-case words a heading phrase may hold ("Grant of License").
_SMALL_WORDS = frozenset({"of", "and", "or", "the", "to", "for", "in", "on", "by", "with", "a", "an", "upon", "under"})


_TOP_STYLES = {"part": 0, "ja_chapter": 0, "article": 0, "ja_section": 1, "ja_article": 1, "sec1": 1, "dec1": 1}


def rank(style: str) -> int:
    """How high a numbering style usually sits in a contract: articles 0, sections 1, 2.3 -> 2, lists 10."""
    if style in _TOP_STYLES:
        return _TOP_STYLES[style]
    if style[:3] in ("dec", "sec") and style[3:].isdigit():
        return int(style[3:])
    return 10


@dataclass
class _Node:
    number: str
    heading: str
    kind: str
    page: int | None
    parent: int | None
    level: int
    parts: list[str] = field(default_factory=list)
    join_last: str = ""  # how the next line joins the last part: " " (English), "" (Japanese)


@dataclass
class _Open:
    style: str
    value: int
    node: int
    label: Label


def is_heading_line(block: Block, language: str, prev_text: str = "") -> bool:
    """A short line that titles what follows: capitals, bold or a Word heading, no sentence end."""
    text = block.text.strip()
    if block.heading_level:
        return len(text) <= 120
    if not text or len(text) > 80 or block.in_table:
        return False
    if block.is_line and not (block.gap_before or block.centered or (block.bold and _SENTENCE_END.search(prev_text))):
        return False  # a line inside a paragraph set in capitals (a disclaimer), not a title
    if language == "ja":
        # A title or heading line: short, no sentence end, set apart (centred or bold) or naming the contract.
        return len(text) <= 40 and not text.endswith(("。", "、")) and (
            block.centered or block.bold or text.endswith(("契約書", "覚書", "合意書")))
    if text.endswith((".", ",", ";")) and not text.endswith("..."):
        return False
    words = _ALLCAPS_WORD.findall(text)
    letters = sum(len(w) for w in words)
    if letters < 4:
        return False
    upper = sum(1 for w in words for ch in w if ch.isupper())
    if upper >= 0.85 * letters:
        return True
    return block.bold and len(words) <= 10


class TreeBuilder:
    """Feeds blocks one by one; ``clauses()`` gives the tree."""

    def __init__(self, language: str):
        self.language = language
        self.nodes: list[_Node] = []
        self.stack: list[_Open] = []
        self.current: int | None = None  # node receiving text
        self.mode = "preamble"  # preamble | body | commentary | signature | schedule
        self.section_root: int | None = None  # the schedule or signature node that heads what follows
        self.seen_body = False
        self.mode_before_toc = "preamble"
        self.seen_ranked = False  # a section-level label (1., Article 1, 第1条) has opened a clause
        self.styled_articles = False  # articles are Word headings (so commentary ends only at a heading)

    # -- node helpers -------------------------------------------------------------------------------------

    def _new(self, number: str, heading: str, kind: str, page: int | None, parent: int | None) -> int:
        level = 0 if parent is None else self.nodes[parent].level + 1
        self.nodes.append(_Node(number, heading, kind, page, parent, level))
        self.current = len(self.nodes) - 1
        return self.current

    def _append(self, text: str, block: Block, new_paragraph: bool) -> None:
        text = text.strip()
        if not text:
            return
        if self.current is None:
            self._new("", "", "preamble" if self.mode == "preamble" else "clause", block.page, None)
        node = self.nodes[self.current]
        if node.page is None:
            node.page = block.page
        if new_paragraph and node.parts and node.kind in ("preamble", "signature"):
            # Preamble paragraphs (parties, each recital) stand at the top as clauses of their own; the lines of
            # a signature block (one per party) become entries under the block. A clause keeps its further
            # unnumbered paragraphs in its own text: they are part of it, not sub-clauses.
            parent = None if node.kind == "preamble" else (self.current if node.parent is None else node.parent)
            self._new("", "", node.kind, block.page, parent)
            node = self.nodes[self.current]
        if not node.parts or new_paragraph:
            node.parts.append(text)
        else:
            last = node.parts[-1]
            if last.endswith("-") and len(last) > 1 and last[-2].isalpha() and text[:1].islower():
                node.parts[-1] = last + text  # "non-" + "exclusive" already joined by ingestion; keep the hyphen
            else:
                joiner = "" if (_CJK_END.search(last) and _CJK_START.search(text)) else " "
                node.parts[-1] = last + joiner + text

    # -- the decisions ------------------------------------------------------------------------------------

    def _accept(self, label: Label) -> tuple[int, Label] | None:
        """Where a label fits: (stack depth to keep, label as read), or None when it is not a clause start."""
        candidates = [label]
        if label.alt_style is not None:
            alt = Label(label.alt_style, label.alt_value or 0, label.printed, label.end, parents=label.parents)
            # A letter continuing an open letter list wins over a Roman numeral starting a new one: (h) then (i).
            candidates = [alt, label] if self._continues(alt) else [label, alt]
        for cand in candidates:
            fit = self._fit(cand)
            if fit is not None:
                return fit, cand
        return None

    def _continues(self, label: Label) -> bool:
        for entry in self.stack:
            if entry.style == label.style:
                return 0 < label.value - entry.value <= MAX_SKIP
        return False

    def _fit(self, label: Label) -> int | None:
        style, value = label.style, label.value
        if style.startswith(("dec", "sec")) and label.parents:
            return self._decimal_fit(label)
        for depth, entry in enumerate(self.stack):
            if entry.style == style:
                if style == "ja_article" and value == entry.value and self._heading_only(entry.node):
                    return -1 - depth  # the body of an article whose heading stood alone: same clause
                if 0 < value - entry.value <= MAX_SKIP or (value == first_value(style) and depth == len(self.stack) - 1):
                    return depth
                return None
        # A style that outranks the outermost open list (a "1." after a preamble's "(a) ... (c)" party list)
        # starts the body at the top, rather than nesting under the list it outranks.
        if self.stack and self.stack[0].style.startswith("(") and rank(style) <= 1 and not self.seen_ranked:
            return 0
        # An article when no article is open (the one before was lost in extraction): back to the top.
        if self.stack and rank(style) == 0 and all(rank(e.style) > 0 for e in self.stack):
            return 0
        # "2" after "1.4" whose "1" was never seen as a label (a heading the PDF split oddly): the next section.
        if style in ("dec1", "sec1") and any(e.label.parents and e.label.parents[0] == value - 1 for e in self.stack):
            return 0
        # A style not open yet: a deeper list, which must start at its beginning.
        if value == first_value(style) or (not self.stack and style in ("article", "dec1", "sec1", "ja_article", "part",
                                                                          "ja_chapter")):
            return len(self.stack)
        if style == "ja_para" and value == 1:
            return len(self.stack)
        return None

    def _decimal_fit(self, label: Label) -> int | None:
        """2.3 goes under 2 (or Article 2), after 2.2; 4.1 under Article 3 means Article 4's heading was lost."""
        style, value, parents = label.style, label.value, label.parents
        k = int(style[3:])
        for depth in range(len(self.stack) - 1, -1, -1):
            entry = self.stack[depth]
            if entry.style in (f"dec{k - 1}", f"sec{k - 1}") or (k == 2 and entry.style == "article"):
                if entry.value == parents[-1]:
                    below = self.stack[depth + 1] if depth + 1 < len(self.stack) else None
                    if below is not None and below.style == style:
                        return depth + 1 if 0 < value - below.value <= MAX_SKIP else None
                    return depth + 1 if value <= MAX_SKIP else None
                if entry.value + 1 == parents[-1] and value <= MAX_SKIP:
                    return depth  # the enclosing heading never came through: take its place
                return None
        for depth, entry in enumerate(self.stack):
            if entry.style == style:
                before = entry.label.parents
                if before[:-1] != parents[:-1] and before:
                    return None
                if before and before[-1] == parents[-1]:
                    return depth if 0 < value - entry.value <= MAX_SKIP else None
                if not before or before[-1] + 1 == parents[-1]:
                    return depth if value <= MAX_SKIP else None
                return None
        return len(self.stack) if value <= MAX_SKIP else None

    def _heading_only(self, node_index: int) -> bool:
        return not self.nodes[node_index].parts

    def _in_toc(self, block: Block, text: str) -> bool:
        """A table of contents: its entries look like clause labels but are not clauses."""
        if _TOC_TITLE.match(text):
            if self.mode != "toc":  # a contents title repeated on each page of the contents
                self.mode_before_toc = self.mode
            self.mode = "toc"
            self._new("", _printed(block, text), "preamble", block.page, None)
            return True
        leaders = _TOC_LEADERS.search(text) is not None
        if self.mode != "toc":
            if leaders:  # a contents line without a contents title
                self._append(_printed(block, text), block, new_paragraph=True)
                return True
            return False
        if leaders or _TOC_ENTRY.search(text) or (len(text) <= 60 and not _SENTENCE_END.search(text)):
            self._append(_printed(block, text), block, new_paragraph=True)
            return True
        self.mode = self.mode_before_toc
        del self.stack[:]
        return False

    def feed(self, block: Block, prev_text: str) -> None:
        text = block.text.strip()
        if not text:
            return
        if self._in_toc(block, text):
            return
        if self._special(block, text):
            return
        if self.mode == "commentary":
            self._append(_printed(block, text), block, new_paragraph=True)
            return
        label = None
        if block.label:
            label = parse_label(block.label, self.language)
            body = text
            if label is not None:
                label = Label(label.style, label.value, label.printed, 0, label.alt_style, label.alt_value,
                              label.parents)
        else:
            label = parse_label(text, self.language)
            body = text[label.end:] if label is not None else text
        if label is not None and block.is_line and _REFERENCE_END.search(prev_text) and not block.gap_before:
            label = None  # "... pursuant to Section\n2.3 hereof": a reference wrapped onto a new line
            body = text
        if label is not None:
            fit = self._accept(label)
            if fit is not None:
                self._open(fit[0], fit[1], body, block)
                return
        text = _printed(block, text)  # Word's number, not a clause start here: keep it as printed
        if self._maybe_heading(block, text, prev_text):
            return
        new_paragraph = not block.is_line or (
            block.gap_before and bool(_SENTENCE_END.search(prev_text)))
        self._append(text, block, new_paragraph)

    def _open(self, depth: int, label: Label, body: str, block: Block) -> None:
        if depth < 0:  # same article as the heading above it
            depth = -1 - depth
            self.current = self.stack[depth].node
            del self.stack[depth + 1:]
            self.nodes[self.current].number = label.printed
            self._append(body, block, new_paragraph=True)
            return
        del self.stack[depth:]
        if block.heading_level and label.style in ("ja_article", "article"):
            self.styled_articles = True
        if rank(label.style) <= 1:
            self.seen_ranked = True
        parent = self.stack[-1].node if self.stack else self.section_root
        kind = "clause"
        if self.mode in ("preamble", "signature") and self.section_root is None:
            self.mode = "body"
        self.seen_body = True
        index = self._new(label.printed, "", kind, block.page, parent)
        self.stack.append(_Open(label.style, label.value, index, label))
        heading, rest = split_heading(body, self.language, block)
        self.nodes[index].heading = heading
        if rest:
            self._append(rest, block, new_paragraph=True)

    def _maybe_heading(self, block: Block, text: str, prev_text: str) -> bool:
        """A heading line: the title of a clause that has none yet, or a heading node of its own."""
        if not is_heading_line(block, self.language, prev_text):
            return False
        if self.current is not None and self.stack and self.stack[-1].node == self.current:
            node = self.nodes[self.current]
            if not node.parts and not node.heading:
                node.heading = text
                return True
        if not self.seen_body:
            node = self.nodes[self.current] if self.current is not None else None
            if node is not None and node.kind == "preamble" and node.heading and not node.parts and not block.gap_before:
                node.heading += " " + text  # a title set on two lines
                return True
            self._new("", text, "preamble", block.page, None)  # the title, or a heading before clause 1
            return True
        parent = self.section_root
        if block.heading_level and self.stack:
            # A Word heading without a number: a group over the numbered clauses that follow.
            del self.stack[:]
        elif self.stack:
            # A capitalised line inside numbered text (a defined term, a sub-title): it stays inside the clause
            # it appears in; the labels that follow still find their lists.
            parent = self.stack[-1].node
        self._new("", text, "heading", block.page, parent)
        return True

    def _special(self, block: Block, text: str) -> bool:
        """Commentary, recitals, schedules and signature blocks: they change what the text that follows is."""
        if _COMMENTARY.match(text):
            self.mode = "commentary"
            self._new("", _printed(block, text), "commentary", block.page, None)
            return True
        if self.mode == "commentary":
            if not self._leaves_commentary(block, text):
                return False
            self.mode = "body" if self.seen_body else "preamble"
        if _PREAMBLE_JA.match(text):
            self.mode = "preamble"
            self._new("", _printed(block, text), "preamble", block.page, None)
            return True
        if _RECITAL.match(text) and not self.stack:
            self._new("", "", "preamble", block.page, None)
            self._append(_printed(block, text), block, new_paragraph=True)
            return True
        if _SIGNATURE.match(text):
            del self.stack[:]
            self.mode = "signature"
            self.section_root = None
            self._new("", "", "signature", block.page, None)
            self._append(_printed(block, text), block, new_paragraph=True)
            return True
        if self._is_schedule_title(block, text):
            del self.stack[:]
            self.mode = "schedule"
            heading = _printed(block, text)
            self.section_root = self._new("", heading, "schedule", block.page, None)
            return True
        return False

    def _leaves_commentary(self, block: Block, text: str) -> bool:
        """Commentary runs until the contract resumes: an article, the preamble, a schedule or the signature."""
        if _PREAMBLE_JA.match(text) or _SIGNATURE.match(text):
            return True
        label = parse_label(block.label or text, self.language)
        if label is not None and label.style in ("ja_article", "ja_chapter", "article"):
            if self.styled_articles and not block.heading_level:
                return False  # articles here start with a Word heading: a bare 第N条 is an option clause shown
            last = next((e.value for e in self.stack if e.style == label.style), 0)
            return label.value in (last, last + 1) or (block.heading_level > 0 and label.value > last)
        if label is not None and label.style.startswith("dec") and block.heading_level:
            return True
        return block.heading_level > 0 and _SCHEDULE_JA.match(text) is not None

    def _is_schedule_title(self, block: Block, text: str) -> bool:
        if len(text) > 90 or not self.seen_body:
            return False
        if self.language == "ja":
            m = _SCHEDULE_JA.match(text)
            # 別紙 as a title stands alone or with its name; "別紙1記載の…" in a sentence does not.
            return bool(m) and (len(text) <= 30 and not text.endswith("。") and "記載" not in text[:m.end() + 3])
        m = _SCHEDULE_EN.match(text)
        if not m:
            return False
        rest = text[m.end():].strip()
        if rest[:1].islower() or rest.startswith(("to ", "hereto", "attached")):
            return False  # "Exhibit A attached hereto ..." in running text
        words = text.split()
        return words[0].isupper() or block.gap_before or block.centered or block.heading_level > 0 or (
            len(words) <= 8 and not text.endswith(".")
        )

    # -- result -------------------------------------------------------------------------------------------

    def clauses(self) -> list[Clause]:
        out: list[Clause] = []
        ids = [f"c{i + 1}" for i in range(len(self.nodes))]
        if not self.seen_body:
            # A contract with no numbered clauses at all: its paragraphs after the opening one are the terms.
            preamble = [n for n in self.nodes if n.kind == "preamble" and n.parts]
            for node in preamble[1:]:
                if not _RECITAL.match(node.parts[0]):
                    node.kind = "clause"
        for i, node in enumerate(self.nodes):
            text = "\n".join(node.parts)
            if not text and not node.heading and not node.number:
                continue
            kind = node.kind
            parent = ids[node.parent] if node.parent is not None else None
            if kind == "clause" and node.parent is not None and self.nodes[node.parent].kind == "commentary":
                kind = "commentary"
            out.append(Clause(id=ids[i], number=node.number, heading=node.heading, text=text, kind=kind,
                              page=node.page, parent=parent, level=node.level))
        return _renumber(out)


def _printed(block: Block, text: str) -> str:
    """The line as printed: Word's automatic number (when it is not taken as a clause label) and the text."""
    return f"{block.label} {text}" if block.label else text


def _renumber(clauses: list[Clause]) -> list[Clause]:
    """Ids c1, c2, ... in document order with no gaps (empty nodes were dropped)."""
    mapping = {c.id: f"c{i + 1}" for i, c in enumerate(clauses)}
    # A dropped parent attaches to the top (cannot happen for non-empty trees).
    return [Clause(id=mapping[c.id], number=c.number, heading=c.heading, text=c.text, kind=c.kind, page=c.page,
                   parent=mapping.get(c.parent), level=c.level) for c in clauses]


def split_heading(body: str, language: str, block: Block) -> tuple[str, str]:
    """The clause's title and the rest: "Grant of License. Licensor grants ..." -> ("Grant of License", ...)."""
    body = body.strip().lstrip(".:)-–— \u3000").strip()
    if not body:
        return "", ""
    if language == "ja" or _CJK_START.search(body):
        m = _JA_HEADING.match(to_halfwidth(body[:45]).replace("(", "（").replace(")", "）")) if body[:1] in "（(" else None
        if m:
            close = body.find("）") if "）" in body else body.find(")")
            return body[1:close].strip(), body[close + 1:].strip()
        if block.heading_level and len(body) <= 40:
            return body, ""
        return "", body
    if len(body) <= 80 and is_heading_line(Block(body, bold=block.bold), "en") and not body.endswith("."):
        return body.rstrip(":"), ""
    m = _HEADING_PHRASE.match(body)
    if m:
        phrase = m.group(1)
        words = phrase.split()
        if len(words) <= 9 and all(w[0].isupper() or w in _SMALL_WORDS or not w[0].isalpha() for w in words):
            return phrase, body[m.end():].strip()
    if block.bold and block.heading_level == 0 and len(body) <= 80:
        return body, ""
    return "", body

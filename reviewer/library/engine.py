"""Provision detection: rule patterns over the sentences of each clause, on spaCy's blank pipelines.

Cost grows with patterns times text, so every rule names cheap ``triggers`` (a regex): only sentences that
contain a trigger are tokenised by spaCy and run through the Matcher and PhraseMatcher, once per sentence
for all rules at the same time. Regex patterns run on the sentence text directly. Japanese is tokenised
sentence by sentence (SudachiPy refuses inputs over ~49 KB).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reviewer.library import Library, Rule
from reviewer.model import Clause, Document

DEFAULT_SCOPE = ("clause", "schedule", "heading")  # heading nodes carry the text that follows a bare title
# Sentence ends: a full stop, semicolon or colon followed by space and a capital, an opening bracket, a quote
# or a digit; never after a common abbreviation (checked in code: a look-behind per abbreviation is slow).
# Japanese: 。 and line breaks.
_EN_SENTENCE_END = re.compile(r"[.!?;](?=\s+[\"“(\[A-Z0-9])|\n+")
_ABBREVIATION = re.compile(r"(?:\b(?:Inc|Ltd|Co|Corp|No|Nos|Sec|Art|Mr|Ms|Dr|St|vs|v|al|K\.K|S\.A|N\.V|e\.g|i\.e|U\.S)|"
                           r"\b[A-Z])$")
_JA_SENTENCE_END = re.compile(r"(?<=[。！？])(?![）)」』])|\n+")  # not at "…を含む。）": the sentence goes on
_SEPARATOR = "\n\x00\n"  # between clauses when a document is searched as one text: no pattern matches across it
MAX_SENTENCE = 3000  # a run-on "sentence" longer than this is cut, so no single match scans a whole page


@dataclass(frozen=True)
class Sentence:
    """A sentence of a clause, as offsets into the clause's own text."""

    clause: Clause
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.clause.text[self.start:self.end]


@dataclass
class Hit:
    """A provision recognised in one sentence, with the values extracted from it."""

    provision: str
    sentence: Sentence
    values: dict[str, Any] = field(default_factory=dict)


def sentences(clause: Clause, language: str) -> list[Sentence]:
    """The clause's sentences (or clauses of a sentence split at semicolons), verbatim offsets."""
    text = clause.text
    pattern = _JA_SENTENCE_END if language == "ja" else _EN_SENTENCE_END
    out: list[Sentence] = []
    start = 0
    for m in pattern.finditer(text):
        if m.group(0) == "." and _ABBREVIATION.search(text, max(0, m.start() - 6), m.start()):
            continue  # "Inc." "No." "U.S." "J." are not sentence ends
        end = m.end() if m.group(0) and not m.group(0).isspace() else m.start()
        _add(out, clause, text, start, end)
        start = m.end()
    _add(out, clause, text, start, len(text))
    return out


def _add(out: list[Sentence], clause: Clause, text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        out.append(Sentence(clause, start, cut))
        start = cut + 1
    if end > start:
        out.append(Sentence(clause, start, end))


@lru_cache(maxsize=2)
def nlp(language: str):
    """The blank spaCy pipeline for a language (Japanese tokenises with SudachiPy, sudachidict-core)."""
    import spacy

    return spacy.blank(language)


def anchors(pattern: str) -> list[str] | None:
    """Literal strings one of which every match of ``pattern`` starts with (lower-cased), or None.

    ``\\bsurviv|\\bremain|存続`` -> ["surviv", "remain", "存続"]. A quick ``str.find`` for these over the
    whole document finds the few clauses worth running the real regex on.
    """
    import re._constants as C  # the stdlib's own regex parser: no second regex dialect to maintain
    import re._parser as P

    def of_sequence(items) -> list[str] | None:
        literal: list[str] = []
        for index, (op, av) in enumerate(items):
            if not literal and (op is C.AT or op in (C.ASSERT, C.ASSERT_NOT)):
                continue  # zero-width at the start: \b, (?<!non-), (?=...) do not move where a match starts
            if op is C.LITERAL:
                literal.append(chr(av).lower())
                continue
            if op is C.IN and len({chr(v).lower() for o, v in av if o is C.LITERAL}) == 1 and all(o is C.LITERAL for o, _ in av):
                literal.append(chr(av[0][1]).lower())  # [Ll] under IGNORECASE is one letter
                continue
            if literal:
                break
            if op is C.BRANCH:
                out = []
                for alternative in av[1]:
                    found = of_sequence(list(alternative) + list(items[index + 1:]))
                    if found is None:
                        return None
                    out.extend(found)
                return out
            if op is C.SUBPATTERN:
                return of_sequence(list(av[-1]) + list(items[index + 1:]))
            if op in (C.MAX_REPEAT, C.MIN_REPEAT):
                low, _, inner = av
                first = of_sequence(list(inner) + list(items[index + 1:]))
                if low >= 1 or first is None:
                    return first
                rest = of_sequence(list(items[index + 1:]))  # the optional part may be absent
                return None if rest is None else first + rest
            return None
        return ["".join(literal)] if len(literal) >= 2 else None

    try:
        return of_sequence(list(P.parse(pattern, re.IGNORECASE)))
    except Exception:  # an exotic pattern: no shortcut, the regex runs on everything
        return None


class Occurrences:
    """Where each anchor literal starts in a document's lower-cased text, found in one Aho-Corasick pass."""

    def __init__(self, automaton, lower: str):
        found = sorted((end - len(literal) + 1, literal) for end, literal in automaton.iter(lower))
        self.positions = [p for p, _ in found]
        self.literals = [lit for _, lit in found]
        self._cache: dict[tuple[int, int], dict[str, list[int]]] = {}

    def within(self, literals: tuple[str, ...] | list[str], lo: int, hi: int) -> list[int]:
        """Start positions in [lo, hi) of any of the literals."""
        present = self.index(lo, hi)
        return [p for literal in literals for p in present.get(literal, ())]

    def index(self, lo: int, hi: int) -> dict[str, list[int]]:
        """The literals that occur in [lo, hi) and where: computed once per sentence, shared by every rule."""
        key = (lo, hi)
        present = self._cache.get(key)
        if present is None:
            present = {}
            for i in range(bisect_left(self.positions, lo), bisect_left(self.positions, hi)):
                present.setdefault(self.literals[i], []).append(self.positions[i])
            self._cache[key] = present
        return present


@dataclass(frozen=True)
class _Regex:
    """A regex pattern and the literals one of which any match starts with (None: no shortcut)."""

    pattern: re.Pattern[str]
    anchors: tuple[str, ...] | None

    def search(self, text: str, occurrences: Occurrences | None, base: int) -> bool:
        """Whether the pattern occurs in ``text`` (which starts at ``base`` in the document).

        Every match starts where one of the anchors does, so the regex is tried only there; the answer is the
        same as ``pattern.search(text)``.
        """
        if self.anchors is None or occurrences is None:
            return self.pattern.search(text) is not None
        present = occurrences.index(base, base + len(text))
        for literal in self.anchors:
            for at in present.get(literal, ()):
                if self.pattern.match(text, at - base):
                    return True
        return False


def _regex(source: str, flags: int) -> _Regex:
    found = anchors(source)
    return _Regex(re.compile(source, flags), tuple(found) if found else None)


@dataclass
class _Compiled:
    """One rule's patterns for one language, ready to run."""

    rule: Rule
    triggers: re.Pattern[str] | None
    trigger_anchors: list[str] | None
    heading: re.Pattern[str] | None
    regexes: list[_Regex]
    excludes: list[_Regex]
    spacy_keys: bool  # the rule has phrase or token patterns (in the shared matchers)
    spacy_exclude: bool
    scope: tuple[str, ...]


class Engine:
    """All provision rules of a library compiled for one language."""

    def __init__(self, library: Library, language: str):
        from spacy.matcher import Matcher, PhraseMatcher

        self.language = language
        self.nlp = nlp(language)
        self.matcher = Matcher(self.nlp.vocab)
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.rules: list[_Compiled] = []
        for rule in library.provisions.values():
            spec = rule.data["match"].get(language)
            if spec is None:
                continue
            self.rules.append(self._compile(rule, spec))
        self.automaton = _automaton(self.rules)

    def _compile(self, rule: Rule, spec: dict) -> _Compiled:
        flags = re.IGNORECASE
        regexes, excludes = [], []
        spacy_keys = spacy_exclude = False
        for kind, patterns in (("match", spec["patterns"]), ("exclude", spec.get("exclude", []))):
            for i, pattern in enumerate(patterns):
                key = f"{rule.id}|{kind}"
                if "regex" in pattern:
                    (regexes if kind == "match" else excludes).append(_regex(pattern["regex"], flags))
                elif "phrase" in pattern:
                    self.phrases.add(key, [self.nlp.make_doc(pattern["phrase"])])
                elif "tokens" in pattern:
                    self.matcher.add(f"{key}|{i}", [pattern["tokens"]])
                if "regex" not in pattern:
                    spacy_keys |= kind == "match"
                    spacy_exclude |= kind == "exclude"
        return _Compiled(
            rule=rule,
            triggers=re.compile(spec["triggers"], flags) if spec.get("triggers") else None,
            trigger_anchors=anchors(spec["triggers"]) if spec.get("triggers") else None,
            heading=re.compile(spec["heading"], flags) if spec.get("heading") else None,
            regexes=regexes,
            excludes=excludes,
            spacy_keys=spacy_keys,
            spacy_exclude=spacy_exclude,
            scope=tuple(spec.get("scope", DEFAULT_SCOPE)),
        )

    def _spacy_labels(self, text: str, cache: dict[str, set[str]]) -> set[str]:
        """The "rule|match" / "rule|exclude" labels the spaCy matchers find in a sentence (cached)."""
        labels = cache.get(text)
        if labels is None:
            doc = self.nlp(text)
            strings = self.nlp.vocab.strings
            labels = {strings[m_id] for m_id, _, _ in self.phrases(doc)}
            labels |= {strings[m_id].rsplit("|", 1)[0] for m_id, _, _ in self.matcher(doc)}
            cache[text] = labels
        return labels

    def sentence_hits(self, compiled: _Compiled, sentence: str, cache: dict[str, set[str]],
                      occurrences: Occurrences | None = None, base: int = 0) -> bool:
        """Whether one sentence is a hit for one rule (triggers already checked)."""
        matched = any(r.search(sentence, occurrences, base) for r in compiled.regexes)
        if not matched and compiled.spacy_keys:
            matched = f"{compiled.rule.id}|match" in self._spacy_labels(sentence, cache)
        if not matched:
            return False
        if any(r.search(sentence, occurrences, base) for r in compiled.excludes):
            return False
        if compiled.spacy_exclude and f"{compiled.rule.id}|exclude" in self._spacy_labels(sentence, cache):
            return False
        return True

    def detect(self, clauses: list[Clause]) -> list[Hit]:
        """Every hit of every rule in these clauses, in document order per rule.

        Each rule's triggers run once over the whole document (clauses joined by a separator no pattern
        crosses); only the sentences around a trigger are split out and matched.
        """
        usable = [c for c in clauses if c.text and c.kind != "commentary"]
        starts, parts, position = [], [], 0
        for clause in usable:
            starts.append(position)
            parts.append(clause.text)
            position += len(clause.text) + len(_SEPARATOR)
        text = _SEPARATOR.join(parts)
        lower = text.lower()
        occurrences = None
        if len(lower) == len(text) and self.automaton is not None:  # else a character whose lower case is longer
            occurrences = Occurrences(self.automaton, lower)
        hits: list[Hit] = []
        cache: dict[str, set[str]] = {}
        split: dict[str, list[Sentence]] = {}  # sentences of a clause, split the first time a rule needs them
        for compiled in self.rules:
            triggered: dict[int, list[int]] = {}  # clause index -> trigger offsets inside the clause
            if compiled.triggers is None:
                triggered = {i: [] for i in range(len(usable))}
            elif compiled.trigger_anchors is not None and occurrences is not None:
                # Every trigger match starts where an anchor does: try the regex only there.
                for at in sorted(occurrences.within(compiled.trigger_anchors, 0, len(text))):
                    i = bisect_right(starts, at) - 1
                    local = at - starts[i]
                    if local < len(usable[i].text) and compiled.triggers.match(usable[i].text, local):
                        triggered.setdefault(i, []).append(local)
            else:
                for m in compiled.triggers.finditer(text):
                    i = bisect_right(starts, m.start()) - 1
                    triggered.setdefault(i, []).append(m.start() - starts[i])
            for i, offsets in triggered.items():
                clause = usable[i]
                if clause.kind not in compiled.scope:
                    continue
                clause_sentences = split.get(clause.id)
                if clause_sentences is None:
                    clause_sentences = split[clause.id] = sentences(clause, self.language)
                candidates = clause_sentences if compiled.triggers is None else [
                    s for s in clause_sentences if any(s.start <= o < s.end for o in offsets)]
                found = False
                for sentence in candidates:
                    if self.sentence_hits(compiled, sentence.text, cache, occurrences, starts[i] + sentence.start):
                        hits.append(Hit(compiled.rule.id, sentence))
                        found = True
                if not found and candidates and compiled.heading is not None and compiled.heading.search(clause.heading):
                    first = candidates[0]
                    if not any(r.search(first.text, occurrences, starts[i] + first.start) for r in compiled.excludes):
                        hits.append(Hit(compiled.rule.id, first))
        return hits


def _automaton(rules: list[_Compiled]):
    """One Aho-Corasick automaton over every anchor literal of every rule (pyahocorasick)."""
    import ahocorasick

    literals = {a for c in rules for a in (c.trigger_anchors or ())}
    literals |= {a for c in rules for r in c.regexes + c.excludes for a in (r.anchors or ())}
    if not literals:
        return None
    automaton = ahocorasick.Automaton()
    for literal in literals:
        automaton.add_word(literal, literal)
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=8)
def engine_for(library: Library, language: str) -> Engine:
    """A compiled engine per library and language, built once per process."""
    return Engine(library, language)


def warm_up(library: Library) -> None:
    """Build both languages' engines and run them once, so that the first contract pays no start-up cost."""
    for language, text in (("en", "The Licensee shall not reverse engineer the Product."),
                           ("ja", "乙は、本製品を解析してはならない。")):
        detect_text(text, library, language)


def detect(document: Document, library: Library) -> list[Hit]:
    """All provision hits in a document, with their values extracted."""
    from reviewer.library.values import extract_values

    engine = engine_for(library, document.language)
    hits = engine.detect(list(document.clauses))
    for hit in hits:
        rule = library.provisions[hit.provision]
        for spec in rule.data.get("values", []):
            value = extract_values(spec["extractor"], hit.sentence.text, document)
            if value is not None:
                hit.values[spec["name"]] = value
    return hits


def detect_text(text: str, library: Library, language: str, rule_id: str | None = None) -> list[Hit]:
    """Hits in a bare text taken as one clause (the examples of the rules are run this way)."""
    clause = Clause(id="c1", number="", heading="", text=text, kind="clause", page=None, parent=None, level=0)
    engine = engine_for(library, language)
    hits = engine.detect([clause])
    return [h for h in hits if rule_id is None or h.provision == rule_id]

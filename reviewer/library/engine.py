"""Provision detection: rule patterns over the sentences of each clause.

A rule looks only at the sentences that hold one of its ``triggers``. One Aho-Corasick pass finds every
literal the rules' regexes need (``reviewer.library.literals``), so a regex is tried only in sentences
that hold its rarest group of literals, and only where its anchors start. Rules with spaCy ``phrase`` or
``tokens`` patterns run the Matcher and PhraseMatcher of a blank pipeline on their candidate sentences
(Japanese sentence by sentence: SudachiPy refuses inputs over ~49 KB); spaCy loads only for them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reviewer.library import Library, Rule
from reviewer.library.literals import _common, alternatives, anchors, required
from reviewer.model import Clause, Document

DEFAULT_SCOPE = ("clause", "schedule", "heading")  # heading nodes carry the text that follows a bare title
# Sentence ends: a full stop, semicolon or colon followed by space and a capital, an opening bracket, a quote
# or a digit; never after a common abbreviation (checked in code: a look-behind per abbreviation is slow).
# Japanese: 。 and line breaks.
_EN_SENTENCE_END = re.compile(r"[.!?;](?=\s+[\"“(\[A-Z0-9])|\n+")
_ABBREVIATION = re.compile(r"(?:\b(?:Inc|Ltd|Co|Corp|No|Nos|Sec|Art|Mr|Ms|Dr|St|vs|v|al|K\.K|S\.A|N\.V|e\.g|i\.e|U\.S)|"
                           r"\b[A-Z])$")
_JA_SENTENCE_END = re.compile(r"[。！？](?![）)」』])|\n+")  # not at "…を含む。）": the sentence goes on
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


class _Lazy:
    """A regex compiled the first time it is used: most rules never need most of their patterns for a given
    contract, and compiling ~1,400 patterns up front would dominate a single review's start-up."""

    __slots__ = ("source", "flags", "_compiled")

    def __init__(self, source: str, flags: int):
        self.source, self.flags, self._compiled = source, flags, None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return (self._compiled or self.compiled).match(text, pos)

    def search(self, text: str) -> re.Match[str] | None:
        return (self._compiled or self.compiled).search(text)

    def finditer(self, text: str):
        return (self._compiled or self.compiled).finditer(text)


class _Regex(_Lazy):
    """A rule's regex, the literals one of which any match starts with (None: no shortcut), and the groups of
    literals a sentence needs one of from each (see ``required``)."""

    __slots__ = ("anchors", "required")

    def __init__(self, source: str, flags: int, anchors: tuple[str, ...] | None, required: tuple[frozenset[str], ...]):
        super().__init__(source, flags)
        self.anchors, self.required = anchors, required


def _useful_groups(source: str) -> list[frozenset[str]]:
    """The required literal groups worth indexing: a group with a word found in almost every sentence ("the",
    "shall", "agreement") narrows nothing, unless nothing else is known about the pattern."""
    groups = [frozenset(g) for g in required(source)]
    return [g for g in groups if not any(map(_common, g))] or groups


def _regex(source: str, flags: int) -> _Regex:
    found = anchors(source)
    return _Regex(source, flags, tuple(found) if found else None, tuple(_useful_groups(source)))


@dataclass
class _Compiled:
    """One rule's patterns for one language, ready to run."""

    rule: Rule
    triggers: _Lazy | None
    trigger_anchors: frozenset[str] | None  # where the trigger alternatives with literals may start
    # Trigger alternatives without anchors: each searched in the clauses that hold one of its required
    # literals, or over the whole text when it has none.
    trigger_rest: tuple[tuple[_Lazy, frozenset[str] | None], ...]
    heading: _Lazy | None
    regexes: list[_Regex]
    excludes: list[_Regex]
    spacy_keys: bool  # the rule has phrase or token patterns (in the shared matchers)
    spacy_exclude: bool
    scope: tuple[str, ...]


class Engine:
    """All provision rules of a library compiled for one language."""

    def __init__(self, library: Library, language: str):
        self.language = language
        self._spacy: tuple | None = None  # (nlp, Matcher, PhraseMatcher): built when a rule has token or phrase patterns
        self.rules: list[_Compiled] = []
        for rule in library.provisions.values():
            spec = rule.data["match"].get(language)
            if spec is None:
                continue
            self.rules.append(self._compile(rule, spec))
        self.automaton = _automaton(self.rules)
        self._index()

    def _index(self) -> None:
        """Number every regex and map each literal to the regexes and triggers worth trying where it occurs."""
        self.regexes: list[_Regex] = []
        self.trigger_by_anchor: dict[str, list[int]] = {}  # literal -> rules whose trigger may start there
        self.match_ids: list[list[int]] = []
        self.exclude_ids: list[list[int]] = []
        for number, compiled in enumerate(self.rules):
            for ids, regexes in ((self.match_ids, compiled.regexes), (self.exclude_ids, compiled.excludes)):
                ids.append(list(range(len(self.regexes), len(self.regexes) + len(regexes))))
                self.regexes.extend(regexes)
            for literal in compiled.trigger_anchors or ():
                self.trigger_by_anchor.setdefault(literal, []).append(number)
        self.rest_literals = frozenset(a for c in self.rules for _, group in c.trigger_rest for a in (group or ()))
        # Per regex, groups of literals a sentence needs one of (its anchors, its required groups); for each
        # document the group whose literals occur least is the one the sweep goes by.
        self.groups = [((frozenset(r.anchors),) if r.anchors else ()) + r.required for r in self.regexes]

    def _compile(self, rule: Rule, spec: dict) -> _Compiled:
        flags = re.IGNORECASE
        trigger_anchors, trigger_rest = None, ()
        if spec.get("triggers"):
            # Alternatives with literals are tried where those start; the others where what they need occurs.
            anchored: set[str] = set()
            rest: list[tuple[_Lazy, frozenset[str] | None]] = []
            for part in alternatives(spec["triggers"]):
                found = anchors(part)
                if found is None:
                    best = max(_useful_groups(part), key=lambda g: min(map(len, g)), default=None)
                    rest.append((_Lazy(part, flags), best))
                else:
                    anchored.update(found)
            trigger_anchors, trigger_rest = frozenset(anchored), tuple(rest)
        regexes, excludes = [], []
        spacy_keys = spacy_exclude = False
        for kind, patterns in (("match", spec["patterns"]), ("exclude", spec.get("exclude", []))):
            for i, pattern in enumerate(patterns):
                key = f"{rule.id}|{kind}"
                if "regex" in pattern:
                    (regexes if kind == "match" else excludes).append(_regex(pattern["regex"], flags))
                elif "phrase" in pattern:
                    nlp_, _, phrases = self.spacy()
                    phrases.add(key, [nlp_.make_doc(pattern["phrase"])])
                elif "tokens" in pattern:
                    self.spacy()[1].add(f"{key}|{i}", [pattern["tokens"]])
                if "regex" not in pattern:
                    spacy_keys |= kind == "match"
                    spacy_exclude |= kind == "exclude"
        return _Compiled(
            rule=rule,
            triggers=_Lazy(spec["triggers"], flags) if spec.get("triggers") else None,
            trigger_anchors=trigger_anchors,
            trigger_rest=trigger_rest,
            heading=_Lazy(spec["heading"], flags) if spec.get("heading") else None,
            regexes=regexes,
            excludes=excludes,
            spacy_keys=spacy_keys,
            spacy_exclude=spacy_exclude,
            scope=tuple(spec.get("scope", DEFAULT_SCOPE)),
        )

    def spacy(self) -> tuple:
        """The blank spaCy pipeline and its Matcher and PhraseMatcher for this language, made on first use.

        Only rules with ``phrase`` or ``tokens`` patterns need them; a library of regex rules never loads spaCy
        (SudachiPy's dictionary included), which keeps a review's start-up short.
        """
        if self._spacy is None:
            from spacy.matcher import Matcher, PhraseMatcher

            pipeline = nlp(self.language)
            self._spacy = (pipeline, Matcher(pipeline.vocab), PhraseMatcher(pipeline.vocab, attr="LOWER"))
        return self._spacy

    def _spacy_labels(self, text: str, cache: dict[str, set[str]]) -> set[str]:
        """The "rule|match" / "rule|exclude" labels the spaCy matchers find in a sentence (cached)."""
        labels = cache.get(text)
        if labels is None:
            pipeline, matcher, phrases = self.spacy()
            doc = pipeline(text)
            strings = pipeline.vocab.strings
            labels = {strings[m_id] for m_id, _, _ in phrases(doc)} if len(phrases) else set()
            if len(matcher):
                labels |= {strings[m_id].rsplit("|", 1)[0] for m_id, _, _ in matcher(doc)}
            cache[text] = labels
        return labels

    def sentence_hits(self, compiled: _Compiled, sentence: str, cache: dict[str, set[str]]) -> bool:
        """Whether one sentence is a hit for a rule with spaCy patterns (triggers already checked)."""
        matched = any(r.search(sentence) for r in compiled.regexes)
        if not matched and compiled.spacy_keys:
            matched = f"{compiled.rule.id}|match" in self._spacy_labels(sentence, cache)
        if not matched:
            return False
        if any(r.search(sentence) for r in compiled.excludes):
            return False
        if compiled.spacy_exclude and f"{compiled.rule.id}|exclude" in self._spacy_labels(sentence, cache):
            return False
        return True

    def detect(self, clauses: list[Clause]) -> list[Hit]:
        """Every hit of every rule in these clauses, in document order per rule.

        One Aho-Corasick pass gives where every literal of every rule occurs; one sweep over those places,
        sentence by sentence, tries each regex and trigger only where its literal is, for all rules at once.
        A rule then hits the sentences that hold one of its triggers and one of its patterns and none of its
        exclusions; set operations, no per-rule scan of the text.
        """
        doc = _Text([c for c in clauses if c.text and c.kind != "commentary"], self.language, self.automaton)
        sweep = _Sweep(self, doc)
        hits: list[Hit] = []
        cache: dict[str, set[str]] = {}
        for number, compiled in enumerate(self.rules):
            candidates = sweep.candidates(number, compiled)
            if not candidates:
                continue
            if compiled.spacy_keys or compiled.spacy_exclude:
                found = {k for k in candidates if self.sentence_hits(compiled, sweep.texts[k], cache)}
            else:
                found = set()
                remaining = candidates
                for rid in self.match_ids[number]:  # a sentence one pattern matched needs no other
                    got = sweep.matches(rid, remaining)
                    if got:
                        found |= got
                        remaining = remaining - got
                for rid in self.exclude_ids[number]:
                    found -= sweep.matches(rid, found)
            if compiled.heading is not None:  # a clause titled for the rule counts when a trigger is in its text
                with_hits = {sweep.clause[k] for k in found}
                for k in sorted(candidates):
                    i = sweep.clause[k]
                    if i in with_hits:
                        continue
                    with_hits.add(i)  # only the clause's first candidate sentence is considered
                    if compiled.heading.search(doc.clauses[i].heading) and not any(
                            sweep.matches(rid, {k}) for rid in self.exclude_ids[number]):
                        found.add(k)
            hits.extend(Hit(compiled.rule.id, sweep.sentences[k]) for k in sorted(found))
        return hits


_FEW = 8  # candidate sentences below which checking each one beats working out where a regex could match


class _Sweep:
    """Which regexes match which sentences of one document, found by walking the literal occurrences once."""

    def __init__(self, engine: Engine, doc: _Text):
        self.engine = engine
        self.doc = doc
        self.sentences: list[Sentence] = []
        self.clause: list[int] = []  # sentence index -> clause index
        self.starts: list[int] = []  # document offsets
        self.ends: list[int] = []
        for i, clause in enumerate(doc.clauses):
            base = doc.starts[i]
            for sentence in sentences(clause, doc.language):
                self.sentences.append(sentence)
                self.clause.append(i)
                self.starts.append(base + sentence.start)
                self.ends.append(base + sentence.end)
        self.texts = [s.text for s in self.sentences]
        self.holding: dict[str, set[int]] = {}  # literal -> sentences that hold it
        self.present: list[dict[str, list[int]]] = [{} for _ in self.starts]  # per sentence: literal -> offsets
        self._possible: dict[int, set[int]] = {}
        self._in_scope: dict[tuple[str, ...], set[int]] = {}  # a rule's scope -> the sentences of clauses in it
        self.triggered: dict[int, set[int]] = {}  # rule number -> sentences where one of its triggers starts
        self.loose: dict[str, set[int]] = {}  # literal -> clauses where it occurs outside any sentence
        if doc.automaton is not None:
            self._walk(doc.automaton, doc.lower)
        for number, compiled in enumerate(engine.rules):  # triggers without anchors
            if compiled.triggers is None or not (compiled.trigger_rest or doc.automaton is None):
                continue
            found = self.triggered.setdefault(number, set())
            scans = [(compiled.triggers, None)] if doc.automaton is None else compiled.trigger_rest
            for pattern, literals in scans:
                if literals is None:  # nothing to go by: the whole text
                    self._add_starts(found, (m.start() for m in pattern.finditer(doc.text)))
                    continue
                clauses = {self.clause[k] for literal in literals for k in self.holding.get(literal, ())}
                clauses.update(i for literal in literals for i in self.loose.get(literal, ()))
                for i in sorted(clauses):  # a match needs one of the literals, in its own clause
                    base = doc.starts[i]
                    self._add_starts(found, (base + m.start() for m in pattern.finditer(doc.clauses[i].text)))

    def _add_starts(self, found: set[int], starts) -> None:
        """Add the sentences in which these document offsets lie."""
        for at in starts:
            k = bisect_right(self.starts, at) - 1
            if k >= 0 and at < self.ends[k]:
                found.add(k)

    def _walk(self, automaton, lower: str) -> None:
        """One Aho-Corasick pass over the document: which sentences hold each literal (and where), and where
        triggers match. Occurrences come in the order they end; each finds its sentence by bisection."""
        engine, doc = self.engine, self.doc
        trigger_by_anchor, rules, rest_literals = engine.trigger_by_anchor, engine.rules, engine.rest_literals
        starts, ends, clause_of = self.starts, self.ends, self.clause
        holding, triggered, present = self.holding, self.triggered, self.present
        for end, (back, literal) in automaton.iter(lower):
            at = end - back
            k = bisect_right(starts, at) - 1
            if k < 0 or at >= ends[k]:  # between sentences; a trigger may still start here ("  no right")
                if literal in rest_literals:
                    self.loose.setdefault(literal, set()).add(bisect_right(doc.starts, at) - 1)
                continue
            found = holding.get(literal)
            if found is None:
                holding[literal] = {k}
            else:
                found.add(k)
            here = present[k]
            if literal in here:
                here[literal].append(at)
            else:
                here[literal] = [at]
            for number in trigger_by_anchor.get(literal, ()):
                done = triggered.get(number)
                if done is None or k not in done:
                    i = clause_of[k]
                    if rules[number].triggers.match(doc.clauses[i].text, at - doc.starts[i]):
                        triggered.setdefault(number, set()).add(k)

    def _matches_sentence(self, rid: int, k: int) -> bool:
        """Whether regex ``rid`` matches sentence ``k``: tried only where its anchors are, if it has any."""
        regex = self.engine.regexes[rid]
        if self.doc.automaton is None:
            return regex.search(self.texts[k]) is not None
        base = self.starts[k]
        present = self.present[k]
        if not all(not group.isdisjoint(present) for group in regex.required):
            return False
        text = self.texts[k]
        if regex.anchors is None:
            return regex.search(text) is not None
        match = regex.compiled.match
        return any(match(text, at - base) for literal in present.keys() & regex.anchors for at in present[literal])

    def candidates(self, number: int, compiled: _Compiled) -> set[int]:
        """The sentences a rule looks at: those holding one of its triggers, in clauses of its scope."""
        in_scope = self._in_scope.get(compiled.scope)
        if in_scope is None:
            clauses, clause_of = self.doc.clauses, self.clause
            in_scope = self._in_scope[compiled.scope] = {
                k for k in range(len(self.sentences)) if clauses[clause_of[k]].kind in compiled.scope}
        if compiled.triggers is None:
            return set(in_scope)
        return in_scope.intersection(self.triggered.get(number, ()))

    def matches(self, rid: int, among: set[int]) -> set[int]:
        """The sentences among ``among`` that regex ``rid`` matches."""
        if not among:
            return set()
        groups = self.engine.groups[rid]
        if groups and len(among) > _FEW and self.doc.automaton is not None:
            possible = self._possible.get(rid)
            if possible is None:  # the group whose literals are in the fewest sentences: only those can match
                holding, empty = self.holding, frozenset()
                best = min(groups, key=lambda group: sum(len(holding.get(literal, empty)) for literal in group))
                possible = self._possible[rid] = set().union(*(holding.get(literal, empty) for literal in best))
            among = among & possible
        test = self._matches_sentence
        return {k for k in among if test(rid, k)}


class _Text:
    """The usable clauses of one document as one text (and lower-cased, for the literal index)."""

    def __init__(self, clauses: list[Clause], language: str, automaton):
        self.clauses = clauses
        self.language = language
        self.starts: list[int] = []
        position = 0
        for clause in clauses:
            self.starts.append(position)
            position += len(clause.text) + len(_SEPARATOR)
        self.text = _SEPARATOR.join(c.text for c in clauses)
        lower = self.text.lower()
        if len(lower) != len(self.text):  # "İ" lower-cases to two characters: keep offsets aligned
            lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.text)
        self.lower = lower
        self.automaton = automaton  # None: no literal to index (every regex is searched)


def _automaton(rules: list[_Compiled]):
    """One Aho-Corasick automaton over every anchor literal of every rule (pyahocorasick)."""
    import ahocorasick

    literals = {a for c in rules for a in (c.trigger_anchors or ())}
    literals |= {a for c in rules for _, group in c.trigger_rest for a in (group or ())}
    for c in rules:
        for r in c.regexes + c.excludes:
            literals.update(r.anchors or ())
            literals.update(literal for group in r.required for literal in group)
    if not literals:
        return None
    automaton = ahocorasick.Automaton()
    for literal in literals:
        automaton.add_word(literal, (len(literal) - 1, literal))
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

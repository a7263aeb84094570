"""Provision detection: rule patterns over the sentences of each clause.

A rule looks only at the sentences that hold one of its ``triggers``. One Aho-Corasick pass finds every
literal the rules' regexes need (``reviewer.library.literals``); bit matrices (numpy) then give, for all rules
at once, the sentences where a trigger may start and where, for one of the rule's regexes, a literal of each
group it needs occurs. Only there is a trigger confirmed and a regex tried, and an anchored regex only where
its anchors start. Rules with spaCy ``phrase`` or ``tokens`` patterns run the Matcher and PhraseMatcher of a
blank pipeline on their candidate sentences (Japanese sentence by sentence: SudachiPy refuses inputs over
~49 KB); spaCy loads only for them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any, NamedTuple

import numpy as np

from reviewer.library import Library, Rule
from reviewer.library.literals import _common, alternatives, pattern_literals
from reviewer.model import Clause, Document

DEFAULT_SCOPE = ("clause", "schedule", "heading")  # heading nodes carry the text that follows a bare title
# Sentence ends: a full stop, semicolon or colon followed by space and a capital, an opening bracket, a quote
# or a digit; never after a common abbreviation (checked in code: a look-behind per abbreviation is slow).
# Japanese: 。 and line breaks. Each pattern starts with one character class (a run of line breaks is the rest
# of the match), so that the regex engine skips ahead to the next candidate character instead of trying every
# position: 3-4x faster than "[.!?;](?=...)|\n+".
_EN_SENTENCE_END = re.compile(r"[.!?;\n](?:(?<=\n)\n*|(?=\s+[\"“(\[A-Z0-9]))")
_ABBREVIATION = re.compile(r"(?:\b(?:Inc|Ltd|Co|Corp|No|Nos|Sec|Art|Mr|Ms|Dr|St|vs|v|al|K\.K|S\.A|N\.V|e\.g|i\.e|U\.S)|"
                           r"\b[A-Z])$")
_JA_SENTENCE_END = re.compile(r"[。！？\n](?:(?<=\n)\n*|(?![）)」』]))")  # not at "…を含む。）": it goes on
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

    def search(self, text: str) -> re.Match[str] | None:
        return (self._compiled or self.compiled).search(text)

    def finditer(self, text: str):
        return (self._compiled or self.compiled).finditer(text)


class _Regex(_Lazy):
    """A rule's regex, the literals one of which any match starts with (None: no shortcut), the groups of
    literals a sentence needs one of from each, and, without anchors worth indexing, short
    ones to look for in a candidate sentence (see ``reviewer.library.literals``)."""

    __slots__ = ("anchors", "required", "short")

    def __init__(self, source: str, flags: int, anchors: tuple[str, ...] | None, required: tuple[frozenset[str], ...],
                 short: tuple[str, ...] | None = None):
        super().__init__(source, flags)
        self.anchors, self.required, self.short = anchors, required, short


def _useful_groups(required: list[tuple[str, ...]]) -> list[frozenset[str]]:
    """The required literal groups worth indexing: a group with a word found in almost every sentence ("the",
    "shall", "agreement") narrows nothing, unless nothing else is known about the pattern."""
    groups = [frozenset(g) for g in required]
    return [g for g in groups if not any(map(_common, g))] or groups


def _regex(source: str, flags: int) -> _Regex:
    found, required, short = pattern_literals(source)
    return _Regex(source, flags, tuple(found) if found else None, tuple(_useful_groups(required)),
                  tuple(short) if short else None)


class _Rest(NamedTuple):
    """A trigger alternative without anchors worth indexing."""

    pattern: _Lazy
    gate: frozenset[str] | None  # literals one of which its clause must hold (None: any clause)
    short: tuple[str, ...] | None  # short anchors, looked for in the sentence (None: searched clause by clause)


@dataclass
class _Compiled:
    """One rule's patterns for one language, ready to run."""

    rule: Rule
    triggers: _Lazy | None
    trigger_anchors: frozenset[str] | None  # where the trigger alternatives with literals may start
    # Trigger alternatives without anchors: each tried in the clauses that hold one of its required literals
    # (in any clause when it has none).
    trigger_rest: tuple[_Rest, ...]
    heading: _Lazy | None
    regexes: list[_Regex]
    excludes: list[_Regex]
    spacy_keys: bool  # the rule has phrase or token patterns (in the shared matchers)
    spacy_exclude: bool
    scope: tuple[str, ...]


def _starts(lists: list[list[int]]) -> np.ndarray:
    """Where each list starts in their concatenation (for numpy's ``reduceat``); every list is non-empty."""
    out, at = [], 0
    for items in lists:
        out.append(at)
        at += len(items)
    return np.array(out, dtype=np.intp)


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
        self.automaton, self.literals = _automaton(self.rules)
        self._index()

    def _index(self) -> None:
        """Number every regex, and the groups of literals that regexes and triggers need, for the sweep."""
        self.regexes: list[_Regex] = []
        self.match_ids: list[list[int]] = []
        self.exclude_ids: list[list[int]] = []
        for compiled in self.rules:
            for ids, regexes in ((self.match_ids, compiled.regexes), (self.exclude_ids, compiled.excludes)):
                ids.append(list(range(len(self.regexes), len(self.regexes) + len(regexes))))
                self.regexes.extend(regexes)
        rest_literals = {a for c in self.rules for rest in c.trigger_rest for a in (rest.gate or ())}
        # For the sweep, by literal id (the automaton's values): each literal's length less one; whether an
        # unanchored trigger alternative goes by it.
        self.backs = np.array([len(literal) - 1 for literal in self.literals], dtype=np.int64)
        self.is_rest = np.array([literal in rest_literals for literal in self.literals], dtype=bool)
        literal_id = {literal: i for i, literal in enumerate(self.literals)}
        # Groups of literals a sentence needs one of: per regex its anchors and its required groups, per rule its
        # trigger literals. Each distinct group is numbered; the sweep unions its literals' sentences at once.
        groups: dict[frozenset[str], int] = {}

        def number_of(group: frozenset[str]) -> int:
            return groups.setdefault(group, len(groups))

        regex_groups = [[number_of(g) for g in ((frozenset(r.anchors),) if r.anchors else ()) + r.required]
                        for r in self.regexes]
        self.trigger_group = [number_of(c.trigger_anchors) if c.trigger_anchors else -1 for c in self.rules]
        members = [[literal_id[literal] for literal in group] for group in groups]
        self.group_members = np.array([i for m in members for i in m], dtype=np.intp)
        self.group_starts = _starts(members)
        # Rows of the per-document "possible" matrix: one per regex with groups (-1: none, any sentence may match).
        self.grouped = [rid for rid, g in enumerate(regex_groups) if g]
        self.regex_row = [-1] * len(self.regexes)
        for row, rid in enumerate(self.grouped):
            self.regex_row[rid] = row
        self.regex_group_flat = np.array([g for rid in self.grouped for g in regex_groups[rid]], dtype=np.intp)
        self.regex_group_starts = _starts([regex_groups[rid] for rid in self.grouped])
        # Per rule, the rows of its match regexes (len(grouped): "any sentence", for a regex without groups or a
        # rule with spaCy patterns, whose sentences are all tried).
        rows = [[self.regex_row[rid] if self.regex_row[rid] >= 0 else len(self.grouped) for rid in ids]
                if ids and not (c.spacy_keys or c.spacy_exclude) else [len(self.grouped)]
                for ids, c in zip(self.match_ids, self.rules, strict=True)]
        self.rule_rows = np.array([r for rs in rows for r in rs], dtype=np.intp)
        self.rule_row_starts = _starts(rows)
        self.scopes = sorted({c.scope for c in self.rules})
        self.rule_scope = np.array([self.scopes.index(c.scope) for c in self.rules], dtype=np.intp)

    def _compile(self, rule: Rule, spec: dict) -> _Compiled:
        flags = re.IGNORECASE
        trigger_anchors, trigger_rest = None, ()
        if spec.get("triggers"):
            # Alternatives with literals are tried where those start; the others where what they need occurs.
            anchored: set[str] = set()
            rest: list[_Rest] = []
            for part in alternatives(spec["triggers"]):
                found, required, short = pattern_literals(part)
                if found is None:
                    best = max(_useful_groups(required), key=lambda g: min(map(len, g)), default=None)
                    rest.append(_Rest(_Lazy(part, flags), best, tuple(short) if short else None))
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

        One Aho-Corasick pass gives which sentences hold each literal of each rule; bit matrices then give, for
        all rules at once, the sentences of each rule's scope that hold one of its trigger literals and, for one
        of its regexes, a literal of each group that regex needs. Only there is the trigger confirmed and each
        regex tried, an anchored one only where its anchors start. A hit is a sentence with a trigger, a pattern
        and no exclusion.
        """
        doc = _Text([c for c in clauses if c.text and c.kind != "commentary"], self.language, self.automaton)
        sweep = _Sweep(self, doc)
        if not sweep.sentences:
            return []
        hits: list[Hit] = []
        cache: dict[str, set[str]] = {}
        for number, compiled in enumerate(self.rules):  # sets of sentences are ints: bit k is sentence k
            pool = sweep.pool(number)
            if not pool and compiled.heading is None:
                continue
            if compiled.spacy_keys or compiled.spacy_exclude:
                found = _bits(k for k in _indices(sweep.confirm(number, compiled, pool))
                              if self.sentence_hits(compiled, sweep.texts[k], cache))
            else:
                found = 0
                remaining = sweep.confirm(number, compiled, pool)
                for rid in self.match_ids[number]:  # a sentence one pattern matched needs no other
                    if not remaining:
                        break
                    got = sweep.matches(rid, remaining)
                    found |= got
                    remaining &= ~got
                for rid in self.exclude_ids[number]:
                    if found:
                        found &= ~sweep.matches(rid, found)
            if compiled.heading is not None:  # a clause titled for the rule counts when a trigger is in its text
                with_hits = {sweep.clause[k] for k in _indices(found)}
                for k in sweep.candidates(number):
                    i = sweep.clause[k]
                    if i in with_hits:
                        continue
                    if not compiled.heading.search(doc.clauses[i].heading):
                        with_hits.add(i)
                    elif sweep.confirm(number, compiled, 1 << k):
                        with_hits.add(i)  # only the clause's first sentence with a trigger is considered
                        if not any(sweep.matches(rid, 1 << k) for rid in self.exclude_ids[number]):
                            found |= 1 << k
            hits.extend(Hit(compiled.rule.id, sweep.sentences[k]) for k in _indices(found))
        return hits


class _Sweep:
    """Which sentences of one document hold which literals, and which rules' triggers and regexes match them.

    Sets of sentences are bit rows (numpy, one bit per sentence) while all rules are worked out together, and
    Python ints (bit k: sentence k) where one rule or regex is tried sentence by sentence.
    """

    def __init__(self, engine: Engine, doc: _Text):
        self.engine = engine
        self.doc = doc
        self.sentences: list[Sentence] = []
        self.clause: list[int] = []  # sentence index -> clause index
        self.starts: list[int] = []  # document offsets
        self.ends: list[int] = []
        self.first: list[int] = []  # clause index -> its first sentence (and one past the last, at the end)
        for i, clause in enumerate(doc.clauses):
            base = doc.starts[i]
            self.first.append(len(self.sentences))
            for sentence in sentences(clause, doc.language):
                self.sentences.append(sentence)
                self.clause.append(i)
                self.starts.append(base + sentence.start)
                self.ends.append(base + sentence.end)
        self.first.append(len(self.sentences))
        self.texts = [s.text for s in self.sentences]
        self.loose: dict[str, set[int]] = {}  # literal -> clauses where it occurs outside any sentence
        self._bits: dict[str, int] = {}  # literal -> sentences where it starts
        self._regex_bits: dict[int, int | None] = {}  # regex -> sentences holding a literal of each of its groups
        self._rest: dict[tuple[int, int], set[int]] = {}  # (rule, clause) -> sentences where an unanchored
        # trigger alternative starts
        self._pools: list[int] = [0] * len(engine.rules)
        self._confirmed: dict[int, tuple[int, int]] = {}  # rule -> sentences its trigger was found in, and not
        self._candidates: dict[int, list[int]] = {}
        self._holding_clauses: dict[frozenset[str], set[int]] = {}
        if self.sentences:
            self._plan(doc.automaton is not None)

    def _plan(self, indexed: bool) -> None:
        """Every rule's sentences to try: in its scope, holding a literal of one of its trigger alternatives
        and, for one of its regexes, a literal of each group the regex needs."""
        engine, n = self.engine, len(self.sentences)
        width = (n + 7) // 8
        every = np.packbits(np.ones(n, dtype=bool), bitorder="little")
        kinds = [self.doc.clauses[i].kind for i in self.clause]
        scope_rows = np.array([np.packbits(np.array([kind in scope for kind in kinds]), bitorder="little")
                               for scope in engine.scopes]).reshape(len(engine.scopes), width)
        in_scope = scope_rows[engine.rule_scope]
        if not indexed:  # no literal index: every sentence in scope, the trigger checked in each
            self._rows = None
            triggers = np.broadcast_to(every, in_scope.shape)
            pools = in_scope
        else:
            literal_rows = self._walk(self.doc.automaton, self.doc.lower, n)
            groups = np.bitwise_or.reduceat(literal_rows[engine.group_members], engine.group_starts, axis=0)
            self._rows = (np.bitwise_and.reduceat(groups[engine.regex_group_flat], engine.regex_group_starts, axis=0)
                          if engine.grouped else np.zeros((0, width), dtype=np.uint8))
            possible = np.vstack([self._rows, every])
            by_rule = np.bitwise_or.reduceat(possible[engine.rule_rows], engine.rule_row_starts, axis=0)
            triggers = np.zeros_like(in_scope)
            for number, compiled in enumerate(engine.rules):
                if compiled.triggers is None:
                    triggers[number] = every
                    continue
                if engine.trigger_group[number] >= 0:
                    triggers[number] = groups[engine.trigger_group[number]]
                for rest in compiled.trigger_rest:
                    literals = rest.gate
                    if literals is None:  # nothing to go by: every sentence
                        triggers[number] = every
                        break
                    extra = np.zeros(n, dtype=bool)
                    for i in self._clauses_holding(literals):
                        extra[self.first[i]:self.first[i + 1]] = True
                    triggers[number] |= np.packbits(extra, bitorder="little")
            pools = in_scope & triggers & by_rule
        self._pools = [int.from_bytes(row.tobytes(), "little") for row in pools]
        self._scoped_triggers = in_scope & triggers

    def _walk(self, automaton, lower: str, n: int) -> np.ndarray:
        """One Aho-Corasick pass over the document: a bit row per literal, the sentences where it starts.
        numpy places every occurrence in its sentence at once."""
        engine, literals = self.engine, self.engine.literals
        found = np.fromiter(chain.from_iterable(automaton.iter(lower)), dtype=np.int64)
        ids = found[1::2]
        at = found[0::2] - engine.backs[ids]  # where each occurrence starts
        k = np.searchsorted(np.asarray(self.starts), at, side="right") - 1
        inside = (k >= 0) & (at < np.asarray(self.ends)[np.maximum(k, 0)])
        loose = ~inside & engine.is_rest[ids]  # between sentences; a trigger may still start here ("  no right")
        if loose.any():
            clause_of = np.searchsorted(np.asarray(self.doc.starts), at[loose], side="right") - 1
            for literal_id, i in set(zip(ids[loose].tolist(), clause_of.tolist(), strict=True)):
                self.loose.setdefault(literals[literal_id], set()).add(i)
        ids, k = ids[inside], k[inside]
        rows = np.zeros((len(literals), (n + 7) // 8), dtype=np.uint8)
        np.bitwise_or.at(rows, (ids, k >> 3), np.left_shift(1, k & 7).astype(np.uint8))
        for literal_id in np.flatnonzero(rows.any(axis=1)).tolist():
            self._bits[literals[literal_id]] = int.from_bytes(rows[literal_id].tobytes(), "little")
        return rows

    def _clauses_holding(self, literals: frozenset[str]) -> set[int]:
        """The clauses where one of these literals occurs, in a sentence or between two (cached)."""
        held = self._holding_clauses.get(literals)
        if held is None:
            held = self._holding_clauses[literals] = set()
            for literal in literals:
                held.update(self.clause[k] for k in _indices(self._bits.get(literal, 0)))
                held.update(self.loose.get(literal, ()))
        return held

    def pool(self, number: int) -> int:
        """The sentences worth trying for rule ``number``."""
        return self._pools[number]

    def candidates(self, number: int) -> list[int]:
        """The sentences of a rule's scope where its trigger may start (``trigger`` confirms it), in order."""
        got = self._candidates.get(number)
        if got is None:
            row = np.unpackbits(self._scoped_triggers[number], count=len(self.sentences), bitorder="little")
            got = self._candidates[number] = np.flatnonzero(row).tolist()
        return got

    def confirm(self, number: int, compiled: _Compiled, among: int) -> int:
        """The sentences among ``among`` where one of the rule's triggers starts (remembered per rule)."""
        if compiled.triggers is None:
            return among
        yes, no = self._confirmed.get(number, (0, 0))
        todo = among & ~yes & ~no
        if todo:
            got = 0
            doc, lower, clause_of, starts, ends = self.doc, self.doc.lower, self.clause, self.starts, self.ends
            if doc.automaton is None:  # no literal index: the whole trigger, clause by clause
                whole = [_Rest(compiled.triggers, None, None)]
                got = _bits(k for k in _indices(todo) if k in self._rest_starts(number, clause_of[k], whole))
            else:
                match, bits = compiled.triggers.compiled.match, self._bits
                for anchor in compiled.trigger_anchors or ():  # tried where its literals start in the sentence
                    held = bits.get(anchor, 0) & todo & ~got
                    for k in _indices(held):
                        i = clause_of[k]  # on the clause's text: the match may run on past the sentence
                        if _matches_at(match, anchor, lower, starts[k], ends[k], doc.clauses[i].text, doc.starts[i]):
                            got |= 1 << k
                if compiled.trigger_rest:
                    got |= _bits(k for k in _indices(todo & ~got) if self._rest_triggered(number, compiled, k))
            yes, no = yes | got, no | (todo & ~got)
            self._confirmed[number] = (yes, no)
        return among & yes

    def _rest_triggered(self, number: int, compiled: _Compiled, k: int) -> bool:
        """Whether one of a rule's unanchored trigger alternatives starts in sentence ``k``."""
        i, doc = self.clause[k], self.doc
        text, base, start, end = doc.clauses[i].text, doc.starts[i], self.starts[k], self.ends[k]
        searched = []
        for rest in compiled.trigger_rest:
            if rest.gate is not None and i not in self._clauses_holding(rest.gate):
                continue  # a match needs one of these literals, in its own clause
            if rest.short is None:
                searched.append(rest)
                continue
            match = rest.pattern.compiled.match
            if any(_matches_at(match, anchor, doc.lower, start, end, text, base) for anchor in rest.short):
                return True
        return bool(searched) and k in self._rest_starts(number, i, searched)

    def _rest_starts(self, number: int, i: int, patterns: list[_Rest]) -> set[int]:
        """The sentences of clause ``i`` where one of these unanchored trigger alternatives of a rule starts (the
        alternatives are the same for every call with the same rule)."""
        found = self._rest.get((number, i))
        if found is None:
            found = self._rest[(number, i)] = set()
            base = self.doc.starts[i]
            for rest in patterns:
                for m in rest.pattern.finditer(self.doc.clauses[i].text):
                    at = base + m.start()
                    k = bisect_right(self.starts, at) - 1
                    if k >= 0 and at < self.ends[k]:
                        found.add(k)
        return found

    def matches(self, rid: int, among: int) -> int:
        """The sentences among ``among`` that regex ``rid`` matches: only those holding a literal of each of
        its groups are tried, and an anchored regex only where its anchors start."""
        if not among:
            return 0
        regex, texts = self.engine.regexes[rid], self.texts
        if self.doc.automaton is None:
            return _bits(k for k in _indices(among) if regex.search(texts[k]))
        possible = self._possible(rid)
        if possible is not None:
            among &= possible
            if not among:
                return 0
        match, lower, starts, ends = regex.compiled.match, self.doc.lower, self.starts, self.ends
        if regex.anchors is None:
            if regex.short is None:
                search = regex.compiled.search
                return _bits(k for k in _indices(among) if search(texts[k]))
            anchors, bits = regex.short, None  # short anchors: looked for in every sentence
        else:
            anchors, bits = regex.anchors, self._bits
        found = 0
        for anchor in anchors:
            held = among & ~found if bits is None else bits.get(anchor, 0) & among & ~found
            for k in _indices(held):
                if _matches_at(match, anchor, lower, starts[k], ends[k], texts[k], starts[k], within=True):
                    found |= 1 << k
        return found

    def _possible(self, rid: int) -> int | None:
        """The sentences holding a literal of each of a regex's groups, as an int (None: it has no groups)."""
        if rid in self._regex_bits:
            return self._regex_bits[rid]
        row = self.engine.regex_row[rid]
        bits = None if row < 0 else int.from_bytes(self._rows[row].tobytes(), "little")
        self._regex_bits[rid] = bits
        return bits


def _matches_at(match, anchor: str, lower: str, start: int, end: int, text: str, base: int,
                within: bool = False) -> bool:
    """Whether ``match`` (a compiled regex's) succeeds on ``text`` where ``anchor`` starts in the document's
    lower-cased text between ``start`` and ``end``; ``text`` begins at document offset ``base``. ``within``:
    the anchor must end inside, as ``text`` is the sentence itself (else it may run on into the clause)."""
    stop = end if within else end + len(anchor) - 1
    at = lower.find(anchor, start, stop)
    while at >= 0 and not match(text, at - base):
        at = lower.find(anchor, at + 1, stop)
    return at >= 0


def _indices(bits: int) -> list[int]:
    """The positions of the set bits of an int, in order."""
    if bits.bit_count() > 8:
        data = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), dtype=np.uint8)
        return np.flatnonzero(np.unpackbits(data, bitorder="little")).tolist()
    out = []
    while bits:
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out


def _bits(indices) -> int:
    """An int with these bits set."""
    out = 0
    for k in indices:
        out |= 1 << k
    return out


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
    """One Aho-Corasick automaton over every anchor literal of every rule (pyahocorasick), and the literals in
    the order of their ids."""
    import ahocorasick

    literals = {a for c in rules for a in (c.trigger_anchors or ())}
    literals |= {a for c in rules for rest in c.trigger_rest for a in (rest.gate or ())}
    for c in rules:
        for r in c.regexes + c.excludes:
            literals.update(r.anchors or ())
            literals.update(literal for group in r.required for literal in group)
    if not literals:
        return None, []
    ordered = sorted(literals)
    automaton = ahocorasick.Automaton()
    for number, literal in enumerate(ordered):
        automaton.add_word(literal, number)  # occurrences come as (end offset, literal id)
    automaton.make_automaton()
    return automaton, ordered


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

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

    ``\\bsurviv|\\bremain|存続`` -> ["surviv", "remain", "存続"]; ``\\bth(?:is|at)\\b`` -> ["this", "that"].
    One Aho-Corasick pass over the document finds where these start, and the regex is tried only there.
    None when some match could start otherwise, or with a literal too common to narrow anything ("th").
    """
    import re._constants as C  # the stdlib's own regex parser: no second regex dialect to maintain
    import re._parser as P

    def char(op, av) -> str | None:
        if op is C.LITERAL:
            return chr(av).lower()
        if op is C.IN and av and all(o is C.LITERAL for o, _ in av) and len({chr(v).lower() for _, v in av}) == 1:
            return chr(av[0][1]).lower()  # [Ll] under IGNORECASE is one letter
        return None

    def of_sequence(items) -> list[str] | None:
        literal: list[str] = []
        for index, (op, av) in enumerate(items):
            if not literal and (op is C.AT or op in (C.ASSERT, C.ASSERT_NOT)):
                continue  # zero-width at the start: \b, (?<!non-), (?=...) do not move where a match starts
            c = char(op, av)
            if c is not None:
                literal.append(c)
                continue
            if literal:  # a literal prefix, then more: "th" + (?:is|at) gives "this", "that" when it can
                prefix = "".join(literal)
                rest = of_sequence(list(items[index:]))
                if rest is not None and len(rest) <= _MAX_ANCHORS:
                    return [prefix + r for r in rest]
                return [prefix] if len(prefix) >= 2 or prefix in _SIGNS else None
            if op is C.BRANCH or (op is C.IN and av and all(o is C.LITERAL for o, _ in av)):
                alternatives = av[1] if op is C.BRANCH else [[(C.LITERAL, v)] for _, v in av]
                out: list[str] = []
                for alternative in alternatives:
                    found = of_sequence(list(alternative) + list(items[index + 1:]))
                    if found is None or len(out) + len(found) > _MAX_ANCHORS:
                        return None
                    out.extend(found)
                return list(dict.fromkeys(out))
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
        return ["".join(literal)] if len(literal) >= 2 or "".join(literal) in _SIGNS else None

    try:
        found = of_sequence(list(P.parse(pattern, re.IGNORECASE)))
    except Exception:  # an exotic pattern: no shortcut, the regex runs on everything
        return None
    return found if found and all(map(_selective, found)) else None


_MAX_ANCHORS = 64


def _selective(literal: str) -> bool:
    """Whether a literal is rare enough to be worth indexing: three letters, two kana/kanji, or a sign like %."""
    return len(literal) >= 3 or (len(literal) == 2 and not literal.isascii()) or literal in _SIGNS


_SIGNS = frozenset("%％$€£¥￥§")


def required(pattern: str) -> list[tuple[str, ...]]:
    """Groups of literals (lower-cased) such that every match of ``pattern`` contains one literal of each group.

    ``^(?=.*\\b(?:information|know-?how))(?=.*\\bshall)`` -> [("information", "know"), ("shall",)]. A sentence
    lacking every literal of some group cannot match, so the regex is not run on it. Patterns with nothing
    required give ``[]`` (always run).
    """
    import re._constants as C
    import re._parser as P

    def char(op, av) -> str | None:
        if op is C.LITERAL:
            return chr(av).lower()
        if op is C.IN and av and all(o is C.LITERAL for o, _ in av) and len({chr(v).lower() for _, v in av}) == 1:
            return chr(av[0][1]).lower()
        return None

    def best(groups: list[tuple[str, ...]]) -> tuple[str, ...] | None:
        return max(groups, key=lambda g: (min(map(len, g)), -len(g)), default=None)

    def of_sequence(items) -> list[tuple[str, ...]]:
        groups: list[tuple[str, ...]] = []
        run: list[str] = []

        def flush() -> None:
            if len(run) >= 2 or "".join(run) in _SIGNS:
                groups.append(("".join(run),))
            run.clear()

        for op, av in items:
            c = char(op, av)
            if c is not None:
                run.append(c)
                continue
            flush()
            if op is C.ASSERT:  # a positive look-ahead or look-behind: its content is in the sentence too
                groups.extend(of_sequence(av[1]))
            elif op is C.SUBPATTERN:
                groups.extend(of_sequence(av[-1]))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
                groups.extend(of_sequence(av[2]))
            elif op is C.BRANCH:
                chosen = [best(of_sequence(alternative)) for alternative in av[1]]
                if all(chosen):
                    groups.append(tuple(dict.fromkeys(lit for g in chosen for lit in g)))
        flush()
        return groups

    try:
        groups = of_sequence(list(P.parse(pattern, re.IGNORECASE)))
    except Exception:  # an exotic pattern: no filter, the regex runs on every candidate sentence
        return []
    return list(dict.fromkeys(g for g in groups if all(map(_selective, g))))


class Occurrences:
    """Where each anchor literal starts in a document's lower-cased text, found in one Aho-Corasick pass."""

    def __init__(self, automaton, lower: str):
        found = sorted((end - back, literal) for end, (back, literal) in automaton.iter(lower))
        self.positions = [p for p, _ in found]
        self.literals = [lit for _, lit in found]
        self._cache: dict[tuple[int, int], dict[str, list[int]]] = {}

    def index(self, lo: int, hi: int) -> dict[str, list[int]]:
        """The literals that occur in [lo, hi) and where: computed once per sentence, shared by every rule."""
        key = (lo, hi)
        present = self._cache.get(key)
        if present is None:
            present = {}
            i, j = bisect_left(self.positions, lo), bisect_left(self.positions, hi)
            for literal, position in zip(self.literals[i:j], self.positions[i:j], strict=True):
                if literal in present:
                    present[literal].append(position)
                else:
                    present[literal] = [position]
            self._cache[key] = present
        return present


@dataclass(frozen=True)
class _Regex:
    """A regex pattern and the literals one of which any match starts with (None: no shortcut)."""

    pattern: re.Pattern[str]
    anchors: tuple[str, ...] | None
    required: tuple[frozenset[str], ...] = ()  # see ``required()``: a sentence lacking a whole group cannot match

def _regex(source: str, flags: int) -> _Regex:
    found = anchors(source)
    # A group with a word found in almost every sentence ("the", "shall", "agreement") narrows nothing.
    groups = tuple(frozenset(g) for g in required(source) if not any(map(_common, g)))
    return _Regex(re.compile(source, flags), tuple(found) if found else None, groups)


# The commonest words of English contracts. A literal inside one of them ("greement", "uch") occurs in
# nearly every sentence: indexing it costs more than the regexes it would spare.
_COMMON_WORDS = (
    "the and shall any for all with not will may such this that other agreement party parties its has have "
    "been are was were from under which each upon into than then there their these those them they thereof "
    "hereof herein hereunder hereto thereto including include includes company without within between "
    "provided provide provision section article term terms period date time written notice right rights "
    "obligation obligations applicable respect connection accordance pursuant following same said made make "
    "purpose part parts whether both also only more most must does done being would could should might "
    "person persons third business services service product products information other others another"
).split()


@lru_cache(maxsize=4096)
def _common(literal: str) -> bool:
    """Whether a literal is (part of) one of the commonest words: a poor filter, kept out of the index."""
    word = literal.strip()
    return literal.isascii() and (len(word) < 3 or any(word in common for common in _COMMON_WORDS))


@dataclass
class _Compiled:
    """One rule's patterns for one language, ready to run."""

    rule: Rule
    triggers: re.Pattern[str] | None
    trigger_anchors: frozenset[str] | None  # where the trigger alternatives with literals may start
    trigger_rest: re.Pattern[str] | None  # the alternatives without literals: searched over the whole text
    heading: re.Pattern[str] | None
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
        # Per regex, groups of literals a sentence needs one of (its anchors, its required groups); for each
        # document the group whose literals occur least is the one the sweep goes by.
        self.groups: list[tuple[frozenset[str], ...]] = []
        self.unindexed: set[int] = set()  # regexes with no literal to go by: run on candidate sentences
        self.trigger_by_anchor: dict[str, list[int]] = {}  # literal -> rules whose trigger may start there
        self.match_ids: list[list[int]] = []
        self.exclude_ids: list[list[int]] = []
        for number, compiled in enumerate(self.rules):
            for ids, regexes in ((self.match_ids, compiled.regexes), (self.exclude_ids, compiled.excludes)):
                ids.append(list(range(len(self.regexes), len(self.regexes) + len(regexes))))
                self.regexes.extend(regexes)
            for literal in compiled.trigger_anchors or ():
                self.trigger_by_anchor.setdefault(literal, []).append(number)
        for rid, regex in enumerate(self.regexes):
            groups = ((frozenset(regex.anchors),) if regex.anchors else ()) + regex.required
            self.groups.append(groups)
            if not groups:
                self.unindexed.add(rid)

    def _compile(self, rule: Rule, spec: dict) -> _Compiled:
        flags = re.IGNORECASE
        trigger_anchors = trigger_rest = None
        if spec.get("triggers"):
            # Alternatives with literals are tried where those start; the others run as one regex.
            anchored: set[str] = set()
            rest: list[str] = []
            for part in alternatives(spec["triggers"]):
                found = anchors(part)
                if found is None:
                    rest.append(part)
                else:
                    anchored.update(found)
            trigger_anchors = frozenset(anchored)
            trigger_rest = re.compile("|".join(f"(?:{p})" for p in rest), flags) if rest else None
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
            triggers=re.compile(spec["triggers"], flags) if spec.get("triggers") else None,
            trigger_anchors=trigger_anchors,
            trigger_rest=trigger_rest,
            heading=re.compile(spec["heading"], flags) if spec.get("heading") else None,
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
            labels = {strings[m_id] for m_id, _, _ in phrases(doc)}
            labels |= {strings[m_id].rsplit("|", 1)[0] for m_id, _, _ in matcher(doc)}
            cache[text] = labels
        return labels

    def sentence_hits(self, compiled: _Compiled, sentence: str, cache: dict[str, set[str]]) -> bool:
        """Whether one sentence is a hit for a rule with spaCy patterns (triggers already checked)."""
        matched = any(r.pattern.search(sentence) for r in compiled.regexes)
        if not matched and compiled.spacy_keys:
            matched = f"{compiled.rule.id}|match" in self._spacy_labels(sentence, cache)
        if not matched:
            return False
        if any(r.pattern.search(sentence) for r in compiled.excludes):
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
        self.triggered: dict[int, set[int]] = {}  # rule number -> sentences where one of its triggers starts
        self.matched: dict[int, set[int]] = {}  # regex id -> sentences found to match
        self._tried: dict[int, set[int]] = {}  # regex id -> sentences tried
        if doc.occurrences is not None:
            self._walk(doc.occurrences)
        for number, compiled in enumerate(engine.rules):  # triggers without literals: one regex pass each
            if compiled.triggers is not None and (compiled.trigger_rest is not None or doc.occurrences is None):
                found = self.triggered.setdefault(number, set())
                pattern = compiled.triggers if doc.occurrences is None else compiled.trigger_rest
                for m in pattern.finditer(doc.text):
                    k = bisect_right(self.starts, m.start()) - 1
                    if k >= 0 and m.start() < self.ends[k]:
                        found.add(k)

    def _walk(self, occurrences: Occurrences) -> None:
        """One pass over the literal occurrences: which sentences hold each literal, and where triggers match."""
        engine, doc = self.engine, self.doc
        trigger_by_anchor, rules = engine.trigger_by_anchor, engine.rules
        starts, ends, clause_of = self.starts, self.ends, self.clause
        holding, triggered, present = self.holding, self.triggered, self.present
        k, n = 0, len(starts)
        for at, literal in zip(occurrences.positions, occurrences.literals, strict=True):
            while k < n and ends[k] <= at:
                k += 1
            if k == n:
                break
            if at < starts[k]:
                continue  # between sentences
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
        if self.doc.occurrences is None:
            return regex.pattern.search(self.texts[k]) is not None
        base = self.starts[k]
        present = self.present[k]
        if not all(not group.isdisjoint(present) for group in regex.required):
            return False
        text = self.texts[k]
        if regex.anchors is None:
            return regex.pattern.search(text) is not None
        match = regex.pattern.match
        return any(match(text, at - base) for literal in present.keys() & regex.anchors for at in present[literal])

    def candidates(self, number: int, compiled: _Compiled) -> set[int]:
        """The sentences a rule looks at: those holding one of its triggers, in clauses of its scope."""
        if compiled.triggers is None:
            found: set[int] | range = range(len(self.sentences))
        else:
            found = self.triggered.get(number, ())
        clauses = self.doc.clauses
        return {k for k in found if clauses[self.clause[k]].kind in compiled.scope}

    def matches(self, rid: int, among: set[int]) -> set[int]:
        """The sentences among ``among`` that regex ``rid`` matches (each sentence tried once per regex)."""
        groups = self.engine.groups[rid]
        if groups and self.doc.occurrences is not None:
            possible = self._possible.get(rid)
            if possible is None:  # the group whose literals are in the fewest sentences: only those can match
                holding = self.holding
                possible = self._possible[rid] = min(
                    (set().union(*(holding.get(literal, ()) for literal in group)) for group in groups), key=len)
            among = among & possible
        tried = self._tried.setdefault(rid, set())
        found = self.matched.setdefault(rid, set())
        for k in among - tried:
            if self._matches_sentence(rid, k):
                found.add(k)
        tried |= among
        return found & among


class _Text:
    """The usable clauses of one document as one text, and where each indexed literal occurs in it."""

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
        self.occurrences = Occurrences(automaton, lower) if automaton is not None else None


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (``a|b(c|d)`` -> ``a``, ``b(c|d)``), global flags kept on each."""
    flags = re.match(r"\(\?[aiLmsux]+\)", pattern)
    prefix = flags.group(0) if flags else ""
    body = pattern[len(prefix):]
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if body[i + 1:i + 2] == "]":
                i += 1  # "[]...]": a literal ] first
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return [prefix + p for p in parts]


def _automaton(rules: list[_Compiled]):
    """One Aho-Corasick automaton over every anchor literal of every rule (pyahocorasick)."""
    import ahocorasick

    literals = {a for c in rules for a in (c.trigger_anchors or ())}
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

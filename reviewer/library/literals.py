"""What a regex needs to match, read from its parse tree: the literals a match starts with (anchors) and
the groups of literals a matching sentence must hold (required). The engine indexes these so that a regex
is tried only where it could match.

Parsing ~1,400 patterns at every start would cost most of a review's start-up, so the results for the
bundled library are kept in ``clause_library/index.json`` (keyed by each pattern's SHA-1), written by
``python -m reviewer.library.literals`` and checked by a test. A pattern missing from it (a playbook's, or
an edited rule's) is analysed when it is loaded: the index only saves time, it never changes a result.
The same file lists the SHA-1 of every bundled rule file that passed the JSON Schema, so that an unchanged
file is not validated again at each start (any other file, a playbook's included, is).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

from reviewer.resources import resource_dir

INDEX_NAME = "index.json"


@lru_cache(maxsize=4096)
def _parsed(pattern: str):
    """A pattern parsed by the stdlib's own regex parser (once: ``anchors`` and ``required`` both read it)."""
    try:
        import re._parser as parser
    except ImportError:  # Python 3.10
        import sre_parse as parser
    return parser.parse(pattern, re.IGNORECASE)


def _char(op, av) -> str | None:
    """The one letter (lower-cased) a parsed regex item matches, or None: ``a``, or ``[Aa]`` under IGNORECASE."""
    C = _constants()
    if op is C.LITERAL:
        return chr(av).lower()
    if op is C.IN and av and all(o is C.LITERAL for o, _ in av) and len({chr(v).lower() for _, v in av}) == 1:
        return chr(av[0][1]).lower()
    return None


@lru_cache(maxsize=1)
def _constants():
    try:
        import re._constants as constants
    except ImportError:  # Python 3.10
        import sre_constants as constants
    return constants


def _anchors(pattern: str, good=None) -> list[str] | None:
    """Literal strings one of which every match of ``pattern`` starts with (lower-cased), or None.

    ``\\bsurviv|\\bremain|存続`` -> ["surviv", "remain", "存続"]; ``\\bth(?:is|at)\\b`` -> ["this", "that"].
    One Aho-Corasick pass over the document finds where these start, and the regex is tried only there.
    None when some match could start otherwise, or with a literal too common to narrow anything ("th"), as
    judged by ``good`` (default: ``_selective``).
    """
    C = _constants()  # the stdlib's own regex parser: no second regex dialect to maintain
    char = _char

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
        found = of_sequence(list(_parsed(pattern)))
    except Exception:  # an exotic pattern: no shortcut, the regex runs on everything
        return None
    return found if found and all(map(good or _selective, found)) else None


_MAX_ANCHORS = 64
_MAX_SHORT = 24


def _short_anchors(pattern: str) -> list[str] | None:
    """For a pattern without anchors worth indexing: short ones ("no", "in", "者") to look for with ``str.find``
    in a candidate sentence, where trying the regex at each is cheaper than searching the whole sentence."""
    if _anchors(pattern) is not None:
        return None
    found = _anchors(pattern, _short)
    return found if found and len(found) <= _MAX_SHORT else None


def _short(literal: str) -> bool:
    """Two letters, one kana or kanji, or a sign."""
    return len(literal) >= 2 or not literal.isascii() or literal in _SIGNS


def _selective(literal: str) -> bool:
    """Whether a literal is rare enough to be worth indexing: three letters, two kana/kanji, or a sign like %."""
    return len(literal) >= 3 or (len(literal) == 2 and not literal.isascii()) or literal in _SIGNS


_SIGNS = frozenset("%％$€£¥￥§")


def _required(pattern: str) -> list[tuple[str, ...]]:
    """Groups of literals (lower-cased) such that every match of ``pattern`` contains one literal of each group.

    ``^(?=.*\\b(?:information|know-?how))(?=.*\\bshall)`` -> [("information", "know"), ("shall",)]. A sentence
    lacking every literal of some group cannot match, so the regex is not run on it. Patterns with nothing
    required give ``[]`` (always run).
    """
    C = _constants()
    char = _char

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
            if run and (op is C.BRANCH or (op is C.IN and all(o is C.LITERAL for o, _ in av))):
                # The parser factors a common prefix out of alternatives ("not|never" is "n" + "ot|ever"):
                # put it back in front of each alternative's leading letters.
                alternatives = av[1] if op is C.BRANCH else [[(C.LITERAL, v)] for _, v in av]
                prefix = "".join(run)
                leads = []
                for alternative in alternatives:
                    lead = []
                    for item in alternative:
                        ch = char(*item)
                        if ch is None:
                            break
                        lead.append(ch)
                    leads.append(prefix + "".join(lead))
                groups.append(tuple(dict.fromkeys(leads)))
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
        groups = of_sequence(list(_parsed(pattern)))
    except Exception:  # an exotic pattern: no filter, the regex runs on every candidate sentence
        return []
    return list(dict.fromkeys(g for g in groups if all(map(_selective, g))))


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


def _key(pattern: str) -> str:
    return hashlib.sha1(pattern.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _shipped() -> dict:
    try:
        data = json.loads((resource_dir("clause_library") / INDEX_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _index() -> dict[str, list]:
    return _shipped().get("patterns", {})


def validated(text: str) -> bool:
    """Whether a rule file with exactly this text is one of the bundled files known to pass the schema."""
    return _key(text) in _validated_keys()


@lru_cache(maxsize=1)
def _validated_keys() -> frozenset[str]:
    return frozenset(_shipped().get("validated", []))


def pattern_literals(pattern: str) -> tuple[list[str] | None, list[tuple[str, ...]], list[str] | None]:
    """A pattern's anchors, required groups and short anchors (``_anchors``, ``_required``, ``_short_anchors``),
    from the shipped index when the pattern is in it."""
    known = _index().get(_key(pattern))
    if known is not None and len(known) == 3:
        return known[0], [tuple(g) for g in known[1]], known[2]
    return _anchors(pattern), _required(pattern), _short_anchors(pattern)


def patterns_of(library) -> list[str]:
    """Every regex of a library whose literals the engine reads: patterns, exclusions, trigger alternatives."""
    out: list[str] = []
    for rule in library.provisions.values():
        for spec in rule.data["match"].values():
            for kind in ("patterns", "exclude"):
                out.extend(p["regex"] for p in spec.get(kind, []) if "regex" in p)
            if spec.get("triggers"):
                out.extend(alternatives(spec["triggers"]))
    return sorted(set(out))


def build_index(library) -> dict:
    """The index for a library: SHA-1 of each pattern -> [anchors, required groups, short anchors]; SHA-1 of its
    rule files.

    Every file of the library has passed the schema when it was loaded, so each is listed as validated.
    """
    files = sorted(_key(rule.path.read_text(encoding="utf-8")) for rule in library.all())
    return {"patterns": {_key(p): [_anchors(p), [list(g) for g in _required(p)], _short_anchors(p)]
                         for p in patterns_of(library)},
            "validated": files}


def index_text(library) -> str:
    return json.dumps(build_index(library), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main() -> int:
    """Write ``clause_library/literals.json`` for the bundled library."""
    from reviewer.library import load_library

    target = Path(__file__).resolve().parents[2] / "clause_library" / INDEX_NAME
    target.write_text(index_text(load_library(())), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

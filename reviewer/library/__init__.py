"""The clause library: provision and protection rules as data (YAML), loaded, validated and looked up.

Rules are plain data; the engine (``engine.py``) compiles them once per process, the judge (``judge.py``)
evaluates protections, ``values.py`` holds the few extractors rules may name.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from reviewer.resources import resource_dir

KINDS = ("provision", "protection")


# YAML folds long lines with a space; between two Japanese characters that space is not in the text.
_FOLDED_SPACE = re.compile(r"(?<=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]) (?=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])")


def unfold(text: str) -> str:
    """A rule's text as written: spaces YAML folding put between Japanese characters removed."""
    return _FOLDED_SPACE.sub("", text)


def in_language(texts: dict[str, str], lang: str) -> str:
    """A bilingual text in ``lang``, falling back to English, then Japanese; YAML folding undone."""
    return unfold(texts.get(lang) or texts.get("en") or texts.get("ja") or "")


class LibraryError(Exception):
    """A rule file that cannot be used: one line naming the file and the reason."""


@dataclass(frozen=True)
class Rule:
    """One rule file as loaded: its id, kind, where it came from and its data."""

    id: str
    kind: str
    path: Path
    data: dict[str, Any]

    def text(self, key: str, lang: str) -> str:
        """A bilingual text field in ``lang``, falling back to the other language."""
        value = self.data.get(key) or {}
        if isinstance(value, str):
            return value
        return in_language(value, lang)


@dataclass(eq=False)  # hashed by identity: compiled engines are cached per library object
class Library:
    """All rules by id, provisions and protections apart; later playbooks override earlier rules."""

    provisions: dict[str, Rule] = field(default_factory=dict)
    protections: dict[str, Rule] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)

    def get(self, rule_id: str) -> Rule | None:
        """A rule by id or by an old id kept as an alias."""
        rule_id = self.aliases.get(rule_id, rule_id)
        return self.provisions.get(rule_id) or self.protections.get(rule_id)

    def all(self) -> list[Rule]:
        """Every rule, provisions first, each group sorted by id."""
        return [self.provisions[k] for k in sorted(self.provisions)] + [
            self.protections[k] for k in sorted(self.protections)]

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of what every rule says (bundled and playbooks' alike, wherever their files are): a
        report made with other rules, an edited playbook's for one, carries another."""
        digest = hashlib.sha256()
        for rule in self.all():
            digest.update(json.dumps(rule.data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()[:16]


def _schema(kind: str) -> dict:
    path = resource_dir("clause_library") / "schema" / f"{kind}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=2)
def _validator(kind: str):
    import jsonschema

    return jsonschema.Draft202012Validator(_schema(kind))


def read_rule(path: Path) -> Rule:
    """Parse one YAML rule file (safe loader) and check its shape against the schema."""
    import yaml

    from reviewer.library.literals import validated

    try:
        text = path.read_text(encoding="utf-8")
        # libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure-Python one
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError(f"{path}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise LibraryError(f"{path}: not valid YAML{where} ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        raise LibraryError(f"{path}: not a rule file (needs kind: provision or kind: protection)")
    # A bundled file exactly as shipped passed the schema already (clause_library/index.json); others are checked.
    errors = [] if validated(text) else sorted(_validator(data["kind"]).iter_errors(data),
                                               key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top)"
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        raise LibraryError(f"{path}: {where}: {first.message}{more}")
    if data["id"] != path.stem:
        raise LibraryError(f"{path}: id {data['id']!r} differs from the file name {path.stem!r}")
    for lang in data.get("languages", []):
        if lang not in data.get("match", {}) or lang not in data.get("examples", {}):
            raise LibraryError(f"{path}: claims language {lang!r} but has no match or examples for it")
    return Rule(id=data["id"], kind=data["kind"], path=path, data=data)


def load_library(playbooks: list[Path] | tuple[Path, ...] = ()) -> Library:
    """The bundled library, then each playbook folder on top (same id replaces, new id adds). Loaded once per
    process while the playbooks' files stay as they are: an edited playbook is read again."""
    folders = tuple(Path(p) for p in playbooks)
    return _load(folders, _state(folders))


def playbook_folders(playbook: Path) -> list[Path]:
    """The folders of a playbook that hold rule files: itself, and its provisions/ and protections/."""
    return [f for f in (playbook, playbook / "provisions", playbook / "protections") if f.is_dir()]


def rule_files(folder: Path) -> list[Path]:
    """The rule files of a folder, in the order they are loaded."""
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def _state(playbooks: tuple[Path, ...]) -> tuple:
    """The name, size and modification time of every rule file of these playbooks."""
    state = []
    for playbook in playbooks:
        for folder in playbook_folders(playbook):
            for path in rule_files(folder):
                try:
                    stat = path.stat()
                except OSError:
                    continue
                state.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(state)


@lru_cache(maxsize=8)
def _load(playbooks: tuple[Path, ...], state: tuple = ()) -> Library:
    library = Library()
    bundled = resource_dir("clause_library")
    folders = [bundled / "provisions", bundled / "protections"]
    for playbook in playbooks:
        if not playbook.is_dir():
            raise LibraryError(f"{playbook}: playbook folder not found")
        folders.extend(playbook_folders(playbook))
    for folder in folders:
        for path in rule_files(folder):
            rule = read_rule(path)
            target = library.provisions if rule.kind == "provision" else library.protections
            target[rule.id] = rule
            for alias in rule.data.get("aliases", []):
                library.aliases[alias] = rule.id
        library.sources.append(folder)
    _check_references(library)
    return library


def condition_provisions(condition: Any, negated: bool = True) -> list[str]:
    """Every provision id a protection's condition names; ``negated=False`` leaves out those under a "not"."""
    found: list[str] = []
    if isinstance(condition, dict):
        for key, value in condition.items():
            if key == "provision":
                found.append(value)
            elif key == "value":
                found.extend(name.split(".", 1)[0] for name in value)
            elif negated or key != "not":
                found.extend(condition_provisions(value, negated))
    elif isinstance(condition, list):
        for item in condition:
            found.extend(condition_provisions(item, negated))
    return found


def _check_references(library: Library) -> None:
    for rule in library.protections.values():
        named = condition_provisions([j.get("when") for j in rule.data["judge"]]) + rule.data.get("looked_at", [])
        unknown = sorted({n for n in named if n not in library.provisions and n not in library.aliases})
        if unknown:
            raise LibraryError(f"{rule.path}: names unknown provisions: {', '.join(unknown)}")
        if "when" in rule.data["judge"][-1]:
            raise LibraryError(f"{rule.path}: the last judge entry must have no 'when' (the default status)")

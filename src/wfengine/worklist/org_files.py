"""Reading an organisation file (YAML or JSON) into an :class:`Organisation`.

YAML is read with PyYAML's safe loader (plain data only: no tags that build Python objects),
JSON with the standard library. The file's suffix picks the reader (``.json``; ``.yaml`` or
``.yml``); any other suffix is read as YAML, which also reads JSON. Files over
:data:`MAX_ORG_FILE_BYTES` are refused before they are parsed. A key written twice in one
mapping (``users:`` pasted twice) is refused in either form, naming both lines: both readers
would silently keep only the last, and the people in the first would be gone from the
stored organisation. YAML aliases may repeat at most :data:`ALIAS_GROWTH` times the values
the file writes itself, or :data:`MAX_REPEATED_NODES` when that is more (a few bytes of
aliases made millions of memberships). The file is UTF-8 text (JSON's
UTF-16 or UTF-32, and YAML's UTF-16, when it starts with a byte order mark): another
encoding is refused naming the line and the byte, not read as a ``UnicodeDecodeError``.
"""

from __future__ import annotations

import codecs
import json
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from wfengine.errors import OrganisationError
from wfengine.json_text import repeated_key_lines, unique_keys
from wfengine.worklist.org_model import OrgDocument, OrgRole, OrgUnit, OrgUser
from wfengine.worklist.organisation import Organisation

#: the largest organisation file read (about 50,000 users with their roles and units)
MAX_ORG_FILE_BYTES = 16 * 1024 * 1024
#: how many values (YAML nodes) the aliases of one organisation file may repeat in all at
#: least, whatever its size: far more than sharing a few keys needs, as a simulation scenario's
MAX_REPEATED_NODES = 100_000
#: how many times the values a YAML file writes itself its aliases may repeat, when that is more
#: than :data:`MAX_REPEATED_NODES`: sharing defaults repeats a few values for each of the file's
#: users (``<<: *d`` or ``roles: *R`` with a handful of roles), however many users it has
ALIAS_GROWTH = 10
#: the most values the aliases of one file may repeat however large it is: about what a file
#: written out within :data:`MAX_ORG_FILE_BYTES` could hold, so aliases never let a file cost
#: more than the largest file without them could
MAX_REPEATED_CEILING = 2_000_000


def load_organisation(path: str | Path) -> Organisation:
    """The organisation in the file at ``path``; raises :class:`OrganisationError` naming
    the file and the place in it, or ``OSError`` when the file cannot be read. The
    document's *text* given as ``path`` (it holds a line break: no path does) is a
    ``TypeError`` saying what to call instead, rather than an ``OSError`` quoting the whole
    document as a file name. An empty path (``""``) is an :class:`OrganisationError` (a
    ``ValueError``, as for ``load_xpdl("")``): read as a path it named the current
    directory, an ``IsADirectoryError`` about ``'.'``."""
    if isinstance(path, str) and not path:
        raise OrganisationError(
            "load_organisation: the path is empty (''): pass the path of an organisation "
            "file (YAML or JSON)"
        )
    if isinstance(path, str) and "\n" in path:
        raise TypeError(
            "load_organisation: this text is an organisation document, not a path: use "
            "parse_organisation(text, where) (wfengine.worklist.org_files) or "
            "Organisation.from_data(data), or pass the path of its file"
        )
    path = Path(path)
    with path.open("rb") as f:
        raw = f.read(MAX_ORG_FILE_BYTES + 1)
    if len(raw) > MAX_ORG_FILE_BYTES:
        raise OrganisationError(f"{path}: larger than {MAX_ORG_FILE_BYTES} bytes")
    return parse_organisation(raw, str(path), json_text=path.suffix.lower() == ".json")


def parse_organisation(raw: bytes | str, where: str, *, json_text: bool = False) -> Organisation:
    """The organisation in ``raw`` (JSON when ``json_text``, else YAML); ``where`` names its
    source in errors."""
    import yaml  # on demand: importing wfengine does not pay for the YAML reader

    text = raw if isinstance(raw, str) else _decoded(raw, where, json_text=json_text)
    try:
        if json_text:
            data: Any = json.loads(text, object_pairs_hook=partial(unique_keys, error=_Repeated))
        else:
            data = _yaml_data(text, where)
    except _Repeated as exc:
        raise OrganisationError(_placed(exc, where, text if json_text else None)) from None
    except json.JSONDecodeError as exc:
        raise OrganisationError(f"{where}:{exc.lineno}: not JSON: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise OrganisationError(f"{where}{line}: not YAML: {problem}") from None
    except RecursionError:
        raise OrganisationError(f"{where}: nested too deeply") from None
    return organisation_from_data(data, where)


def _decoded(raw: bytes, where: str, *, json_text: bool) -> str:
    """``raw`` as text, in the encoding its reader takes it in (UTF-8 unless a byte order mark
    says otherwise). Why here, not in the readers: ``json.loads`` raised a bare
    ``UnicodeDecodeError`` for a Latin-1 file (an ``é`` as byte 0xE9), a traceback out of
    ``org load``, and neither reader named the line."""
    if json_text:
        encoding = json.detect_encoding(raw)
    else:  # (PyYAML's rule: UTF-16 by its byte order mark, else UTF-8)
        encoding = "utf-16" if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise OrganisationError(_undecodable(raw, where, encoding, exc)) from None


def _undecodable(raw: bytes, where: str, encoding: str, exc: UnicodeDecodeError) -> str:
    """The refusal of ``raw``, which is not ``encoding`` text where ``exc`` says. The line is
    counted on the text before that byte, decoded (a 0x0A byte in UTF-16 is part of many a
    character, ``Ċ``, not a line break); Latin-1 is the likely cause only of text read as
    UTF-8 (a UTF-16 file with a byte order mark was saved as UTF-16 on purpose)."""
    line = raw[: exc.start].decode(encoding, errors="replace").count("\n") + 1
    label = encoding.upper().removesuffix("-SIG")
    hint = " (from Latin-1: iconv -f latin1 -t utf-8)" if label == "UTF-8" else ""
    return (
        f"{where}:{line}: not {label} text: byte 0x{raw[exc.start]:02x} at position "
        f"{exc.start} ({exc.reason}); save the file as UTF-8{hint}"
    )


def _yaml_data(text: str, where: str) -> Any:
    """The YAML document in ``text`` (with a SafeLoader: plain data only), its aliases
    counted before it is built (:class:`_Aliases`)."""
    loader = _unique_key_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _Aliases(where, _composed(node)).size(node, 1)
        return loader.construct_document(node)
    finally:
        loader.dispose()


class _Aliases:
    """The nodes a document's aliases repeat, counted on its composed nodes: more than
    :data:`ALIAS_GROWTH` times the nodes the document writes itself (``composed``), and more
    than :data:`MAX_REPEATED_NODES`, or an alias inside its own anchor, is an
    :class:`OrganisationError` naming the line.

    Why: an alias costs a few bytes and repeats its anchor whole, so aliases got round
    :data:`MAX_ORG_FILE_BYTES`: 1,500 users each ``roles: *R``, one list of 1,500 roles, is
    a 49 KB file of 2,250,000 memberships (a load of 85 s and 1.35 GB, a 118 MB database).
    Why an allowance that grows with the file: sharing defaults (``<<: *d`` or ``roles: *R``
    on each user) repeats a few values per user, so a fixed 100,000 refused ordinary files
    of 12,000 users (289 KB) that written out load. An alias is its anchor's very node
    object, so each node is walked once and its size is remembered."""

    def __init__(self, where: str, composed: int) -> None:
        self.where = where
        self.composed = composed
        self.allowed = max(MAX_REPEATED_NODES, min(ALIAS_GROWTH * composed, MAX_REPEATED_CEILING))
        self.sizes: dict[int, int] = {}
        self.open: set[int] = set()  # the nodes being walked
        self.repeated = 0  # (it grows at each alias met)
        self.holding: set[int] = set()  # the nodes with an alias inside

    def size(self, node: Any, line: int) -> int:
        """The expanded size of ``node`` (met on ``line``), counting what it repeats."""
        import yaml

        key = id(node)
        if key in self.open:
            raise OrganisationError(
                f"{self.where}:{line}: an alias inside its own anchor (line "
                f"{node.start_mark.line + 1}) would repeat without end"
            )
        known = self.sizes.get(key)
        if known is not None:
            self.repeated += known
            if self.repeated > self.allowed:
                raise OrganisationError(self._too_many(line, key in self.holding))
            return known
        self.open.add(key)
        before = self.repeated
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += self.size(item, self._line(item, line))
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                at = key_node.start_mark.line + 1
                total += self.size(key_node, at) + self.size(value_node, at)
        self.open.discard(key)
        if self.repeated > before:
            self.holding.add(key)
        self.sizes[key] = total
        return total

    def _too_many(self, line: int, nested: bool) -> str:
        """The refusal on ``line``, where the aliases passed :attr:`allowed`; ``nested``
        when the alias there repeats a value with aliases inside (which multiply)."""
        why = ", and aliases inside a repeated value multiply" if nested else ""
        return (
            f"{self.where}:{line}: the aliases repeat more than {self.allowed:,} values in "
            f"all ({ALIAS_GROWTH} times the {self.composed:,} the file writes itself, at least "
            f"{MAX_REPEATED_NODES:,} and at most {MAX_REPEATED_CEILING:,}){why}: write the "
            "repeated part out, or repeat less"
        )

    def _line(self, item: Any, line: int) -> int:
        """Where ``item`` of a sequence is met: its own line, but an alias (a node met
        already) keeps its anchor's position, so the sequence's line."""
        met = id(item) in self.sizes or id(item) in self.open
        return line if met else item.start_mark.line + 1


def _composed(root: Any) -> int:
    """How many nodes the YAML document under ``root`` writes itself: each anchored node
    once, however many aliases repeat it (with a stack, not recursion)."""
    import yaml

    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            todo.extend(part for pair in node.value for part in pair)
    return len(seen)


def _placed(repeat: _Repeated, where: str, json_text: str | None) -> str:
    """The message for a key written twice, naming its lines: YAML's reader knows them, and
    JSON ``json_text`` is read again for them (:func:`~wfengine.json_text.repeated_key_lines`:
    ``json.loads`` tells only the key)."""
    found = repeated_key_lines(json_text) if json_text is not None else None
    if found is None:
        line = f":{repeat.line}" if repeat.line is not None else ""
        return f"{where}{line}: {repeat}"
    key, first, again = found
    return (
        f"{where}:{again}: {key!r} is written twice in one object (first on line {first}); "
        "JSON readers keep only the last: give it once"
    )


class _Repeated(ValueError):
    """A key given twice in one mapping, with its line when the reader knows it (JSON's
    ``object_pairs_hook`` does not: :func:`_placed` finds it)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


_LOADER: Any = None


def _unique_key_loader() -> Any:
    """PyYAML's safe loader refusing a key written twice in one mapping (made on first use:
    importing wfengine does not import the YAML reader)."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class UniqueKeyLoader(yaml.SafeLoader):
            def construct_mapping(self, node: Any, deep: bool = False) -> Any:
                seen: dict[str, int] = {}
                for key_node, _ in node.value:
                    if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                        continue  # merged keys may be overridden: that is what << is for
                    line = key_node.start_mark.line + 1
                    if key_node.value in seen:
                        raise _Repeated(
                            f"{key_node.value!r} is written twice (first on line "
                            f"{seen[key_node.value]}); YAML would keep only the last: give it once",
                            line,
                        )
                    seen[key_node.value] = line
                return super().construct_mapping(node, deep=deep)

        _LOADER = UniqueKeyLoader
    return _LOADER


def organisation_from_data(data: Any, where: str = "organisation") -> Organisation:
    """The organisation in plain data of the file's shape (see
    :mod:`~wfengine.worklist.org_model`)."""
    if not isinstance(data, dict):
        shown = type(data).__name__ if data is not None else "nothing"
        raise OrganisationError(f"{where}: expected a mapping with 'users', found {shown}")
    try:
        return Organisation(OrgDocument.model_validate(data))
    except ValidationError as exc:
        raise OrganisationError(f"{where}: " + "; ".join(_problems(exc))) from None


#: what a file's author is asked for where pydantic says "Input should be a valid tuple" or
#: "... dictionary or instance of OrgUser": YAML and JSON have no tuples, and the model's
#: class names are none of the author's business
_WANTED = {
    "tuple_type": "should be a list",
    "list_type": "should be a list",
    "model_type": "should be a mapping (key: value)",
    "model_attributes_type": "should be a mapping (key: value)",
    "dict_type": "should be a mapping (key: value)",
    "string_type": "should be text",
}


#: what each list of the file holds, and the model whose keys an entry of it may have
_ENTRIES: dict[object, tuple[str, type[BaseModel]]] = {
    "users": ("a user", OrgUser),
    "units": ("a unit", OrgUnit),
    "roles": ("a role", OrgRole),
}


def _unknown_key(loc: tuple[int | str, ...]) -> tuple[str, str]:
    """Where a key the file's shape has no place for sits, and what to say of it: the key
    and the keys that entry may have (pydantic said "Extra inputs are not permitted",
    naming neither what is unknown nor what is allowed)."""
    parent, key = loc[:-1], loc[-1]
    what, model = _ENTRIES.get(parent[0], ("", OrgDocument)) if parent else ("", OrgDocument)
    allowed = ", ".join(model.model_fields)
    return _place(parent), f"unknown key {key!r} ({what or 'the file'} has: {allowed})"


def _problems(exc: ValidationError) -> list[str]:
    found = []
    for error in exc.errors(include_url=False):
        place = _place(error["loc"])
        wanted = _WANTED.get(error["type"])
        if error["type"] == "extra_forbidden" and error["loc"]:
            place, message = _unknown_key(error["loc"])
        elif wanted is not None:
            message = f"{wanted}, not {_kind(error.get('input'))}"
        else:
            message = error["msg"].removeprefix("Value error, ")
        found.append(f"{place}: {message}" if place else message)
    return found


def _kind(value: object) -> str:
    """What a file holds where something else was due, in a file author's words."""
    if isinstance(value, str):
        return f"the text {value[:40]!r}" + ("..." if len(value) > 40 else "")
    if isinstance(value, bool):
        return str(value).lower()  # (as YAML and JSON write it)
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return "nothing" if value is None else type(value).__name__


def _place(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out

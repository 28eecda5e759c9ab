"""A scenario's YAML read with its lines: a key written twice is refused (YAML keeps the last
silently, and a section written twice, as happens when editing a copy, would drop the
first), and every key's line is kept so that an error about it can say where it is
(:func:`located`).

Keys are named by the dotted path the scenario's messages use: ``activities.review.duration``,
``arrivals.at[2]``.

Anchors and aliases stay allowed (a merge key ``<<: *defaults`` is how a scenario shares
settings), but each node is walked once: the lines recorded are those of where a node is
written, none under an alias. Following every alias would make the walk as large as the
expanded document, and a few hundred bytes of aliases of aliases ("billion laughs") expand
to millions of nodes. For the same reason, before the document is built, the nodes its
aliases repeat are counted (:data:`MAX_REPEATED_NODES`) and an alias inside its own anchor
(a document without end) is refused: what reads the scenario afterwards (checks, error
messages quoting a value) works on the expanded data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from wfengine.simulation.distributions import ScenarioError

#: a YAML merge key (``<<: *defaults``): repeating it is YAML's own way of merging
_MERGE = "<<"
#: the sections keyed by definition ids, whose keys are read as written (:func:`_ids_as_text`),
#: each with how many levels of mappings are keyed by ids: a branch's ways (the mapping under
#: its split's id) are keyed by transition or target activity ids too
ID_SECTIONS: Mapping[str, int] = {
    "activities": 1,
    "applications": 1,
    "branches": 2,
    "resources": 1,
    "data": 1,
}
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing what YAML 1.1 reads into something else than it looks like:
    an unquoted ``1:30`` is the base-60 number 90 (a duration meant as an hour and a half
    became 90 seconds, silently), and an impossible date (``2027-02-29``) raised a bare
    ValueError with no line. Both are errors naming ``source`` and the line."""

    def __init__(self, text: str, source: str) -> None:
        super().__init__(text)
        self.source = source

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        self._refuse_base_60(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        self._refuse_base_60(node)
        return super().construct_yaml_float(node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise ScenarioError(
                f"{self.source}:{node.start_mark.line + 1}: {node.value} is not a date ({exc})"
            ) from None

    def _refuse_base_60(self, node: yaml.ScalarNode) -> None:
        if ":" in str(node.value):
            raise ScenarioError(
                f"{self.source}:{node.start_mark.line + 1}: {node.value} is a base-60 number "
                "to YAML (1:30 is 90), not a time: write a duration as 1h30m or 90m, or quote "
                "the text"
            )


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


#: how many nodes the aliases of one scenario may repeat in all: far more than sharing
#: settings needs (a merge key repeats a few keys), far less than slows a run down
MAX_REPEATED_NODES = 100_000


def read_yaml(text: str, source: str) -> tuple[Any, dict[str, int]]:
    """The document ``text`` holds, and the line of each key by its dotted path. Raises
    :class:`ScenarioError` naming ``source`` and the line for text that is not YAML, for a
    key written twice in one mapping, for aliases repeating more than
    :data:`MAX_REPEATED_NODES` nodes, and for an alias inside its own anchor."""
    loader = _Loader(text, source)
    try:
        node = loader.get_single_node()
        walk = _Walk(source)
        if node is not None:
            walk.node(node, "", 1)
            _ids_as_text(node)
        data = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{source}{line}: not YAML: {exc}") from None
    except ScenarioError:
        raise  # (a ValueError too) located by the loader
    except (ValueError, TypeError) as exc:  # a value PyYAML could not build
        raise ScenarioError(f"{source}: a value YAML cannot read: {exc}") from None
    except RecursionError:
        # PyYAML composes (and this module walks) nested collections by recursion
        raise ScenarioError(
            f"{source}: nested too deeply to read: a scenario needs a few levels"
        ) from None
    finally:
        loader.dispose()
    return data, walk.lines


def _ids_as_text(root: yaml.Node) -> None:
    """Make the keys of the :data:`ID_SECTIONS` of document ``root`` text, as written.

    A definition id is text, and XPDL tools often number activities: YAML 1.1 reads an
    unquoted ``10`` as the number 10, ``010`` as 8 (octal) and ``1.10`` as 1.1, so reading
    the number back as text named an activity (or way, participant, field) no one wrote.
    Retagging each key node as a string before the document is built keeps exactly what the
    file says; values keep their YAML reading (a probability, a count, a generator). Keys of
    mappings merged into a section (``<<: *defaults``) are ids too. (Run after
    :class:`_Walk`, which refused an alias inside its own anchor, so the merges end.)"""
    if not isinstance(root, yaml.MappingNode):
        return
    for key_node, value_node in root.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value in ID_SECTIONS:
            _keys_as_text(value_node, ID_SECTIONS[key_node.value], set())


def _keys_as_text(node: yaml.Node, levels: int, done: set[tuple[int, int]]) -> None:
    """Retag the keys of mapping ``node`` as text, and those of the mappings ``levels - 1``
    deep under them (a branch's ways); ``done`` holds the (node, level) pairs retagged, so
    a mapping an alias repeats is done once."""
    if not isinstance(node, yaml.MappingNode) or (id(node), levels) in done:
        return
    done.add((id(node), levels))
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE_TAG:  # (a mapping, or a sequence of them)
            merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for item in merged:
                _keys_as_text(item, levels, done)
            continue
        if isinstance(key_node, yaml.ScalarNode):
            key_node.tag = _STR_TAG
        if levels > 1:
            _keys_as_text(value_node, levels - 1, done)


class _Walk:
    """One walk over a composed document: the line of each key by its dotted path, a key
    written twice refused, and the nodes the aliases repeat counted.

    An alias is the very node object of its anchor, so the walk knows one by its id: a node
    met again is not walked again (its keys were checked and placed where it is written);
    only its expanded size, known from its first walk, is added to :attr:`repeated`."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: dict[str, int] = {}
        #: the expanded size (nodes) of each node walked, by id
        self.sizes: dict[int, int] = {}
        #: the nodes being walked (an alias to one of them is inside its own anchor)
        self.open: set[int] = set()
        #: nodes repeated by aliases so far
        self.repeated = 0
        #: the nodes with aliases inside (repeating one repeats those: they multiply)
        self.holding: set[int] = set()

    def node(self, node: yaml.Node, path: str, line: int) -> int:
        """Walk ``node`` (at ``path``, written on or after ``line``); its expanded size."""
        key = id(node)
        if key in self.open:
            raise ScenarioError(
                f"{self.source}:{line}: {path or 'the document'}: an alias inside its own "
                f"anchor (line {node.start_mark.line + 1}) would repeat without end"
            )
        size = self.sizes.get(key)
        if size is not None:
            self.repeated += size
            if self.repeated > MAX_REPEATED_NODES:
                # (said only when it is so: a plain list of aliases was blamed on nesting)
                why = " (aliases of aliases multiply)" if key in self.holding else ""
                raise ScenarioError(
                    f"{self.source}:{line}: {path or 'the document'}: the aliases repeat "
                    f"more than {MAX_REPEATED_NODES} nodes in all{why}: write the repeated "
                    "part out, or repeat less"
                )
            return size
        self.open.add(key)
        before = self.repeated
        if isinstance(node, yaml.MappingNode):
            size = 1 + self._mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            size = 1
            for n, item in enumerate(node.value):
                here = f"{path}[{n}]"
                # an alias keeps its anchor's position: say the sequence's line instead
                met = id(item) in self.sizes or id(item) in self.open
                at = line if met else item.start_mark.line + 1
                self.lines[here] = at
                size += self.node(item, here, at)
        else:
            size = 1
        self.open.discard(key)
        self.sizes[key] = size
        if self.repeated > before:
            self.holding.add(key)
        return size

    def _mapping(self, node: yaml.MappingNode, path: str) -> int:
        """Walk a mapping's entries; the expanded size of its keys and values."""
        size = 0
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            size += 1
            if key is None or key == _MERGE:
                size += self.node(value_node, path, line)
                continue
            here = f"{path}.{key}" if path else key
            if key in seen:
                raise ScenarioError(
                    f"{self.source}:{line}: {here}: written twice (first on line "
                    f"{seen[key]}); YAML would keep only the last: give it once"
                )
            seen[key] = line
            self.lines[here] = line
            size += self.node(value_node, here, line)
        return size


#: where a key's path ends inside a longer one: before ``.next`` or ``[n]``
_BOUNDARY = re.compile(r"(?=[.\[])")
#: what a message about a key its mapping does not know says (the key: group 1)
_UNKNOWN = re.compile(r"unknown key '([^'\s]+)'")


def located(message: str, source: str, lines: Mapping[str, int]) -> str:
    """``message`` (``"<source>: <path>: what is wrong"``) with the line of the longest
    prefix of its path the file has (``"<source>:<line>: <path>: ..."``); unchanged when it
    names no key of the file (or when the lines are not known: a scenario built in code).
    A key a mapping does not know (``"unknown key 'x'"``, after a path or none: the top
    level) is located at its own line."""
    head = f"{source}: "
    if not lines or not message.startswith(head):
        return message
    rest = message[len(head) :]
    path, _, said = rest.partition(": ")
    if " " in path:  # not a key's path ("case 3 could not start", "unknown key 'x' (...)")
        path, said = "", rest
    unknown = _UNKNOWN.match(said)
    if unknown is not None:  # the key's own line, not its mapping's (the top level has none)
        path = f"{path}.{unknown[1]}" if path else unknown[1]
    if not path:
        return message
    ends = [m.start() for m in _BOUNDARY.finditer(path)] + [len(path)]
    for end in reversed(ends):
        line = lines.get(path[:end])
        if line is not None:
            return f"{source}:{line}: {rest}"
    return message

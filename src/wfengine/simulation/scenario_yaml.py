"""A scenario's YAML read with its lines: a key written twice is refused (YAML keeps the last
silently, and a section written twice, as happens when editing a copy, would drop the
first), and every key's line is kept so that an error about it can say where it is
(:func:`located`).

Keys are named by the dotted path the scenario's messages use: ``activities.review.duration``,
``arrivals.at[2]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from wfengine.simulation.distributions import ScenarioError

#: a YAML merge key (``<<: *defaults``): repeating it is YAML's own way of merging
_MERGE = "<<"


def read_yaml(text: str, source: str) -> tuple[Any, dict[str, int]]:
    """The document ``text`` holds, and the line of each key by its dotted path. Raises
    :class:`ScenarioError` naming ``source`` and the line for text that is not YAML and for
    a key written twice in one mapping."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        if node is not None:
            _walk(node, "", lines, source)
        data = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{source}{line}: not YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, lines


def _walk(node: yaml.Node, path: str, lines: dict[str, int], source: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or key == _MERGE:
                _walk(value_node, path, lines, source)
                continue
            line = key_node.start_mark.line + 1
            here = f"{path}.{key}" if path else key
            if key in seen:
                raise ScenarioError(
                    f"{source}:{line}: {here}: written twice (first on line {seen[key]}); "
                    "YAML would keep only the last: give it once"
                )
            seen[key] = line
            lines[here] = line
            _walk(value_node, here, lines, source)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            here = f"{path}[{n}]"
            lines[here] = item.start_mark.line + 1
            _walk(item, here, lines, source)


#: where a key's path ends inside a longer one: before ``.next`` or ``[n]``
_BOUNDARY = re.compile(r"(?=[.\[])")


def located(message: str, source: str, lines: Mapping[str, int]) -> str:
    """``message`` (``"<source>: <path>: what is wrong"``) with the line of the longest
    prefix of its path the file has (``"<source>:<line>: <path>: ..."``); unchanged when it
    names no key of the file (or when the lines are not known: a scenario built in code)."""
    head = f"{source}: "
    if not lines or not message.startswith(head):
        return message
    rest = message[len(head) :]
    path = rest.partition(": ")[0]
    if " " in path:
        return message  # not a key's path ("case 3 could not start")
    ends = [m.start() for m in _BOUNDARY.finditer(path)] + [len(path)]
    for end in reversed(ends):
        line = lines.get(path[:end])
        if line is not None:
            return f"{source}:{line}: {rest}"
    return message

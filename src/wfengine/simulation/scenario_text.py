"""A scenario read from text that is no file: ``wfengine simulate --scenario -`` (stdin).

:meth:`Scenario.load` reads a path and names it in its errors; a scenario piped in (made by a
script, fetched from a store) has no path, so its errors name ``source`` (``<stdin>``), and the
files it names (an organisation, a trace) are read from ``base`` (the current directory), as
:meth:`Scenario.from_data` reads them when it is given none.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from wfengine.simulation.distributions import ScenarioError
from wfengine.simulation.scenario import Scenario


def scenario_from_bytes(data: bytes, source: str, base: Path) -> Scenario:
    """The scenario whose YAML is ``data`` (UTF-8; a leading byte order mark ignored); an
    error names ``source`` and the line, as :meth:`Scenario.load` names the file's."""
    from wfengine.simulation.scenario_yaml import located, read_yaml

    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(f"{source}:{line}: not UTF-8 text") from None
    parsed, lines = read_yaml(text, source)
    try:
        scenario = Scenario.from_data(parsed, base=base, source=source)
    except ScenarioError as exc:
        raise ScenarioError(located(str(exc), source, lines)) from None
    return dataclasses.replace(scenario, lines=lines)

"""The DeprecationWarning for a directory written for ``members(participant_id)`` points at
the host's line however the directory reaches the engine: ``Engine.from_url`` attributed it
to wfengine's own engine.py, so Python's default filters (which show a DeprecationWarning
attributed to ``__main__``) hid it from the host."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from wfengine import Engine


class _OneArgument:
    def members(self, participant_id: str) -> tuple[str, ...]:
        return (participant_id,)


def _setter() -> Engine:
    engine = Engine()
    engine.directory = _OneArgument()  # type: ignore[assignment]
    return engine


@pytest.mark.parametrize(
    "make",
    [
        lambda: Engine(directory=_OneArgument()),  # type: ignore[arg-type]
        lambda: Engine.from_url("memory://", directory=_OneArgument()),  # type: ignore[arg-type]
        lambda: Engine.from_url("sqlite://", directory=_OneArgument()),  # type: ignore[arg-type]
        _setter,
    ],
    ids=["Engine", "from_url memory", "from_url sqlite", "setter"],
)
def test_the_warning_names_the_hosts_line(make: Callable[[], Engine]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        engine = make()
    engine.close()
    [warning] = caught
    assert warning.category is DeprecationWarning
    assert "members(participant_id) takes one argument" in str(warning.message)
    assert Path(warning.filename) == Path(__file__)

"""``engine.ids`` (a host generator wrapped so each id is checked) could not be copied,
deep-copied or pickled: each ended in ``RecursionError`` (the wrapper, built without
``__init__``, looked its own unset slot up on the host generator, through itself, for good).
Now each round trip gives a working wrapper around (a copy of) the host generator."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from wfengine import Engine
from wfengine.runtime.checked_ids import CheckedIds


class CaseNumbers:
    """A host's generator (module level: pickle finds its class by name)."""

    def __init__(self) -> None:
        self.n = 0
        self.broken: Any = None

    def new(self, kind: str) -> Any:
        self.n += 1
        return self.broken if self.broken is not None else f"{kind}-{self.n}"


def _pickled(ids: Any) -> Any:
    return pickle.loads(pickle.dumps(ids))


@pytest.mark.parametrize(
    ("how", "shared"),
    [(copy.copy, True), (copy.deepcopy, False), (_pickled, False)],
    ids=["copy", "deepcopy", "pickle"],
)
def test_engine_ids_copies_deep_copies_and_pickles(how: Callable[[Any], Any], shared: bool) -> None:
    mine = CaseNumbers()
    with Engine(ids=mine) as engine:
        assert isinstance(engine.ids, CheckedIds)
        assert engine.ids.new("pi") == "pi-1"
        made = how(engine.ids)
    assert isinstance(made, CheckedIds)
    assert made.n == 1  # the host generator's own attribute, read through the copy
    assert made.new("pi") == "pi-2"
    # a deep copy or an unpickled one counts on its own; a shallow copy shares the host's
    assert mine.n == (2 if shared else 1)
    assert made.n == 2
    made.broken = 7  # set on the copy's host generator: the copy still checks its ids
    with pytest.raises(TypeError, match=r"Engine\(ids=\.\.\.\).*gave .*not a non-empty string"):
        made.new("pi")


def test_a_missing_attribute_or_dunder_is_an_attribute_error() -> None:
    wrapped = CheckedIds(CaseNumbers())
    assert not hasattr(wrapped, "missing")
    assert not hasattr(wrapped, "__deepcopy__")
    with pytest.raises(AttributeError, match=r"missing"):
        _ = wrapped.missing

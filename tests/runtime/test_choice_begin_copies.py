"""Queued gateway begins (``ChoiceBegin``) survive copy, deepcopy and pickle with their
activation. Why: a host or a test snapshotting an instance with parked gateway work got a
TypeError from ``ChoiceBegin.__new__``."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from wfengine.runtime.instance import ChoiceBegin


def _pickled(item: Any) -> Any:
    return pickle.loads(pickle.dumps(item))


@pytest.mark.parametrize("clone", [copy.copy, copy.deepcopy, _pickled])
def test_a_choice_begin_is_copied_with_its_activation(clone: Callable[[Any], Any]) -> None:
    item = ChoiceBegin(3, "target", "pi-1:2")
    again = clone(item)
    assert type(again) is ChoiceBegin
    assert tuple(again) == (0, 3, "target")
    assert again.activation == "pi-1:2"
    legacy = clone(ChoiceBegin(1, "target", None))
    assert legacy.activation is None

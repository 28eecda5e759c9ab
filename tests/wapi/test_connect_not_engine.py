"""``connect`` takes an Engine: a URL, a store or None is a ``TypeError`` naming the argument
at once. It returned a session whose first use was a bare ``AttributeError``."""

from __future__ import annotations

import pytest

from wfengine import MemoryStore
from wfengine.wapi import connect


@pytest.mark.parametrize("engine", [None, "sqlite:///wf.db", MemoryStore()])
def test_connect_refuses_what_is_no_engine(engine: object) -> None:
    with pytest.raises(TypeError, match=r"connect: engine must be a wfengine\.Engine"):
        connect(engine, "alice")  # type: ignore[arg-type]

"""A dict with a key that is not text cannot be stored: the error says the key is the
problem (``a dict key must be a str, not int 2024``) and where the dict is. Before, it read
``(key 2024): a int value cannot be stored; use ... dict with str keys``, as if a value were
wrong."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.errors import DataNotStorableError
from wfengine.runtime.values import check_storable


class _Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


def _engine() -> Engine:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    p = pb.process("m")
    p.data_field("r", "REFERENCE")
    p.start("s").activity("a", performer="clerk").end("e").sequence("s", "a", "e")
    engine = Engine(clock=VirtualClock())
    engine.deploy(pb.build())
    return engine


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ({"totals": {2024: 10.5}}, "data['r']['totals']: a dict key must be a str, not int 2024"),
        ({"x": [{("a", 1): 1}]}, "data['r']['x'][0]: a dict key must be a str, not tuple ('a', 1)"),
        ({None: 1}, "data['r']: a dict key must be a str, not NoneType None"),
    ],
)
def test_the_key_is_named_as_the_problem(value: Any, said: str) -> None:
    engine = _engine()
    with pytest.raises(DataNotStorableError) as caught:
        engine.start_process("m", {"r": value})
    assert said in str(caught.value)
    assert "value cannot be stored" not in str(caught.value)


def test_a_key_whose_text_is_long_or_fails_is_still_named() -> None:
    with pytest.raises(DataNotStorableError, match=r"not tuple \('aaaa[a]*\.\.\.$"):
        check_storable({"r": {("a" * 100,): 1}}, "here")
    with pytest.raises(DataNotStorableError, match=r"a dict key must be a str, not int$"):
        check_storable({"r": {10**5000: 1}}, "here")  # (too long for Python to write)
    with pytest.raises(DataNotStorableError, match=r"a dict key must be a str, not _Unprintable$"):
        check_storable({"r": {_Unprintable(): 1}}, "here")

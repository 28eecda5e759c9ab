"""An InitialValue expression that reads other fields and gives a value its field's type
cannot take (``total / people`` giving 2.5 for an INTEGER, ``people`` giving 2 for a
BOOLEAN) was stored as computed: no deploy error, no finding, and the instance failed later
at whatever activity next checked the field, while the same value from the starter was
refused. The start is refused now, with a DataTypeError naming the field and its initial
value, and nothing is stored; conversions that lose nothing are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, validate
from wfengine.definition.model import Package
from wfengine.errors import DataTypeError


def _package(kind: str, initial: str, *, sensitive: bool = False) -> Package:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("total", "INTEGER", initial="5")
    p.data_field("people", "INTEGER", initial="2")
    extended = {"wfengine:sensitive": "true"} if sensitive else None
    p.data_field("x", kind, initial=initial, extended=extended)
    p.start("s0").activity("review", performer="clerk").end("e0")
    p.sequence("s0", "review", "e0")
    return b.build()


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize(
    ("kind", "initial", "got"),
    [("INTEGER", "total / people", "float 2.5"), ("BOOLEAN", "people", "int 2")],
)
def test_an_initial_value_the_type_cannot_take_refuses_the_start(
    tmp_path: Path, store: str, kind: str, initial: str, got: str
) -> None:
    pkg = _package(kind, initial)
    assert validate(pkg) == []  # (known only when it runs: it reads other fields)
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    engine = Engine(db_url=url, clock=VirtualClock())
    try:
        engine.deploy(pkg)
        with pytest.raises(DataTypeError) as caught:
            engine.start_process("proc")
        message = str(caught.value)
        assert f"data field 'x': its initial value {initial!r}" in message
        assert f"expected {kind}, got {got}" in message
        assert engine.instances() == []  # nothing stored
    finally:
        engine.close()


def test_a_sensitive_field_s_value_is_not_shown() -> None:
    engine = Engine(clock=VirtualClock())
    engine.deploy(_package("INTEGER", "total / people", sensitive=True))
    with pytest.raises(DataTypeError, match="not shown: sensitive") as caught:
        engine.start_process("proc")
    assert "2.5" not in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "initial", "expected"),
    [("INTEGER", "total / 5", 1), ("FLOAT", "total + people", 7.0), ("STRING", "'n' * 2", "nn")],
)
def test_a_value_that_converts_without_loss_is_kept(
    kind: str, initial: str, expected: object
) -> None:
    engine = Engine(clock=VirtualClock())
    engine.deploy(_package(kind, initial))
    value = engine.instance(engine.start_process("proc")).data["x"]
    assert value == expected and type(value) is type(expected)


def _message_started() -> Package:
    """``proc``, started by message ``go``, whose ``x`` is ``total / people`` (2.5)."""
    b = PackageBuilder("m")
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("total", "INTEGER", initial="5")
    p.data_field("people", "INTEGER", initial="2")
    p.data_field("x", "INTEGER", initial="total / people")
    p.data_field("y", "INTEGER", initial="x * 2")
    p.start("go", message="go").activity("review", performer="clerk")
    p.transition("go", "review")
    return b.build()


@pytest.mark.parametrize("how", ["start_process", "start_by_message"])
def test_a_field_the_starter_gives_is_not_refused_for_its_initial_value(how: str) -> None:
    """The starter's value replaces the initial one: ``x`` given 3 starts (it was refused
    for the 2.5 its initial gives, before the starter's value was looked at); a later
    initial value still reads ``x``'s initial one, as always (``y`` is 5, not 6)."""
    engine = Engine(clock=VirtualClock())
    engine.deploy(_message_started())
    start = engine.start_by_message if how == "start_by_message" else engine.start_process
    iid = start("go" if how == "start_by_message" else "proc", {"x": 3})
    assert engine.instance(iid).data == {"total": 5, "people": 2, "x": 3, "y": 5}
    with pytest.raises(DataTypeError, match=r"data field 'x': its initial value"):
        start("go" if how == "start_by_message" else "proc", {"y": 1})  # x not given
    assert len(engine.instances()) == 1

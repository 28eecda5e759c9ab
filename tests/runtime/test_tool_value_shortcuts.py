"""An application's inputs and answers of their formal's own plain type skip the conversion
(runtime.tools: ``_inputs``, ``_outputs``), and an answer of only text, bools, None and ints a
store takes skips the storability look and the copy: these show that everything else still
gets them, as before the shortcut."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.states import ProcessState


class Level(IntEnum):
    LOW = 1


class Color(StrEnum):
    RED = "red"


def _engine(formal: str, field: str, answer: Any, given: Any = None) -> tuple[Engine, str]:
    """An instance whose one activity calls ``a`` with ``given`` as ``x`` (a ``formal``)
    and writes its answer ``r`` (a ``formal`` too) to ``res`` (a ``field``)."""
    pb = PackageBuilder("pkg")
    pb.application("a", params=[("x", "IN", formal), ("r", "OUT", formal)])
    p = pb.process("main")
    p.data_field("arg", formal)
    p.data_field("res", field)
    p.activity("t", tool="a", args=["arg", "res"])
    seen: list[Any] = []
    engine = Engine(clock=VirtualClock())
    engine.applications.register("a", lambda x: seen.append(x) or {"r": answer})
    engine.deploy(pb.build())
    iid = engine.start_process("main", {"arg": given})
    engine.seen = seen  # type: ignore[attr-defined]
    return engine, iid


@pytest.mark.parametrize(
    ("formal", "answer", "kept"),
    [
        ("INTEGER", 5, 5),
        ("INTEGER", Level.LOW, 1),
        ("INTEGER", 2.0, 2),
        ("STRING", "s", "s"),
        ("STRING", Color.RED, "red"),
        ("STRING", 7, "7"),
        ("BOOLEAN", True, True),
        ("BOOLEAN", "false", False),
        ("FLOAT", 1, 1.0),
    ],
)
def test_an_answer_is_kept_as_its_type_takes_it(formal: str, answer: Any, kept: Any) -> None:
    engine, iid = _engine(formal, formal, answer)
    data = engine.instance(iid).data
    assert data["res"] == kept and type(data["res"]) is type(kept)


@pytest.mark.parametrize(("formal", "answer"), [("INTEGER", True), ("BOOLEAN", 1)])
def test_an_answer_of_another_type_is_still_refused(formal: str, answer: Any) -> None:
    engine, iid = _engine(formal, formal, answer)
    (incident,) = engine.incidents(iid)
    assert f"returned OUT parameter 'r': expected {formal}" in incident.message


def test_an_integer_no_store_takes_is_still_refused() -> None:
    engine, iid = _engine("INTEGER", "INTEGER", 2**5000)
    (incident,) = engine.incidents(iid)
    assert "application 'a' returned, data['res']" in incident.message
    assert engine.instance(iid).state is ProcessState.RUNNING


def test_a_field_of_another_type_still_converts_the_answer() -> None:
    engine, iid = _engine("INTEGER", "STRING", 5)
    assert engine.instance(iid).data["res"] == "5"


def test_an_input_subclass_is_given_as_its_plain_value() -> None:
    engine, _ = _engine("STRING", "STRING", "ok", given=Color.RED)
    (x,) = engine.seen  # type: ignore[attr-defined]
    assert x == "red" and type(x) is str

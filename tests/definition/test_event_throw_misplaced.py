"""A start event or an attached (boundary) event that throws its message or signal
(``CatchThrow="THROW"``) never fires: the engine arms neither, so ``start_by_message`` finds no
start and a message sent to the instance finds no catch. Before, the builder took
``throw=True`` there and validation said nothing; now the builder refuses it (README: "the
builder refuses ... ``throw=True`` on an event that cannot throw") and validation reports
``event-throw``, an error, for one read from XPDL. A catch there, and a throw in the flow or at
an end, stay clean."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import BuildError, PackageBuilder, dump_xpdl, load_xpdl, validate
from wfengine.definition.builder import ProcessBuilder
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package


def _start(p: ProcessBuilder, trigger: str, throw: bool) -> None:
    p.start("s", **{trigger: "order"}, throw=throw)  # type: ignore[arg-type]
    p.activity("a", performer="r").end("e").sequence("s", "a", "e")


def _attached(p: ProcessBuilder, trigger: str, throw: bool) -> None:
    p.start("s").activity("a", performer="r").end("e").end("e2").sequence("s", "a", "e")
    p.intermediate("b", **{trigger: "order"}, throw=throw, attached_to="a")  # type: ignore[arg-type]
    p.transition("b", "e2")


def _package(
    shape: Callable[[ProcessBuilder, str, bool], None], trigger: str, throw: bool
) -> Package:
    b = PackageBuilder("p")
    b.participant("r")
    shape(b.process("proc"), trigger, throw)
    return b.build()


SHAPES = [
    pytest.param(_start, "event 's': it is a {} start event that throws", id="start"),
    pytest.param(_attached, "event 'b': it is attached to 'a' and throws its {}", id="attached"),
]


@pytest.mark.parametrize(("shape", "said"), SHAPES)
@pytest.mark.parametrize(("trigger", "kind"), [("message", "Message"), ("signal", "Signal")])
def test_the_builder_refuses_a_throw_that_never_fires(
    shape: Callable[[ProcessBuilder, str, bool], None], said: str, trigger: str, kind: str
) -> None:
    with pytest.raises(BuildError) as err:
        _package(shape, trigger, throw=True)
    message = str(err.value)
    assert said.format(kind) in message
    assert "never fires" in message
    assert "leave out throw=True" in message


def _thrown(xml: bytes) -> Package:
    """The XPDL with its start or attached event's trigger element made a throw."""
    text = xml.decode()
    for element in ("TriggerResultMessage", "TriggerResultSignal"):
        text = text.replace(f"<{element} ", f'<{element} CatchThrow="THROW" ')
        text = text.replace(f"<{element}>", f'<{element} CatchThrow="THROW">')
    assert 'CatchThrow="THROW"' in text
    return load_xpdl(text.encode())


@pytest.mark.parametrize(("shape", "said"), SHAPES)
@pytest.mark.parametrize(("trigger", "kind"), [("message", "Message"), ("signal", "Signal")])
def test_validation_reports_a_throw_read_from_xpdl(
    shape: Callable[[ProcessBuilder, str, bool], None], said: str, trigger: str, kind: str
) -> None:
    catching = _package(shape, trigger, throw=False)
    assert not [d for d in validate(catching) if d.code == "event-throw"]
    found = [d for d in validate(_thrown(dump_xpdl(catching))) if d.code == "event-throw"]
    assert len(found) == 1
    [finding] = found
    assert finding.severity is Severity.ERROR
    assert finding.element_id == said.split("'")[1]
    assert "never fires" in finding.message
    assert "process 'proc'" in finding.message


@pytest.mark.parametrize("trigger", ["message", "signal"])
def test_throws_in_the_flow_and_at_the_end_stay_clean(trigger: str) -> None:
    b = PackageBuilder("p")
    p = b.process("proc")
    p.start("s").intermediate("t", **{trigger: "x"}, throw=True)  # type: ignore[arg-type]
    p.end("e", **{trigger: "y"}, throw=True)  # type: ignore[arg-type]
    p.sequence("s", "t", "e")
    assert not [d for d in validate(b.build()) if d.code == "event-throw"]

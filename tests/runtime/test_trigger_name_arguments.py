"""A message or signal name that is not a non-empty string is refused, naming the command
and the argument: broadcast_signal(None), (5) and ("") returned 0 as a signal nobody waited
for, send_message(None) said the process catches no message None, and a list was a bare
"unhashable type: 'list'"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as e:
        pb = PackageBuilder("desk")
        p = pb.process("ticket")
        p.start("s").intermediate("wait", message="go").intermediate("hold", signal="go")
        p.end("e").sequence("s", "wait", "hold", "e")
        e.deploy(pb.build())
        yield e


COMMANDS: dict[str, Callable[[Engine, object, str], object]] = {
    "broadcast_signal": lambda e, name, iid: e.broadcast_signal(name),  # type: ignore[arg-type]
    "send_message": lambda e, name, iid: e.send_message(name, instance_id=iid),  # type: ignore[arg-type]
    "start_by_message": lambda e, name, iid: e.start_by_message(name),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(
    ("name", "error", "says"),
    [
        (None, TypeError, "name must be a {what} name (a string), not NoneType None"),
        (5, TypeError, "name must be a {what} name (a string), not int 5"),
        (["go"], TypeError, "name must be a {what} name (a string), not list ['go']"),
        ("", ValueError, "name must name a {what}, not ''"),
    ],
)
def test_a_name_that_is_no_name_is_refused_and_nothing_changes(
    engine: Engine, command: str, name: object, error: type[Exception], says: str
) -> None:
    iid = engine.start_process("ticket")
    before = engine.audit(iid)
    what = "signal" if command == "broadcast_signal" else "message"
    with pytest.raises(error) as caught:
        COMMANDS[command](engine, name, iid)
    assert str(caught.value) == f"{command}: {says.format(what=what)}"
    assert engine.audit(iid) == before and len(engine.instances()) == 1


def test_a_correlated_lookup_refuses_a_message_that_is_no_name(engine: Engine) -> None:
    with pytest.raises(TypeError, match=r"^correlated_instance: message must be a message name"):
        engine.correlated_instance({"n": 1}, message=5)  # type: ignore[arg-type]


def test_the_names_still_reach_their_catches(engine: Engine) -> None:
    iid = engine.start_process("ticket")
    assert engine.send_message("go", instance_id=iid) is True
    assert engine.broadcast_signal("go") == 1
    assert engine.instance(iid).state.is_closed

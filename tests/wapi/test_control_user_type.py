"""Process control commands, and the operator's commands on activities and incidents, take
``user`` as a user id or None (the host): another type is a ``TypeError`` naming the command
and the argument, on every store, and changes nothing (the operator's commands once kept a
number in the memory store's trail, where ``audit_events(user=)`` could not find it, and
failed on SQL as data that cannot be stored, naming no argument)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, NotFoundError, PackageBuilder, VirtualClock


class _User:
    """A host's user object: not a user id."""

    def __str__(self) -> str:
        return "alice"


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url) as e:
        pb = PackageBuilder("desk")
        p = pb.process("ticket")
        p.data_field("note", "STRING", initial="''")
        p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
        e.deploy(pb.build())
        yield e


_COMMANDS: list[tuple[str, Callable[[Engine, str, Any], Any]]] = [
    ("create_instance", lambda e, i, u: e.create_instance("ticket", user=u)),
    ("start_process", lambda e, i, u: e.start_process("ticket", user=u)),
    ("start", lambda e, i, u: e.start(i, user=u)),
    ("suspend", lambda e, i, u: e.suspend(i, user=u)),
    ("resume", lambda e, i, u: e.resume(i, user=u)),
    ("terminate", lambda e, i, u: e.terminate(i, user=u)),
    ("abort", lambda e, i, u: e.abort(i, user=u)),
    ("set_data", lambda e, i, u: e.set_data(i, {"note": "x"}, user=u)),
    # checked before the activity instance or incident is looked up
    ("cancel_activity", lambda e, i, u: e.cancel_activity(i, f"{i}:1", user=u)),
    ("add_mi_instance", lambda e, i, u: e.add_mi_instance(f"{i}:1", user=u)),
    ("retry_incident", lambda e, i, u: e.retry_incident("inc-1", user=u)),
    ("skip_incident", lambda e, i, u: e.skip_incident("inc-1", user=u)),
    ("abort_incident", lambda e, i, u: e.abort_incident("inc-1", user=u)),
]


@pytest.mark.parametrize("user", [_User(), 7, ["alice"]], ids=["object", "int", "list"])
@pytest.mark.parametrize(("command", "call"), _COMMANDS, ids=[c for c, _ in _COMMANDS])
def test_a_user_that_is_not_an_id_is_a_type_error(
    engine: Engine, command: str, call: Callable[[Engine, str, Any], Any], user: Any
) -> None:
    instance_id = engine.create_instance("ticket")
    if command == "resume":
        engine.start(instance_id)
        engine.suspend(instance_id)
    before = (engine.instances(), len(engine.audit_events()))
    with pytest.raises(TypeError, match=f"{command}: user must be a user id"):
        call(engine, instance_id, user)
    assert (engine.instances(), len(engine.audit_events())) == before  # nothing changed


def test_a_user_id_is_named_in_the_trail(engine: Engine) -> None:
    instance_id = engine.create_instance("ticket", user="alice")
    engine.start(instance_id, user="alice")
    engine.terminate(instance_id, user="bob")
    assert [e.kind for e in engine.audit_events(user="alice")] == [
        "instance.created",
        "instance.state",
    ]
    assert [e.kind for e in engine.audit_events(user="bob")] == ["instance.state"]


@pytest.mark.parametrize("bad", [5, None])
def test_add_mi_instance_of_an_id_that_is_not_text_is_not_found(engine: Engine, bad: Any) -> None:
    # (it raised a bare AttributeError: 'int' object has no attribute 'rsplit')
    with pytest.raises(NotFoundError, match=f"no activity instance {bad}"):
        engine.add_mi_instance(bad)

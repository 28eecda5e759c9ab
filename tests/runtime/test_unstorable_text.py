"""Text no store can hold as it is (NUL: PostgreSQL; a lone surrogate, as ``json.loads`` makes
one: SQLite and PostgreSQL) is handled alike on every store: free texts the engine writes
(incident messages, an outbox entry's last error) are kept escaped, user ids and performer
values that no store could key by are refused (a ``ValueError``; an offer incident). Before,
PostgreSQL raised a bare driver error and SQLite a ``UnicodeEncodeError`` out of the command,
leaving the instance stuck, while memory took the text."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.outbox import OutboxRecord

_NUL = "Zoe\x00"
_SURROGATE = "Zo\ud800e"  # what json.loads('"Zo\\ud800e"') gives
_ESCAPED = {_NUL: "Zoe\\x00", _SURROGATE: "Zo\\ud800e"}


def _failing_lookup_package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.application("lookup", params=[("name", "IN", "STRING")])
    p = pb.process("main")
    p.participant("clerk")
    p.data_field("name", "STRING")
    p.start("s").activity("work", performer="clerk")
    p.activity("call", tool="lookup", args=["name"]).end("e")
    p.sequence("s", "work", "call", "e")
    return pb


def _lookup(name: str) -> None:
    raise LookupError(f"no customer named {name}")


@pytest.mark.parametrize("name", [_NUL, _SURROGATE], ids=["nul", "surrogate"])
def test_a_failure_quoting_unstorable_text_is_an_incident(engine: Engine, name: str) -> None:
    engine.applications.register("lookup", _lookup)
    engine.deploy(_failing_lookup_package().build())
    iid = engine.start_process("main", {"name": name})
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id, {})
    assert engine.work_items(iid) == []  # the work went on to the call
    [incident] = engine.incidents(iid)
    assert f"no customer named {_ESCAPED[name]} " in incident.message
    # the listing of all incidents (the incidents table on SQL) says the same
    assert [i.message for i in engine.incidents()] == [incident.message]
    kinds = [ev.kind for ev in engine.audit(iid)]
    assert "application.failed" in kinds and kinds[-1] == "incident.opened"


def test_a_job_whose_call_fails_with_unstorable_text_records_the_call(
    engine: Engine, clock: VirtualClock
) -> None:
    pb = PackageBuilder("pkg")
    pb.application("boom")
    p = pb.process("main")
    p.start("s").activity("call", tool="boom").end("e")
    p.sequence("s", "call", "e")
    calls: list[int] = []

    def boom() -> None:
        calls.append(1)
        raise RuntimeError("modem said \x00")

    engine.applications.register("boom", boom)
    engine.deploy(pb.build())
    iid = engine.create_instance("main")
    engine.start(iid, defer=True)
    engine.run_due_jobs()
    clock.advance(timedelta(minutes=5))
    engine.run_due_jobs()
    assert calls == [1]
    [incident] = engine.incidents(iid)
    assert "modem said \\x00" in incident.message
    assert engine.jobs() == []
    assert {"application.invoked", "application.failed"} <= {ev.kind for ev in engine.audit(iid)}


@pytest.mark.parametrize(
    "user", ["cl\x00erk", "x\ud800", "u" * 201], ids=["nul", "surrogate", "too-long"]
)
def test_a_user_id_no_store_can_hold_is_refused_by_name(engine: Engine, user: str) -> None:
    engine.deploy(_failing_lookup_package().build())
    iid = engine.start_process("main", {"name": "x"})
    [item] = engine.work_items(iid)
    with pytest.raises(ValueError, match=r"^claim_work_item: user "):
        engine.claim_work_item(item.id, user)
    with pytest.raises(ValueError, match=r"^delegate_work_item: to "):
        engine.delegate_work_item(item.id, "clerk", user)
    assert [w.state.value for w in engine.work_items(iid)] == ["offered"]


def test_a_user_id_of_200_characters_is_taken(engine: Engine) -> None:
    longest = "u" * 200
    engine.deploy(_failing_lookup_package().build())
    iid = engine.start_process("main", {"name": "x"})
    [item] = engine.work_items(iid)
    engine.claim_work_item(item.id, "clerk")
    engine.delegate_work_item(item.id, "clerk", longest)
    assert engine.work_items_of(longest)[0].id == item.id


@pytest.mark.parametrize(
    "desk", ["billing\x00", "bill\ud800ing", "desk:" + "x" * 220], ids=["nul", "surrogate", "long"]
)
def test_a_performer_value_no_store_can_hold_is_an_offer_incident(
    engine: Engine, desk: str
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("desk", "STRING")
    p.start("s").activity("work", performer="desk").end("e")
    p.sequence("s", "work", "e")
    engine.deploy(pb.build())
    iid = engine.start_process("main", {"desk": desk})
    assert engine.work_items(iid) == []
    [incident] = engine.incidents(iid)
    assert incident.operation == "offer"
    assert "performer 'desk' of activity 'work'" in incident.message


def _offer_to_a_failing_handler(engine: Engine, error: str) -> None:
    """Start an instance whose work item's offer goes to a handler raising ``error``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("clerk")
    p.start("s").activity("work", performer="clerk").end("e")
    p.sequence("s", "work", "e")
    engine.deploy(pb.build())

    def handler(entry: OutboxRecord) -> None:
        raise RuntimeError(error)

    engine.outbox.subscribe(handler, ["work_item.offered"])
    engine.start_process("main")


@pytest.mark.parametrize("bad", ["gateway said \x00", "bad name Zo\ud800e"], ids=["nul", "sur"])
def test_an_outbox_handler_error_with_unstorable_text_is_kept_escaped(
    engine: Engine, bad: str
) -> None:
    _offer_to_a_failing_handler(engine, bad)
    engine.deliver_outbox()
    [entry] = [x for x in engine.outbox.entries() if x.kind == "work_item.offered"]
    assert entry.attempts == 1
    expected = bad.replace("\x00", "\\x00").replace("\ud800", "\\ud800")
    assert entry.last_error is not None
    assert entry.last_error.endswith(f".handler: RuntimeError: {expected}")


@pytest.mark.parametrize("name", [_NUL, _SURROGATE], ids=["nul", "surrogate"])
def test_the_incident_opened_event_says_what_the_incident_says(engine: Engine, name: str) -> None:
    """The trail's ``incident.opened`` (and the incident's outbox entry) kept the raw text
    while the incident held it escaped."""
    engine.applications.register("lookup", _lookup)
    engine.deploy(_failing_lookup_package().build())
    iid = engine.start_process("main", {"name": name})
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id, {})
    [incident] = engine.incidents(iid)
    [opened] = [e for e in engine.audit(iid) if e.kind == "incident.opened"]
    assert opened.payload.message == incident.message  # type: ignore[union-attr]


@pytest.mark.parametrize("owner", ["w" * 201, "w\x00"], ids=["long", "nul"])
def test_a_lease_owner_no_store_can_hold_is_refused_before_anything_is_claimed(
    engine: Engine, owner: str
) -> None:
    with pytest.raises(ValueError, match=r"^run_due_jobs: owner"):
        engine.run_due_jobs(owner=owner)
    with pytest.raises(ValueError, match=r"^deliver: owner"):
        engine.outbox.deliver(owner=owner)


def test_the_log_of_a_failed_delivery_says_the_error_escaped(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """The warning logged the raw text: a lone surrogate broke a log handler writing UTF-8
    (it broke the test runner's own report of this very test)."""
    import logging

    _offer_to_a_failing_handler(engine, _SURROGATE)
    with caplog.at_level(logging.WARNING):
        engine.deliver_outbox()
    assert "RuntimeError: Zo\\ud800e" in caplog.text
    caplog.text.encode("utf-8")  # (raised UnicodeEncodeError)

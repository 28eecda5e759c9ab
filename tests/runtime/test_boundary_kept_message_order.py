"""Messages kept before an activity begins fire its attached message events in the order they
arrived, whichever event the definition lists first, as they do when kept while the instance
is suspended and given back by a resume: a non-interrupting ``note`` that came before an
interrupting ``cancel`` is handled, one that came after stays kept (its activity was closed)."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, ProcessState

#: what runs when 'note' (non-interrupting) arrived before 'cancel' (interrupting)
NOTE_THEN_CANCEL = ["s", "bn", "bi", "noted", "ecancel", "enote"]
#: what runs when 'cancel' arrived first: it closes 'work', so 'note' fires nothing there
CANCEL_THEN_NOTE = ["s", "bi", "ecancel"]


def _package(note_listed_first: bool) -> PackageBuilder:
    """A person's task 'work' with two message events attached: interrupting 'cancel' ->
    'ecancel' and non-interrupting 'note' -> 'noted' -> 'enote', listed in either order."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("answer", "STRING")
    p.start("s").activity("work", performer="clerk").end("e").sequence("s", "work", "e")

    def cancel() -> None:
        p.intermediate("bi", message="cancel", attached_to="work").end("ecancel")
        p.transition("bi", "ecancel")

    def note() -> None:
        p.intermediate("bn", message="note", attached_to="work", interrupting=False)
        p.activity("noted").end("enote").sequence("bn", "noted", "enote")

    for add in (note, cancel) if note_listed_first else (cancel, note):
        add()
    return pb


@pytest.mark.parametrize("note_listed_first", [False, True])
@pytest.mark.parametrize(
    ("arrivals", "trace"),
    [(("note", "cancel"), NOTE_THEN_CANCEL), (("cancel", "note"), CANCEL_THEN_NOTE)],
)
def test_messages_kept_before_the_activity_begins_fire_in_arrival_order(
    engine: Engine, note_listed_first: bool, arrivals: tuple[str, str], trace: list[str]
) -> None:
    engine.deploy(_package(note_listed_first).build())
    iid = engine.create_instance("main")
    for name in arrivals:
        assert engine.send_message(name, {"answer": name}, instance_id=iid) is False  # kept
    engine.start(iid)
    assert engine.trace(iid) == trace
    assert engine.instance(iid).state is ProcessState.COMPLETED
    # (the data of each message taken: 'cancel' is taken last, or alone)
    assert engine.instance(iid).data["answer"] == "cancel"


@pytest.mark.parametrize("note_listed_first", [False, True])
@pytest.mark.parametrize("arrivals", [("note", "cancel"), ("cancel", "note")])
def test_kept_before_the_activity_begins_as_kept_while_suspended(
    engine: Engine, note_listed_first: bool, arrivals: tuple[str, str]
) -> None:
    """The two ways a message is kept for an activity's events give the same run."""
    engine.deploy(_package(note_listed_first).build())
    before = engine.create_instance("main")
    suspended = engine.start_process("main")
    engine.suspend(suspended)
    for name in arrivals:
        engine.send_message(name, {"answer": name}, instance_id=before)
        engine.send_message(name, {"answer": name}, instance_id=suspended)
    engine.start(before)
    engine.resume(suspended)
    assert engine.trace(before) == engine.trace(suspended)


# -- event sub-processes: a scope's kept messages start them in the order they arrived -------


def _esp_package(note_listed_first: bool, in_block: bool) -> PackageBuilder:
    """A person's task 'work' in a scope (the process's top level, or block 'region' after
    a person's task 'first') with two event sub-processes: interrupting 'cancel' (block
    'on_cancel': 'ci' -> 'ecancel') and non-interrupting 'note' (block 'on_note': 'cn' ->
    'noted' (a person's task, so it is still running when 'cancel' comes), listed in either
    order."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("answer", "STRING")
    scope = p.activity_set("inner") if in_block else p
    scope.start("s").activity("work", performer="clerk").end("e").sequence("s", "work", "e")
    note = p.activity_set("n_set", triggered_by_event=True)
    note.start("cn", message="note", interrupting=False).activity("noted", performer="clerk")
    note.end("enote").sequence("cn", "noted", "enote")
    cancel = p.activity_set("c_set", triggered_by_event=True)
    cancel.start("ci", message="cancel").end("ecancel").transition("ci", "ecancel")
    blocks = (("on_note", "n_set"), ("on_cancel", "c_set"))
    for name, activity_set in blocks if note_listed_first else blocks[::-1]:
        scope.block(name, activity_set=activity_set)
    if in_block:
        p.start("ps").activity("first", performer="clerk").block("region", activity_set="inner")
        p.end("pe").sequence("ps", "first", "region", "pe")
    return pb


def _scope_begins(engine: Engine, in_block: bool, kept: tuple[str, ...]) -> str:
    """An instance of ``main`` whose scope begins after messages ``kept`` came (each kept)."""
    iid = engine.create_instance("main") if not in_block else engine.start_process("main")
    for name in kept:
        assert engine.send_message(name, {"answer": name}, instance_id=iid) is False  # kept
    if in_block:
        (first,) = engine.work_items(iid)
        engine.complete_work_item(first.id)
    else:
        engine.start(iid)
    return iid


def _scope_suspended(engine: Engine, in_block: bool, kept: tuple[str, ...]) -> str:
    """An instance of ``main`` whose scope runs, given messages ``kept`` while suspended."""
    iid = engine.start_process("main")
    if in_block:
        (first,) = engine.work_items(iid)
        engine.complete_work_item(first.id)
    engine.suspend(iid)
    for name in kept:
        engine.send_message(name, {"answer": name}, instance_id=iid)
    engine.resume(iid)
    return iid


@pytest.mark.parametrize("in_block", [False, True])
@pytest.mark.parametrize("note_listed_first", [False, True])
def test_kept_cancel_then_note_start_only_the_interrupting_event_subprocess(
    engine: Engine, note_listed_first: bool, in_block: bool
) -> None:
    """'cancel' came first: it withdraws the scope and disarms it, so the later 'note' starts
    nothing there and its data is not written (it stays kept)."""
    engine.deploy(_esp_package(note_listed_first, in_block).build())
    iid = _scope_begins(engine, in_block, ("cancel", "note"))
    assert _received(engine, iid) == ["on_cancel"]
    assert "on_note" not in engine.trace(iid)
    assert engine.instance(iid).data["answer"] == "cancel"
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.work_items(iid) == []


@pytest.mark.parametrize("in_block", [False, True])
@pytest.mark.parametrize("note_listed_first", [False, True])
def test_kept_note_then_cancel_start_both_event_subprocesses_in_that_order(
    engine: Engine, note_listed_first: bool, in_block: bool
) -> None:
    """'note' came first: its event sub-process starts, then 'cancel' withdraws it with the
    rest of the scope."""
    engine.deploy(_esp_package(note_listed_first, in_block).build())
    iid = _scope_begins(engine, in_block, ("note", "cancel"))
    assert _received(engine, iid) == ["on_note", "on_cancel"]
    assert engine.instance(iid).data["answer"] == "cancel"
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize("in_block", [False, True])
@pytest.mark.parametrize("note_listed_first", [False, True])
@pytest.mark.parametrize("arrivals", [("note", "cancel"), ("cancel", "note")])
def test_event_subprocesses_kept_before_the_scope_begins_as_kept_while_suspended(
    engine: Engine, note_listed_first: bool, in_block: bool, arrivals: tuple[str, str]
) -> None:
    """The two ways a message is kept for a scope's event sub-processes start the same ones
    with the same data (what else ran differs: 'work' began in the one suspended)."""
    engine.deploy(_esp_package(note_listed_first, in_block).build())
    before = _scope_begins(engine, in_block, arrivals)
    suspended = _scope_suspended(engine, in_block, arrivals)
    assert _received(engine, before) == _received(engine, suspended)
    assert engine.instance(before).data == engine.instance(suspended).data


def _received(engine: Engine, iid: str) -> list[str | None]:
    """The activities that took a message in instance ``iid``, in turn."""
    return [ev.activity_id for ev in engine.audit(iid) if ev.kind == "message.received"]

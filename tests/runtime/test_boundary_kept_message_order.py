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

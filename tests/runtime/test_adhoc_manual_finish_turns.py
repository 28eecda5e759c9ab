"""In a sequential ad-hoc set (``AdHocOrdering="Sequential"``), a tool with a Manual finish
takes its turn as its applications run and holds the set until a person confirms it
(docs/semantics.md, "Ad-hoc activity sets"; WCP17). It used to hold nothing once its
confirmation was on offer: at the set's start every such tool's applications ran at once, and
a person could start another activity of the set first, after which the tool's confirmation
was refused (the order reversed). Instances stored by that engine, with two activities in
progress, still finish: one goes on, the others wait for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import check_history, run, store_url
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import IllegalStateError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.instance import ActivityInstance
from wfengine.runtime.navigation import turns
from wfengine.runtime.states import ProcessState, WorkItemState

pytestmark = pytest.mark.parametrize("store_kind", ["memory", "sqlite"], indirect=True)


def _package(*tools: str, person: bool = False, script: bool = False) -> PackageBuilder:
    """A block 'review' runs a sequential set of the tools ``tools`` (Automatic start, Manual
    finish: each calls its own application, '<tool>_app', which appends its name's digit to
    'n', then a clerk confirms it); with ``person``, a clerk's activity 'A'; with ``script``,
    a script task 'calc' (appends 'c'; Manual finish)."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("n", "STRING", initial="''")
    s = p.activity_set("checks", adhoc="Sequential")
    if person:
        s.activity("A", performer="clerk")
    for name in tools:
        p.application(f"{name}_app", params=[("v", "INOUT", "STRING")])
        s.activity(name, tool=f"{name}_app", args=["n"], performer="clerk", finish_mode="Manual")
    if script:
        s.activity("calc", script="n = n + 'c'", performer="clerk", finish_mode="Manual")
    p.block("review", activity_set="checks")
    return pb


def _bind(engine: Engine, *tools: str) -> list[str]:
    """Register each tool's application; returns the tools whose applications ran, in order."""
    calls: list[str] = []
    for name in tools:

        def app(v: str, name: str = name) -> dict[str, str]:
            calls.append(name)
            return {"v": v + name[-1]}

        engine.applications.register(f"{name}_app", app)
    return calls


def _item(engine: Engine, iid: str, activity_id: str) -> str:
    [item] = [w.id for w in engine.work_items(iid) if w.activity_id == activity_id]
    return item


def _states(engine: Engine, iid: str) -> dict[str, str]:
    return {a.activity_id: a.state.value for a in engine.activity_instances(iid)}


def _old_holds_turn(ai: ActivityInstance, item_state: Callable[[str], WorkItemState]) -> bool:
    """The rule of the engine before the fix: an activity with a work item held the set only
    while that item was started (or completed), a tool's confirmation on offer too."""
    if ai.running_at is None or not ai.state.is_open:
        return False
    taken = (WorkItemState.STARTED, WorkItemState.COMPLETED)
    return ai.work_item is None or item_state(ai.work_item) in taken


@pytest.fixture
def reopen(
    request: pytest.FixtureRequest,
    store_kind: str,
    engine: Engine,
    clock: VirtualClock,
    tmp_path: Path,
) -> Iterator[Callable[[], Engine]]:
    """Opens the test's store again (a database's instances are then read from what was
    stored); the memory store's engine is the one it has."""
    opened: list[Engine] = []

    def make() -> Engine:
        if store_kind == "memory":
            return engine
        opened.append(Engine(clock=clock, db_url=store_url(request, store_kind, tmp_path)))
        return opened[-1]

    yield make
    for later in opened:
        check_history(later)
        later.close()


def test_manual_finish_tools_of_a_sequential_set_run_one_after_the_other(engine: Engine) -> None:
    calls = _bind(engine, "T1", "T2")
    iid = run(engine, _package("T1", "T2"))
    assert calls == ["T1"]  # T2's application waits for T1's confirmation
    states = _states(engine, iid)
    assert states["T1"] == "open.running"
    assert states["T2"] == "open.not_running.not_started"
    t1 = _item(engine, iid, "T1")
    engine.claim_work_item(t1, "clerk")
    engine.start_work_item(t1, "clerk")  # its own confirmation: T1 holds the set
    engine.complete_work_item(t1)
    assert calls == ["T1", "T2"]
    assert _states(engine, iid)["T2"] == "open.running"
    engine.complete_work_item(_item(engine, iid, "T2"))
    snap = engine.instance(iid)
    assert snap.state is ProcessState.COMPLETED
    assert snap.data["n"] == "12"


def test_a_persons_work_waits_for_a_manual_finish_tool_in_progress(engine: Engine) -> None:
    _bind(engine, "T")
    iid = run(engine, _package("T", person=True))
    a = _item(engine, iid, "A")
    engine.claim_work_item(a, "clerk")
    with pytest.raises(IllegalStateError, match=r"'T' of its ad-hoc set is in progress"):
        engine.start_work_item(a, "clerk")
    with pytest.raises(IllegalStateError, match=r"'T' of its ad-hoc set is in progress"):
        engine.complete_work_item(a)
    engine.complete_work_item(_item(engine, iid, "T"))
    engine.start_work_item(a, "clerk")  # its turn now
    engine.complete_work_item(a)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_script_with_a_manual_finish_holds_the_set_until_confirmed(engine: Engine) -> None:
    iid = run(engine, _package(person=True, script=True))
    assert engine.instance(iid).data["n"] == "c"  # its script ran: its confirmation waits
    a = _item(engine, iid, "A")
    engine.claim_work_item(a, "clerk")
    with pytest.raises(IllegalStateError, match=r"'calc' of its ad-hoc set is in progress"):
        engine.start_work_item(a, "clerk")
    engine.complete_work_item(_item(engine, iid, "calc"))
    engine.start_work_item(a, "clerk")
    engine.complete_work_item(a)
    assert engine.instance(iid).state is ProcessState.COMPLETED


class _DownDirectory:
    """An organisation server that does not answer: every offer is an ``offer`` incident."""

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        raise ConnectionError("directory down")


def test_a_tool_whose_confirmation_waits_for_an_offer_incident_still_holds_the_set(
    engine: Engine,
) -> None:
    # its applications ran: its turn is taken, and its confirmation, offered once the
    # incident is retried, must not be refused behind work begun meanwhile
    _bind(engine, "T")
    engine.deploy(_package("T", person=True).build())
    working = engine.directory
    engine.directory = _DownDirectory()
    iid = engine.start_process("main")
    incidents = {i.activity_id: i.id for i in engine.incidents(iid)}
    assert sorted(incidents) == ["A", "T"]
    engine.directory = working
    engine.retry_incident(incidents["A"])
    a = _item(engine, iid, "A")
    engine.claim_work_item(a, "clerk")
    with pytest.raises(IllegalStateError, match=r"'T' of its ad-hoc set is in progress"):
        engine.start_work_item(a, "clerk")
    engine.retry_incident(incidents["T"])
    engine.complete_work_item(_item(engine, iid, "T"))
    engine.start_work_item(a, "clerk")
    engine.complete_work_item(a)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_stored_instance_with_two_tools_in_progress_finishes_them_in_turn(
    engine: Engine, reopen: Callable[[], Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _bind(engine, "T1", "T2")
    with monkeypatch.context() as old:
        old.setattr(turns, "holds_turn", _old_holds_turn)
        iid = run(engine, _package("T1", "T2"))
    assert calls == ["T1", "T2"]  # both ran, as the old engine stored them
    later = reopen()
    t1, t2 = _item(later, iid, "T1"), _item(later, iid, "T2")
    with pytest.raises(IllegalStateError, match=r"'T1' of its ad-hoc set is in progress"):
        later.complete_work_item(t2)
    later.complete_work_item(t1)  # the first goes on, not refused by the second
    later.complete_work_item(t2)
    assert later.instance(iid).state is ProcessState.COMPLETED


def test_a_stored_instance_with_a_started_item_beside_a_tool_finishes_the_persons_work_first(
    engine: Engine, reopen: Callable[[], Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    _bind(engine, "T")
    with monkeypatch.context() as old:
        old.setattr(turns, "holds_turn", _old_holds_turn)
        iid = run(engine, _package("T", person=True))
        a = _item(engine, iid, "A")
        engine.claim_work_item(a, "clerk")
        engine.start_work_item(a, "clerk")  # the old engine let the person begin
    later = reopen()
    with pytest.raises(IllegalStateError, match=r"'A' of its ad-hoc set is in progress"):
        later.complete_work_item(_item(later, iid, "T"))
    later.complete_work_item(a)  # the person's started work goes on, as it did
    later.complete_work_item(_item(later, iid, "T"))
    assert later.instance(iid).state is ProcessState.COMPLETED

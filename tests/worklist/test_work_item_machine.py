"""A hypothesis state machine: random work-item operations by random users, the unauthorised
included, on the in-memory store and on SQLite. Invariants after every step: an open item
has a holder exactly when it is allocated or started, a completed or cancelled item never
changes again, a refused operation changes nothing but adds one ``operation.refused`` event,
no work item is lost, and no activity instance has two open items."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.worklist.conftest import ORG
from wfengine import (
    Engine,
    IllegalStateError,
    Organisation,
    PackageBuilder,
    ProcessState,
    VirtualClock,
    WorkItemState,
)
from wfengine.errors import NotAuthorizedError, NotFoundError

USERS = ("alice", "bob", "carol", "dan", "root", "mallory")
OPS = ("claim", "start", "release", "delegate", "reassign", "complete", "send back")
_HELD = {WorkItemState.ALLOCATED, WorkItemState.STARTED}


def _package() -> Any:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.route("split", gateway="Parallel")
    p.route("join", gateway="Parallel")
    for a, who in (("quote", "clerk"), ("check", "clerk"), ("book", "accountant")):
        p.activity(a, performer=who)
        p.transition("split", a).transition(a, "join")
    p.activity("approve", performer="manager")
    p.transition("join", "approve")
    return pb.build()


#: the organisation's facts the oracle needs, written out (carol supervises sales)
_ADMINS = {"root"}
_SUPERVISES = {("carol", "alice"), ("carol", "bob")}
_KNOWN = {"alice", "bob", "carol", "dan", "root"}


def _allowed(op: str, item: Any, user: str, to: str) -> bool:
    """Issue 12's authorisation rules, stated apart from the engine's: may ``user`` do ``op``?"""
    if op in ("delegate", "reassign") and (to == item.holder or to not in _KNOWN):
        return False
    if user in _ADMINS:
        return True
    if op == "claim":
        return user in item.assignees
    if op in ("start", "release", "delegate", "send back"):
        return user == item.holder
    if op == "complete":
        return user == item.holder or (item.holder is None and user in item.assignees)
    people = [item.holder] if item.holder else list(item.assignees)
    return any((user, p) in _SUPERVISES for p in people)


def _view(item: Any) -> tuple[Any, ...]:
    return (item.state, item.holder, item.owner, item.started_at, item.completed_at)


class WorkItems(RuleBasedStateMachine):
    db_url: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self._tmp = tempfile.TemporaryDirectory() if self.db_url == "sqlite" else None
        url = f"sqlite:///{Path(self._tmp.name) / 'wf.db'}" if self._tmp else None
        self.engine = Engine(
            clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)
        )
        self.engine.deploy(_package())
        self.instances: list[str] = []
        self.items: list[str] = []
        self.closed: dict[str, tuple[Any, ...]] = {}

    def teardown(self) -> None:
        self.engine.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def _refusals(self, instance_id: str) -> int:
        return sum(1 for e in self.engine.audit(instance_id) if e.kind == "operation.refused")

    def _learn(self) -> None:
        for item in self.engine.work_items():
            if item.id not in self.items:
                self.items.append(item.id)

    @rule()
    def start_instance(self) -> None:
        self.instances.append(self.engine.start_process("p"))
        self._learn()

    @precondition(lambda self: bool(self.items))
    @rule(
        data=st.data(),
        op=st.sampled_from(OPS),
        user=st.sampled_from(USERS),
        to=st.sampled_from(USERS),
    )
    def operate(self, data: st.DataObject, op: str, user: str, to: str) -> None:
        item_id = data.draw(st.sampled_from(self.items))
        before = self.engine.work_item(item_id)
        refusals = self._refusals(before.instance_id)
        e = self.engine
        call = {
            "claim": lambda: e.claim_work_item(item_id, user),
            "start": lambda: e.start_work_item(item_id, user),
            "release": lambda: e.release_work_item(item_id, user),
            "delegate": lambda: e.delegate_work_item(item_id, user, to),
            "reassign": lambda: e.reassign_work_item(item_id, user, to),
            "complete": lambda: e.complete_work_item(item_id, user=user),
            "send back": lambda: e.send_back_work_item(item_id, user, "quote", "again"),
        }[op]
        try:
            call()
        except NotAuthorizedError:
            assert not _allowed(op, before, user, to)
            assert _view(self.engine.work_item(item_id)) == _view(before)
            assert self._refusals(before.instance_id) == refusals + 1
        except (IllegalStateError, NotFoundError):
            # send back from here is never possible (parallel branches, or an AND join)
            assert _view(self.engine.work_item(item_id)) == _view(before)
            assert self._refusals(before.instance_id) == refusals
        else:
            assert _allowed(op, before, user, to)
            assert self._refusals(before.instance_id) == refusals
            after = self.engine.work_item(item_id)
            if op == "complete":
                assert after.state is WorkItemState.COMPLETED
            elif op in ("delegate", "reassign"):
                assert after.holder == to
        self._learn()

    @precondition(lambda self: bool(self.instances))
    @rule(data=st.data(), suspend=st.booleans())
    def suspend_or_resume(self, data: st.DataObject, suspend: bool) -> None:
        iid = data.draw(st.sampled_from(self.instances))
        state = self.engine.instance(iid).state
        if suspend and state is ProcessState.RUNNING:
            self.engine.suspend(iid)
        elif not suspend and state is ProcessState.SUSPENDED:
            self.engine.resume(iid)

    @invariant()
    def items_are_consistent(self) -> None:
        open_per_activity: set[str] = set()
        for item_id in self.items:
            item = self.engine.work_item(item_id)  # never lost
            if item_id in self.closed:
                assert _view(item) == self.closed[item_id]  # closed stays closed, unchanged
                continue
            if not item.state.is_open:
                self.closed[item_id] = _view(item)
                continue
            assert (item.holder is not None) == (item.state in _HELD)
            assert item.owner is None or item.holder is not None
            assert item.activity_instance_id not in open_per_activity
            open_per_activity.add(item.activity_instance_id)


class WorkItemsOnSqlite(WorkItems):
    db_url = "sqlite"


_STEPS = settings(max_examples=max(10, settings().max_examples // 4), stateful_step_count=30)
TestWorkItemsInMemory = WorkItems.TestCase
TestWorkItemsInMemory.settings = _STEPS
# on SQLite every step is a few transactions: fewer examples keep the suite's time in bounds
TestWorkItemsOnSqlite = WorkItemsOnSqlite.TestCase
TestWorkItemsOnSqlite.settings = settings(
    _STEPS, max_examples=max(10, settings().max_examples // 10)
)

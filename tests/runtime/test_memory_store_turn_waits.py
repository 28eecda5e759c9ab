"""Engines sharing one MemoryStore take turns, and a command does not wait for ever for one.

A command holds the store's turn for all of its work, its application calls too. An
application of engine A that handed work to a thread using engine B on the same store and
waited for it deadlocked: B's command waited for A's turn, A's command for B. Now a command
that waited ``turn_timeout`` seconds is refused (EngineInUseError, nothing changed), and a
job claim claims nothing then (the jobs stay due)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from wfengine import EngineInUseError, MemoryStore, PackageBuilder, VirtualClock
from wfengine.runtime.engine import Engine


def _package() -> Any:
    pb = PackageBuilder("pkg")
    pb.application("open_case", params=[("case", "OUT", "STRING")])
    p = pb.process("intake")
    p.data_field("case", "STRING")
    p.start("s").activity("open", tool="open_case", args=["case"]).end("e")
    p.sequence("s", "open", "e")
    q = pb.process("case")
    q.start("s").activity("work", performer="clerk").end("e").sequence("s", "work", "e")
    return pb.build()


def test_an_application_waiting_for_another_engines_command_on_the_store_ends() -> None:
    store = MemoryStore(turn_timeout=0.05)
    a, b = Engine(store=store), Engine(store=store)
    a.deploy(_package())
    outcome: dict[str, Any] = {}

    def open_case() -> dict[str, Any]:
        def service() -> None:  # a local case service with its own engine on the store
            try:
                outcome["case"] = b.start_process("case")
            except Exception as exc:
                outcome["error"] = exc

        t = threading.Thread(target=service)
        t.start()
        t.join(60)  # (a guard for the test: before, this thread waited here for ever)
        outcome["service ended"] = not t.is_alive()
        raise RuntimeError("no case")

    a.applications.register("open_case", open_case)
    iid = a.start_process("intake")
    assert outcome["service ended"]
    assert isinstance(outcome["error"], EngineInUseError)
    assert "MemoryStore" in str(outcome["error"])
    assert "nothing was changed" in str(outcome["error"])
    assert [i.instance_id for i in a.incidents(iid)] == [iid]
    assert [s.process_id for s in b.instance_summaries()] == ["intake"]  # B changed nothing
    # the turn is free again: B's command runs
    assert b.instance(b.start_process("case")).process_id == "case"


def test_a_job_claim_while_another_engine_holds_the_store_claims_nothing() -> None:
    pb = PackageBuilder("pkg")
    pb.application("hold")
    p = pb.process("p")
    p.start("s").activity("x", tool="hold").end("e").sequence("s", "x", "e")
    q = pb.process("wait")
    q.start("s").intermediate("t", timer="PT1M").end("e").sequence("s", "t", "e")
    clock = VirtualClock(datetime(2030, 1, 1, tzinfo=UTC))
    store = MemoryStore(turn_timeout=0.05)
    a = Engine(store=store, clock=clock)
    b = Engine(store=store, clock=VirtualClock(datetime(2030, 1, 1, 0, 2, tzinfo=UTC)))
    a.deploy(pb.build())
    waiting = a.start_process("wait")
    claimed: list[int] = []

    def hold() -> dict[str, Any]:
        t = threading.Thread(target=lambda: claimed.append(b.run_due_jobs()))
        t.start()
        t.join(60)
        return {}

    a.applications.register("hold", hold)
    a.start_process("p")
    assert claimed == [0]  # nothing claimed while A's command held the store
    assert [t.instance_id for t in a.timers()] == [waiting]  # the timer is still due
    assert b.run_due_jobs() == 1  # the next look runs it
    assert a.instance(waiting).state.is_closed


@pytest.mark.parametrize("bad", [0, -1.0, float("nan")])
def test_a_turn_timeout_not_above_zero_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="turn_timeout"):
        MemoryStore(turn_timeout=bad)


def test_the_default_store_waits_ten_seconds_and_none_waits_as_long_as_it_takes() -> None:
    assert MemoryStore().unit().timeout == 10.0  # type: ignore[attr-defined]
    assert MemoryStore(turn_timeout=None).unit().timeout is None  # type: ignore[attr-defined]


def test_an_infinite_turn_timeout_waits_as_long_as_it_takes() -> None:
    store = MemoryStore(turn_timeout=float("inf"))  # before: every command an OverflowError
    assert store.unit().timeout is None  # type: ignore[attr-defined]
    with Engine(store=store) as engine:
        engine.deploy(_package())
        assert engine.instance(engine.start_process("case")).process_id == "case"


@pytest.mark.parametrize(
    "bad", [threading.TIMEOUT_MAX * 2, 10**400, -float("inf")], ids=["2max", "1e400", "-inf"]
)
def test_a_turn_timeout_the_lock_cannot_take_is_refused_when_the_store_is_made(
    bad: float,
) -> None:
    with pytest.raises(ValueError, match="turn_timeout"):
        MemoryStore(turn_timeout=bad)  # before: accepted, then each command an OverflowError


@pytest.mark.parametrize("bad", [True, False, "5"])
def test_a_turn_timeout_that_is_no_number_is_refused(bad: object) -> None:
    with pytest.raises(TypeError, match="turn_timeout"):
        MemoryStore(turn_timeout=bad)  # type: ignore[arg-type]  # before: True was 1 s

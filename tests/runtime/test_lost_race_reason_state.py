"""The ``application.discarded`` record of a lost race's call names the state the engine that
won the race left the instance in, not the one the command's own next run left it in.

Why: engine 1's synchronous call is in flight while engine 2 completes the other branch of a
parallel split; engine 1 loses its race, runs again and completes the instance. The reason
said the other engine had left the instance ``closed.completed`` (the rerun's state), when it
left it running: an operator reading the audit was told the wrong story."""

from __future__ import annotations

import threading
from pathlib import Path

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.definition.model import Package


def _package() -> Package:
    pb = PackageBuilder("r")
    pb.participant("clerk")
    pb.application("ping", params=[("tag", "IN", "STRING")])
    p = pb.process("p")
    p.data_field("a", "STRING", initial="'A'")
    p.data_field("b", "STRING", initial="'B'")
    p.start("s")
    p.route("split", gateway="Parallel")
    p.route("join", gateway="Parallel")
    p.activity("A", performer="clerk")
    p.activity("B", performer="clerk")
    p.activity("pa", tool="ping", args=["a"])
    p.activity("pb", tool="ping", args=["b"])
    p.end("e")
    p.sequence("s", "split")
    p.sequence("split", "A", "pa", "join")
    p.sequence("split", "B", "pb", "join")
    p.sequence("join", "e")
    return pb.build()


def test_the_discarded_reason_names_the_state_the_other_engine_left(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    org = Organisation.from_data({"users": [{"id": "u", "roles": ["clerk"]}]})
    clock = VirtualClock()
    with (
        Engine(clock=clock, db_url=url, directory=org) as e1,
        Engine(clock=clock, db_url=url, directory=org) as e2,
    ):
        other: list[str] = []  # engine 2's work item, completed during engine 1's first call

        def ping1(tag: str) -> dict[str, str]:
            if other:
                item = other.pop()
                worker = threading.Thread(target=lambda: e2.complete_work_item(item, user="u"))
                worker.start()
                worker.join()
            return {}

        e1.applications.register("ping", ping1)
        e2.applications.register("ping", lambda tag: {})
        e1.deploy(_package())
        iid = e1.start_process("p")
        items = {w.activity_id: w.id for w in e1.work_items(iid)}
        other.append(items["B"])
        e1.complete_work_item(items["A"], user="u")

        assert e1.instance(iid).state.value == "closed.completed"  # engine 1's rerun did it
        (discarded,) = [e for e in e1.audit_events(instance_id=iid) if e.kind.endswith("discarded")]
        reason = discarded.detail["reason"]
        assert "open.running" in reason and "closed.completed" not in reason

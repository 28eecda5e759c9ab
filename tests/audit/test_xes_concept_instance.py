"""Every XES event of an activity instance carries ``concept:instance`` (the Concept
extension's activity-instance key, which mining tools pair a ``start`` with its ``complete``
by), beside ``wfengine:activity_instance``: without it, two instances of one activity that
overlap (a parallel multi-instance activity) were paired by order, the first start with the
first completion, whoever's they were."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import timedelta

from lxml import etree

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, write_xes
from wfengine.definition.model import MultiInstanceLoop

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}, {"id": "bob", "roles": ["clerk"]}]}


def _events() -> list[dict[str, str | None]]:
    """Two parallel instances of ``review``: alice starts first and finishes last."""
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.participant("clerk")
        p = pb.process("p")
        p.data_field("n", "INTEGER", initial="2")
        p.activity("review", performer="clerk", loop=MultiInstanceLoop(mi_condition="n"))
        e.deploy(pb.build())
        i = e.start_process("p")
        first, second = e.work_items(i)
        for item, user in ((first, "alice"), (second, "bob")):
            e.clock.advance(timedelta(hours=1))
            e.claim_work_item(item.id, user)
            e.start_work_item(item.id, user)
        for item, user in ((second, "bob"), (first, "alice")):
            e.clock.advance(timedelta(hours=1))
            e.complete_work_item(item.id, user=user)
        out = io.BytesIO()
        write_xes(e, out)
    return [
        {a.get("key"): a.get("value") for a in event}
        for event in etree.fromstring(out.getvalue()).iter("event")
    ]


def test_each_event_names_its_activity_instance_the_concept_way() -> None:
    events = _events()
    assert events
    assert all(e.get("concept:instance") == e["wfengine:activity_instance"] for e in events)


def test_a_start_pairs_with_its_own_completion_by_concept_instance() -> None:
    by_instance: dict[str | None, list[tuple[str | None, str | None]]] = defaultdict(list)
    for e in _events():
        by_instance[e.get("concept:instance")].append(
            (e["lifecycle:transition"], e.get("org:resource"))
        )
    assert sorted(
        [t for t in steps if t[0] in ("start", "complete")] for steps in by_instance.values()
    ) == [
        [("start", "alice"), ("complete", "alice")],
        [("start", "bob"), ("complete", "bob")],
    ]

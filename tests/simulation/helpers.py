"""Small definitions the simulation tests run: built in code, so each test shows its process."""

from __future__ import annotations

from typing import Any

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario


def single_server(performer: str = "server") -> Package:
    """One manual activity: a queue with its servers (M/M/c when the times are exponential)."""
    pb = PackageBuilder("queue")
    p = pb.process("queue")
    p.participant(performer)
    p.activity("serve", performer=performer)
    return pb.build()


def chain(length: int, performer: str = "clerk") -> Package:
    """``length`` manual steps in a row."""
    pb = PackageBuilder("chain")
    p = pb.process("chain")
    p.participant(performer)
    ids = [f"step{n}" for n in range(1, length + 1)]
    for a in ids:
        p.activity(a, performer=performer)
    p.sequence(*ids)
    return pb.build()


def steps(package_id: str, process_id: str, *performed: tuple[str, str]) -> Package:
    """Manual steps in a row between a start and an end event, each ``(activity, performer)``
    done by its own participant."""
    pb = PackageBuilder(package_id)
    for performer in dict.fromkeys(who for _, who in performed):
        pb.participant(performer)
    p = pb.process(process_id)
    p.start("s")
    for activity, who in performed:
        p.activity(activity, performer=who)
    p.end("e")
    p.sequence("s", *(activity for activity, _ in performed), "e")
    return pb.build()


def decision() -> Package:
    """check -> approve | reject (by the data field ``amount``), both by a clerk."""
    pb = PackageBuilder("decision")
    p = pb.process("decision")
    p.participant("clerk")
    p.data_field("amount", "INTEGER", initial="0")
    p.activity("check", performer="clerk")
    p.activity("approve", performer="clerk").activity("reject", performer="clerk")
    p.transition("check", "approve", condition="amount < 100", id="small")
    p.transition("check", "reject", otherwise=True, id="large")
    return pb.build()


def scenario(**data: Any) -> Scenario:
    """A scenario from keyword arguments (the YAML keys)."""
    data.setdefault("arrivals", {"poisson": "10/h"})
    return Scenario.from_data(data, source="test.yaml")

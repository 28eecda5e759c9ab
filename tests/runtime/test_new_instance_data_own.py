"""A new instance's data shares nothing with what the starter passed: ``instance_data``
returns its own dict uncopied when every value is plain (immutable), and copies it, sharing no
container with the caller, when one is not."""

from __future__ import annotations

from datetime import UTC, datetime

from wfengine import Engine, PackageBuilder
from wfengine.runtime.navigation.lifecycle import instance_data


def _engine() -> Engine:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("p")
    p.data_field("n", "INTEGER", initial="0").data_field("s", "STRING")
    p.start("s0").activity("h", performer="clerk").end("e")
    p.sequence("s0", "h", "e")
    engine = Engine()
    engine.deploy(pb.build())
    return engine


def test_plain_values_are_the_instances_own_dict() -> None:
    compiled = _engine().deployed("p").compiled
    given = {"n": 3, "s": "x"}
    values, _ = instance_data(compiled, given, lambda: datetime.now(UTC), "here")
    assert values == {"n": 3, "s": "x"}
    assert values is not given


def test_a_container_given_is_copied() -> None:
    engine = _engine()
    listed = [1, {"k": [2]}]
    iid = engine.start_process("p", {"other": listed})
    listed[1]["k"].append(3)  # type: ignore[index]
    listed.append(4)
    assert engine.instance(iid).data["other"] == [1, {"k": [2]}]

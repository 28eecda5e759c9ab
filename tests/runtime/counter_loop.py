"""The counter loop that long-run tests share: ``begin``, then ``body`` (which calls the
application ``inc`` on the field ``i``) again while ``until`` holds, then ``end``."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder


def deploy_counter_loop(engine: Engine, until: str) -> None:
    """Deploy process ``loop`` on ``engine`` (bind ``inc`` yourself: the tests differ in it)."""
    pb = PackageBuilder("loops")
    p = pb.process("loop")
    p.data_field("i", "INTEGER", initial="0")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    p.activity("begin").activity("body", tool="inc", args=["i"]).activity("end")
    p.transition("begin", "body")
    p.transition("body", "body", condition=until).transition("body", "end", otherwise=True)
    engine.deploy(pb.build())

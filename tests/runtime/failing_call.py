"""A process whose one automatic activity calls an application that fails (a CRM that is
down): the incident the operator tests answer (retry, skip, abort) and record who asked."""

from __future__ import annotations

from wfengine import PackageBuilder


def lookup_package() -> PackageBuilder:
    """``call`` (application ``lookup``: customer -> name), then ``after``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("customer", "INTEGER", initial="7").data_field("name", "STRING")
    p.application("lookup", params=[("id", "IN", "INTEGER"), ("name", "OUT", "STRING")])
    p.activity("call", tool="lookup", args=["customer", "name"])
    p.activity("after").transition("call", "after")
    return pb


def crm_down(id: int) -> dict[str, str]:
    """The ``lookup`` application of a CRM that cannot be reached."""
    raise ConnectionError("CRM down")

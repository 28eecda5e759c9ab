"""A process whose one activity calls application ``app`` with a customer id and takes back a
name: shared by the tests of the shared async loop (``test_async_loop_blame.py``,
``test_async_loop_retired.py``), which run one such instance per thread."""

from __future__ import annotations

from wfengine import PackageBuilder


def package(app: str) -> PackageBuilder:
    """Package ``p<app>``: process ``main`` calls ``app`` (``id`` in, ``name`` out)."""
    pb = PackageBuilder(f"p{app}")
    pb.application(app, params=[("id", "IN", "INTEGER"), ("name", "OUT", "STRING")])
    p = pb.process("main")
    p.data_field("customer", "INTEGER", initial="7").data_field("name", "STRING")
    p.activity("call", tool=app, args=["customer", "name"])
    return pb

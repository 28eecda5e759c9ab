"""A process whose activity sets both hold an activity ``Review`` (XPDL scopes an activity's
Id to its set; TIBCO files repeat Ids so, and validation warns ``duplicate-id-scopes``),
each set's ``Review`` with its own applications, data rules, reminders or loop: what records
naming only the Id must not mix up.

A parallel split runs block A (set A) and block B (set B). The builder refuses a repeated Id,
so the package is built with ``ReviewA`` and ``ReviewB`` and read back with both named
``Review``."""

from __future__ import annotations

from typing import Any

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl, load_xpdl
from wfengine.definition.model import Package


def two_reviews(a: dict[str, Any], b: dict[str, Any]) -> Package:
    """The process ``main``, set A's ``Review`` made with the builder options ``a``, set B's
    with ``b``. Its data: STRING fields ``a``, ``b``, ``x``, ``y`` (initially ``'a-value'``
    and so on) and the sensitive ``pin``; applications ``appA`` (IN ``pin``, OUT ``x``) and
    ``appB`` (IN ``pin``, OUT ``y``), both asynchronous."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    for name in ("a", "b", "x", "y"):
        p.data_field(name, "STRING", initial=f"'{name}-value'")
    p.data_field("pin", "STRING", initial="'1234'", extended={"wfengine:sensitive": "true"})
    for app, out in (("appA", "x"), ("appB", "y")):
        p.application(
            app,
            params=[("pin", "IN", "STRING"), (out, "OUT", "STRING")],
            extended={"wfengine:asynchronous": "true"},
        )
    p.activity_set("SetA").activity("ReviewA", **a)
    p.activity_set("SetB").activity("ReviewB", **b)
    p.route("split", gateway="Parallel")
    p.block("BlockA", activity_set="SetA").block("BlockB", activity_set="SetB")
    p.sequence("split", "BlockA").sequence("split", "BlockB")
    return named_alike(pb, "Review")


def named_alike(pb: PackageBuilder, activity_id: str) -> Package:
    """``pb``'s package with its activities ``<activity_id>A`` and ``<activity_id>B`` both
    named ``activity_id``."""
    text = dump_xpdl(pb.build())
    named = f'"{activity_id}"'.encode()
    for suffix in ("A", "B"):
        text = text.replace(f'"{activity_id}{suffix}"'.encode(), named)
    return load_xpdl(text)

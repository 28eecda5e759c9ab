"""``unused-activity-set``: an activity set no block activity names never runs, and says so.

An event sub-process's handler drawn without the block that arms it, or a block's body whose
block was deleted, validated with no finding; the handler then never fired, and the modeller
learnt it from a customer. A warning at the set (it names the set, and for an event
sub-process how one is armed); a set some block runs, from the process or from another set,
is none.
"""

from __future__ import annotations

from wfengine import PackageBuilder, validate
from wfengine.definition.model import Package


def _package(*, block_for_handler: bool, block_for_body: bool) -> Package:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("main")
    p.start("s").activity("work", performer="clerk").end("e")
    p.sequence("s", "work")
    handler = p.activity_set("cancel_handler", triggered_by_event=True)
    handler.start("asked", message="cancel").activity("refund", performer="clerk")
    handler.end("cancelled").sequence("asked", "refund", "cancelled")
    body = p.activity_set("body")
    body.activity("check", performer="clerk")
    inner = p.activity_set("inner")  # run by a block inside "body": used
    inner.activity("look", performer="clerk")
    body.block("deeper", activity_set="inner").sequence("check", "deeper")
    if block_for_body:
        p.block("do_body", activity_set="body").sequence("work", "do_body", "e")
    else:
        p.sequence("work", "e")
    if block_for_handler:
        p.block("on_cancel", activity_set="cancel_handler")
    return b.build()


def _unused(package: Package) -> dict[str, tuple[str, str]]:
    return {
        str(d.element_id): (d.severity.value, d.message)
        for d in validate(package)
        if d.code == "unused-activity-set"
    }


def test_a_set_no_block_names_is_warned_at_the_set() -> None:
    found = _unused(_package(block_for_handler=False, block_for_body=False))
    assert found == {
        "cancel_handler": (
            "warning",
            "event sub-process 'cancel_handler' of process 'main' is run by no block "
            "activity, so its activities never run: add a block activity naming it, with no "
            "transitions in or out, to arm it",
        ),
        "body": (
            "warning",
            "activity set 'body' of process 'main' is run by no block activity, so its "
            "activities never run: add a block activity naming it where its work belongs, "
            "or remove it",
        ),
    }


def test_a_set_some_block_runs_is_no_finding() -> None:
    assert _unused(_package(block_for_handler=True, block_for_body=True)) == {}

"""A message start looks into the version of each process that starts now (the newest valid
now), not its latest stored one: a v2 deployed ahead of its ValidFrom that renames its start
message leaves v1's message starting v1 until v2's period begins."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.errors import IllegalStateError, NotFoundError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


def _ordering(message: str, valid_from: str | None = None, valid_to: str | None = None) -> Package:
    pb = PackageBuilder("shop")
    p = pb.process("order")
    p.start("s", trigger="Message", message=message).activity("handle", performer="clerk")
    p.transition("s", "handle")
    package = pb.build()
    (process,) = package.workflow_processes
    header = process.header.model_copy(update={"valid_from": valid_from, "valid_to": valid_to})
    process = process.model_copy(update={"header": header})
    return package.model_copy(update={"workflow_processes": (process,)})


def test_a_renamed_start_message_of_a_version_not_valid_yet_leaves_the_old_one_starting(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.deploy(_ordering("new_order"))
    engine.deploy(_ordering("order_placed", valid_from="2000-07-01"))  # v2; the clock: 2000-01-01
    first = engine.start_by_message("new_order")
    assert engine.instance(first).version == 1
    with pytest.raises(
        NotFoundError, match=r"'order' v2, valid from 2000-07-01.* \(v1 starts instances now"
    ):
        engine.start_by_message("order_placed")  # (not yet: said when it will)
    clock.advance(timedelta(days=200))
    later = engine.start_by_message("order_placed")
    assert engine.instance(later).version == 2
    with pytest.raises(NotFoundError, match="'new_order'"):
        engine.start_by_message("new_order")  # v2 valid now: the old message is gone


def test_a_message_whose_process_has_no_version_valid_now_says_so(engine: Engine) -> None:
    engine.deploy(_ordering("new_order", valid_from="2000-07-01"))
    with pytest.raises(IllegalStateError, match=r"process 'order'.*valid from 2000-07-01"):
        engine.start_by_message("new_order")


def test_a_message_only_a_superseded_version_starts_by_names_it_and_the_one_starting_now(
    engine: Engine,
) -> None:
    """Before, only each process's latest version was looked into: the error said nothing of
    v1, and the CLI advised deploying the file that starts by it, which rolls v2 back."""
    engine.deploy(_ordering("order_in"))
    engine.deploy(_ordering("order_new"))  # v2 renames the start message
    with pytest.raises(NotFoundError) as missed:
        engine.start_by_message("order_in")
    said = str(missed.value)
    assert "'order' v1, superseded (v2 starts instances now, by message 'order_new')" in said
    assert "in place of 'order' (v2) (a rollback): do it only if that is what you mean" in said
    assert engine.store.versions("order") == [1, 2]

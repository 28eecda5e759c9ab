"""The listings' paging arguments mean the same on every store: a page size that is no whole
number is a ``TypeError`` (``2.5`` listed 2 instances on SQLite and 3 in memory), one past
what SQLite's integers hold lists everything (it raised ``OverflowError`` on SQLite only),
and an ``after`` that is not the previous page's last item is a ``TypeError`` naming it (an
id raised a bare ``AttributeError`` from inside the store)."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder


def _three(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("p").activity("a", performer="clerk")
    engine.deploy(pb.build())
    for _ in range(3):
        engine.start_process("p")


@pytest.mark.parametrize("given", [2.5, True, "2"])
def test_a_page_size_that_is_no_whole_number_is_refused(engine: Engine, given: Any) -> None:
    _three(engine)
    with pytest.raises(TypeError, match=r"^limit: a whole number of instances"):
        engine.instance_summaries(limit=given)
    with pytest.raises(TypeError, match=r"^limit: a whole number of work items"):
        engine.work_items_of("clerk", limit=given)
    with pytest.raises(TypeError, match=r"^limit: a whole number of events"):
        engine.audit_events(limit=given)


def test_a_page_larger_than_a_database_integer_lists_everything(engine: Engine) -> None:
    _three(engine)
    huge = 2**63
    assert len(engine.instance_summaries(limit=huge)) == 3
    assert len(engine.work_items_of("clerk", limit=huge)) == 3
    assert len(engine.audit_events(limit=huge)) == len(engine.audit_events())


def test_after_must_be_the_last_item_of_the_previous_page(engine: Engine) -> None:
    _three(engine)
    [first, *_] = engine.instance_summaries()
    with pytest.raises(TypeError, match=r"^after: the last AuditEvent of the previous page"):
        engine.audit_events(after=first.id)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^after: the last WorkItemSnapshot"):
        engine.work_items_of("clerk", after=first.id)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^after: the id of the last instance"):
        engine.instance_summaries(after=first)  # type: ignore[arg-type]
    assert len(engine.instance_summaries(after=first.id)) == 2

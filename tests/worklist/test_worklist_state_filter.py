"""A worklist lists open work, so it filters by an open state only: asking for completed (or
a misspelt state) once listed nothing, silently, while ``wfengine worklist --state completed``
was refused. Now the engine and a WAPI session refuse it too, naming the argument and the
states allowed (the CLI's choices are the same)."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, WorkItemState
from wfengine.cli.worklist_cmd import _STATES
from wfengine.runtime.queries import OPEN_WORK_ITEM_STATES
from wfengine.wapi.session import connect


def _offered(e: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    e.deploy(pb.build())
    (item,) = e.work_items(e.start_process("p"))
    return item.id


@pytest.mark.parametrize("state", ["completed", WorkItemState.CANCELLED, "done", 3])
def test_a_state_a_worklist_cannot_hold_is_refused(org_engine: Engine, state: object) -> None:
    _offered(org_engine)
    allowed = r"\(offered, allocated, started\)"
    with pytest.raises(ValueError, match=rf"work_items_of: state must be .*{allowed}"):
        org_engine.work_items_of("alice", state=state)  # type: ignore[arg-type]
    if state in ("completed", "cancelled"):  # (the session refuses a misspelt one itself)
        with pytest.raises(ValueError, match=allowed):
            list(connect(org_engine, "alice").open_work_list(state=state))  # type: ignore[arg-type]


def test_open_states_filter_as_before(org_engine: Engine) -> None:
    item_id = _offered(org_engine)
    assert [w.id for w in org_engine.work_items_of("alice", state="offered")] == [item_id]
    assert org_engine.work_items_of("alice", state=WorkItemState.STARTED) == []


def test_a_worklist_needs_a_user(org_engine: Engine) -> None:
    _offered(org_engine)
    with pytest.raises(ValueError, match="work_items_of: user"):
        org_engine.work_items_of(None)  # type: ignore[arg-type]


def test_the_cli_offers_the_same_states() -> None:
    assert tuple(_STATES) == OPEN_WORK_ITEM_STATES


def test_a_session_refuses_a_closed_state_when_the_work_list_is_opened(
    org_engine: Engine,
) -> None:
    """``WMOpenWorkList`` with a closed state is refused at once, not at the first fetch."""
    session = connect(org_engine, "alice")
    with pytest.raises(ValueError, match="open_work_list: state must be an open work-item state"):
        session.open_work_list(state="completed")

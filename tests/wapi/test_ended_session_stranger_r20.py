"""A session used after ``disconnect`` or ``engine.close()`` is refused with
``SessionEndedError`` naming the session, whoever its user is. A work-item action by a user
the organisation does not know asked the organisation first: the disconnected session raised
``NotAuthorizedError`` and recorded ``operation.refused`` in the instance's trail, and on a
closed engine it raised the store's own error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, SessionEndedError, VirtualClock
from wfengine.wapi import connect
from wfengine.wapi.session import Session

_ACTIONS: list[Callable[[Session, str], Any]] = [
    lambda s, wi: s.claim_work_item(wi),
    lambda s, wi: s.start_work_item(wi),
    lambda s, wi: s.release_work_item(wi),
    lambda s, wi: s.complete_work_item(wi),
    lambda s, wi: s.delegate_work_item(wi, "bob"),
    lambda s, wi: s.reassign_work_item(wi, "bob"),
    lambda s, wi: s.change_work_item_state(wi, "allocated"),
]
_IDS = ["claim", "start", "release", "complete", "delegate", "reassign", "change state"]


def _engine(url: str | None) -> Engine:
    engine = Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG))
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    engine.deploy(pb.build())
    return engine


@pytest.fixture(params=["memory", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"


@pytest.mark.parametrize("act", _ACTIONS, ids=_IDS)
def test_a_strangers_disconnected_session_is_refused_as_ended(
    act: Callable[[Session, str], Any], url: str | None
) -> None:
    with _engine(url) as engine:
        instance_id = engine.start_process("ticket")
        [item] = engine.work_items(instance_id)
        zed = connect(engine, "zed")
        zed.disconnect()
        with pytest.raises(SessionEndedError, match="session of 'zed': it is disconnected"):
            act(zed, item.id)
        assert [e for e in engine.audit(instance_id) if e.kind == "operation.refused"] == []


@pytest.mark.parametrize("act", _ACTIONS, ids=_IDS)
def test_a_strangers_session_on_a_closed_engine_is_refused_as_ended(
    act: Callable[[Session, str], Any], url: str | None
) -> None:
    engine = _engine(url)
    instance_id = engine.start_process("ticket")
    [item] = engine.work_items(instance_id)
    zed = connect(engine, "zed")
    engine.close()
    with pytest.raises(SessionEndedError, match="session of 'zed': it is on an engine that"):
        act(zed, item.id)
    if url is not None:  # nothing was recorded meanwhile
        with _engine(url) as again:
            assert [e for e in again.audit(instance_id) if e.kind == "operation.refused"] == []


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_connecting_to_a_closed_engine_is_refused_at_once(store: str, tmp_path: Path) -> None:
    """``connect`` on a closed engine handed out a session that every operation refused."""
    engine = _engine(None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}")
    engine.close()
    # the engine is named as what is closed ("a session of 'ann': it is closed" read as if
    # the session were)
    closed = r"cannot connect 'ann' to Engine\((memory://|SqlStore\(.*\)), closed\): it is closed;"
    with pytest.raises(SessionEndedError, match=closed):
        connect(engine, "ann")

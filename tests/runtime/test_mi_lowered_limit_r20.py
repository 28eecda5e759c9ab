"""A sequential multi-instance activity started by an engine with a raised
``RuntimeLimits.max_mi_instances`` (a host's) was held once an engine with a lower limit (the
CLI and ``wfengine worker`` always open the default one) completed one of its instances: the
re-count was judged against that engine's limit, and each retry opened a new incident. Now a
re-count is refused on the limit only where it grows past the instances the activity already
has: it keeps what it was given, and gains none past the running engine's limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.test_mi_recount_r20 import _container, _finish, _reviews
from wfengine.errors import IllegalStateError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.limits import RuntimeLimits
from wfengine.runtime.states import ProcessState


def _started_by_a_host(tmp_path: Path) -> tuple[str, str, VirtualClock]:
    """An activity of 5 sequential instances started under a limit of 6, one completed;
    the store's url, the instance id and the clock."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    clock = VirtualClock()
    with Engine(clock=clock, db_url=url, limits=RuntimeLimits(max_mi_instances=6)) as host:
        iid = _reviews(host, "n", n=5.0)
        host.complete_work_item(host.work_items(iid)[0].id)
    return url, iid, clock


def test_a_lower_limit_keeps_the_instances_the_activity_has(tmp_path: Path) -> None:
    url, iid, clock = _started_by_a_host(tmp_path)
    with Engine(clock=clock, db_url=url, limits=RuntimeLimits(max_mi_instances=3)) as engine:
        engine.complete_work_item(engine.work_items(iid)[0].id, {"n": 4.0})  # fewer: fine
        assert engine.incidents(iid) == []
        assert 2 + _finish(engine, iid) == 4
        assert engine.trace(iid) == ["m"] * 4 + ["after"]
        assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_lower_limit_refuses_a_count_that_grows(tmp_path: Path) -> None:
    url, iid, clock = _started_by_a_host(tmp_path)
    with Engine(clock=clock, db_url=url, limits=RuntimeLimits(max_mi_instances=3)) as engine:
        engine.complete_work_item(engine.work_items(iid)[0].id, {"n": 6.0})
        [incident] = engine.incidents(iid)
        assert (
            "gave 6.0, more than the 5 instances it has, already more than "
            "RuntimeLimits.max_mi_instances (3) allows" in incident.message
        )
        assert engine.work_items(iid) == []
        engine.set_data(iid, {"n": 5.0})  # back to what it was given
        engine.retry_incident(incident.id)
        assert engine.incidents(iid) == []
        assert 2 + _finish(engine, iid) == 5
        assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_add_above_a_lower_limit_says_the_activity_has_more(tmp_path: Path) -> None:
    url, iid, clock = _started_by_a_host(tmp_path)
    with Engine(clock=clock, db_url=url, limits=RuntimeLimits(max_mi_instances=3)) as engine:
        with pytest.raises(
            IllegalStateError,
            match=r"at its 5 instances, more than RuntimeLimits\.max_mi_instances \(3\) allows",
        ):
            engine.add_mi_instance(_container(engine, iid))
        assert 1 + _finish(engine, iid) == 5  # nothing was changed

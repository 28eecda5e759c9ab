"""``add_mi_instance`` (and ``wfengine run --script`` add_instance) passed
RuntimeLimits.max_mi_instances: limit 3, count 3, 10 adds ran 13 instances, where the count
alone over the limit is an incident. Now an add that would pass the limit is refused with an
IllegalStateError naming the limit; nothing is changed, the instances allowed run."""

from __future__ import annotations

import pytest

from tests.runtime.test_mi_recount_r20 import Engines, _container, _finish, _reviews, engines
from wfengine.errors import IllegalStateError
from wfengine.runtime.states import ProcessState

__all__ = ["engines"]  # (the fixture, shared)


@pytest.mark.parametrize("ordering", ["Parallel", "Sequential"])
def test_add_mi_instance_is_held_to_the_limit(engines: Engines, ordering: str) -> None:
    engine = engines.engine
    iid = _reviews(engine, "3", ordering)
    container = _container(engine, iid)
    engine.add_mi_instance(container)  # the 4th: as many as the limit allows
    with pytest.raises(IllegalStateError, match=r"RuntimeLimits\.max_mi_instances \(4\)"):
        engine.add_mi_instance(container, {"n": 9.0})
    assert engine.instance(iid).data["n"] is None  # nothing was changed
    assert _finish(engine, iid) == 4
    assert engine.instance(iid).state is ProcessState.COMPLETED

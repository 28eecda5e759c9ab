"""A start refused before its instance is stored (data of the wrong type) names "a new
instance of process ...": it used to name the id the instance would have had (``instance
'pi-1' of process 'order'``), which ``engine.instance`` then said did not exist."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import PackageBuilder
from wfengine.errors import DataTypeError, NotFoundError
from wfengine.runtime.engine import Engine


def _deploy(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("order")
    p.data_field("amount", "FLOAT")
    p.data_field("note", "STRING")
    p.activity("work")
    engine.deploy(pb.build())


@pytest.mark.parametrize("data", [{"amount": "high"}, {"note": b"bytes"}])
def test_a_refused_start_names_a_new_instance_not_an_id(
    engine: Engine, data: dict[str, Any]
) -> None:
    _deploy(engine)
    with pytest.raises(DataTypeError) as refused:
        engine.start_process("order", data)
    said = str(refused.value)
    assert said.startswith("a new instance of process 'order': data field ")
    assert "'pi-" not in said
    assert engine.instance_summaries() == []  # nothing was stored
    with pytest.raises(NotFoundError):
        engine.instance("pi-1")

"""A secret a caller passes to a subflow stays masked when a session reads the subflow
instance (docs/wapi.md: a user its work items concern sees its fields "sensitive ones as
***"): the called instance's own secrets are its process's ``wfengine:sensitive`` fields and
the formal parameters that took a sensitive field of the caller, as its audit trail masks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.worklist.conftest import ORG
from wfengine import DataTypeError, Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.applications.redaction import REDACTED
from wfengine.wapi import connect

PIN = 987654321


def _package() -> Any:
    """``main`` passes its sensitive ``card`` to ``check``'s IN parameter ``pin``; a clerk
    looks at the called instance (reading every field)."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    inner = pb.process("check")
    inner.param("pin", "IN", "INTEGER")
    inner.data_field("other", "STRING", initial="'x'")
    inner.activity("look", performer="clerk")
    main = pb.process("main")
    main.data_field("card", "INTEGER", extended={"wfengine:sensitive": "true"})
    main.subflow("sf", process="check", args=["card"])
    return pb.build()


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_package())
        yield e


def _called(engine: Engine) -> str:
    engine.start_process("main", {"card": PIN})
    (sub,) = engine.instance_summaries(process_id="check")
    return sub.id


def test_a_reader_of_the_subflow_sees_the_callers_secret_masked(engine: Engine) -> None:
    sub = _called(engine)
    data = connect(engine, "alice").get_process_instance(sub).data
    assert data == {"other": "x", "pin": REDACTED}


def test_a_wrong_value_for_the_passed_secret_is_not_shown(engine: Engine) -> None:
    sub = _called(engine)
    with pytest.raises(DataTypeError) as raised:
        connect(engine, "root").assign_process_instance_attribute(sub, "pin", "1234-secret")
    assert "1234-secret" not in str(raised.value)
    assert "'pin'" in str(raised.value)

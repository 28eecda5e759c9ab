"""detailed_status(user=) refuses what is not a user id before it reads anything, as the
commands taking ``user=`` do: 5 and "" were recorded in the audit trail as refused readers
(5 as None), a 5000-character id was stored there, and ["boss"] failed as a DirectoryError
blaming the directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, detailed_status


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        yield e


@pytest.mark.parametrize(
    ("user", "error", "says"),
    [
        (5, TypeError, "detailed_status: user must be a user id (a string), not int 5"),
        (["boss"], TypeError, "detailed_status: user must be a user id (a string), not list"),
        ("", ValueError, "detailed_status: user must name a user (a user id), not ''"),
        ("x" * 5000, ValueError, "is 5000 characters long"),
    ],
)
def test_a_user_that_is_no_user_id_is_refused_and_nothing_recorded(
    engine: Engine, user: object, error: type[Exception], says: str
) -> None:
    instance_id = engine.start_process("ticket")
    before = engine.audit(instance_id)
    with pytest.raises(error) as caught:
        detailed_status(engine, instance_id, user=user)  # type: ignore[arg-type]
    assert says in str(caught.value)
    assert engine.audit(instance_id) == before  # no "operation.refused" for it


def test_a_user_id_and_the_host_still_read_it(engine: Engine) -> None:
    instance_id = engine.start_process("ticket")
    assert detailed_status(engine, instance_id).instance.id == instance_id
    assert detailed_status(engine, instance_id, user="alice").instance.id == instance_id

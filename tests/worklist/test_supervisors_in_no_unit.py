"""Nearest supervisors when the supervisors themselves belong to no unit (the organisation
file allows it): ``MANAGER_OF_PREVIOUS`` work and late work go to the line manager, not to
everyone up to the top.

Before: the engine told the levels apart only by asking who supervises each supervisor; one
in no unit has no supervisors, so lead, head and ceo were all "nearest". Now the organisation
answers its levels (``Organisation.supervisor_levels``, one level per unit up) and the engine
uses them; a directory without levels whose answers tell nothing of who is above whom is
read as a chain, nearest first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import cli, sqlite_url
from tests.runtime.conftest import check_history, store_url
from wfengine import (
    Engine,
    Organisation,
    PackageBuilder,
    VirtualClock,
    use_stored_organisation,
)
from wfengine.runtime.directory import SupervisorLevels, Supervisors, answers

#: company (ceo) > division (head) > team (lead), and a desk (dora); only ann and bob belong
#: to units, the supervisors to none
ORG: dict[str, Any] = {
    "users": [
        {"id": "ceo"},
        {"id": "head"},
        {"id": "lead"},
        {"id": "dora"},
        {"id": "ann", "roles": ["clerk"], "units": ["team"]},
        {"id": "bob", "roles": ["clerk"], "units": ["team", "desk"]},
    ],
    "units": [
        {"id": "company", "supervisor": "ceo"},
        {"id": "division", "supervisor": "head", "parent": "company"},
        {"id": "team", "supervisor": "lead", "parent": "division"},
        {"id": "desk", "supervisor": "dora"},
    ],
}


def test_the_organisation_answers_its_supervisors_by_level() -> None:
    org = Organisation.from_data(ORG)
    assert answers(org, SupervisorLevels)
    assert org.supervisor_levels("ann") == [("lead",), ("head",), ("ceo",)]
    # a user in two units: both units' supervisors are the nearest level
    assert org.supervisor_levels("bob") == [("lead", "dora"), ("head",), ("ceo",)]
    assert org.supervisors_of("bob") == ("lead", "dora", "head", "ceo")  # (as before)
    assert org.supervisor_levels("ceo") == [] and org.supervisor_levels("nobody") == []


def _deploy(e: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("request", performer="clerk")
    p.activity("approve", performer="clerk", extended={"MANAGER_OF_PREVIOUS": ""})
    p.transition("request", "approve")
    late = pb.process("late")
    late.activity("file", performer="ann", extended={"wfengine:escalate-after": "PT1H"})
    e.deploy(pb.build())


def _approver(e: Engine, requester: str) -> tuple[str, ...]:
    iid = e.start_process("p")
    (request,) = e.work_items(iid)
    e.complete_work_item(request.id, user=requester)
    (approve,) = e.work_items(iid)
    return approve.assignees


def _escalated_to(e: Engine) -> tuple[str, ...]:
    clock = e.clock
    assert isinstance(clock, VirtualClock)
    iid = e.start_process("late")
    (item,) = e.work_items(iid)
    clock.advance(timedelta(hours=1))
    e.run_due_jobs()
    return e.work_item(item.id).assignees


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        _deploy(e)
        yield e
        check_history(e)


def test_manager_of_previous_is_the_line_manager(engine: Engine) -> None:
    assert _approver(engine, "ann") == ("lead",)  # not ('lead', 'head', 'ceo')
    assert _approver(engine, "bob") == ("lead", "dora")  # two units: both nearest


def test_late_work_escalates_to_the_line_manager(engine: Engine) -> None:
    assert _escalated_to(engine) == ("ann", "lead")  # not head and ceo as well


def test_the_cli_loaded_organisation_too(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    path = tmp_path / "org.json"
    path.write_text(json.dumps(ORG))
    assert cli("org", "load", str(path), "--db", url).exit_code == 0
    with Engine(clock=VirtualClock(), db_url=url) as e:
        assert use_stored_organisation(e) is not None
        _deploy(e)
        assert _approver(e, "ann") == ("lead",)
        assert _escalated_to(e) == ("ann", "lead")


# ------------------------------------------------------------ a host's own directory


class _Chain:
    """Answers the whole chain, nearest first, and nothing of the supervisors' own."""

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann", "bob") if participant_id == "clerk" else (participant_id,)

    def supervisors_of(self, user_id: str) -> tuple[str, ...]:
        return ("lead", "head", "ceo") if user_id in ("ann", "bob") else ()


class _Levels(_Chain):
    """Says its levels: bob has two line managers, who have no supervisors in it."""

    def supervisors_of(self, user_id: str) -> tuple[str, ...]:
        return ("lead", "dora", "ceo") if user_id == "bob" else super().supervisors_of(user_id)

    def supervisor_levels(self, user_id: str) -> list[list[str]]:
        if user_id == "bob":
            return [["lead", "dora", "bob"], ["lead", "ceo"]]  # (bob and lead again: once)
        return [[s] for s in self.supervisors_of(user_id)]


class _OneArgumentLevels(_Levels):
    def members(self, participant_id: str) -> tuple[str, ...]:  # type: ignore[override]
        return super().members(participant_id)


class _BadLevels(_Chain):
    def supervisor_levels(self, user_id: str) -> object:
        return "lead"


def _host_engine(directory: object) -> Engine:
    e = Engine(clock=VirtualClock(), directory=directory)  # type: ignore[arg-type]
    _deploy(e)
    return e


def test_a_chain_that_says_nothing_of_who_is_above_whom_is_read_nearest_first() -> None:
    with _host_engine(_Chain()) as e:
        assert _approver(e, "ann") == ("lead",)
        assert _escalated_to(e) == ("ann", "lead")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("directory", [_Levels, _OneArgumentLevels])
def test_a_directorys_own_levels_are_used(directory: type) -> None:
    assert isinstance(directory(), Supervisors)
    with _host_engine(directory()) as e:
        assert _approver(e, "bob") == ("lead", "dora")
        assert _approver(e, "ann") == ("lead",)


def test_levels_that_are_not_lists_of_users_are_an_incident() -> None:
    with _host_engine(_BadLevels()) as e:
        iid = e.start_process("p")
        (request,) = e.work_items(iid)
        e.complete_work_item(request.id, user="ann")
        (incident,) = e.incidents(iid)
        assert "_BadLevels" in incident.message and "supervisor levels of 'ann'" in incident.message

"""An incident opened while offering a person's work (four eyes leaving no one, a performer
typed at run time that names no one) is the offer's (operation ``offer``): retrying it offers
the work again, and only that, so a Tool a person starts never runs its applications without
them (nor, finished by a person, runs them twice); skipping it is refused. On every store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, PackageBuilder, ProcessState, VirtualClock
from wfengine.errors import IllegalStateError
from wfengine.runtime.navigation import work

#: alice is the only clerk at first; bob joins later
ONE_CLERK: dict[str, Any] = {
    "users": [{"id": "alice", "roles": ["clerk"]}, {"id": "dan", "roles": ["accountant"]}]
}
TWO_CLERKS = {**ONE_CLERK, "users": [*ONE_CLERK["users"], {"id": "bob", "roles": ["clerk"]}]}


@pytest.fixture(params=STORES)
def e(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    directory = Organisation.from_data(ONE_CLERK)
    with Engine(clock=VirtualClock(), db_url=url, directory=directory) as engine:
        yield engine
        check_history(engine)


def _stamps(e: Engine) -> list[str]:
    calls: list[str] = []
    e.applications.register("stamp", lambda: calls.append("stamped") or {})
    return calls


def _checked_with_a_stamp(e: Engine) -> str:
    """alice writes; the check, a Tool a person starts (four eyes), stamps once they did it."""
    pb = PackageBuilder("pkg")
    pb.application("stamp")
    p = pb.process("p")
    p.activity("write", performer="clerk")
    rule = [("DoNotAssignToPerformerOfActivity", "write")]
    p.activity("check", performer="clerk", tool="stamp", start_mode="Manual", extended=rule)
    p.transition("write", "check")
    e.deploy(pb.build())
    iid = e.start_process("p")
    (write,) = e.work_items(iid)
    e.complete_work_item(write.id, user="alice")  # the only clerk wrote it
    return iid


def test_retrying_an_offer_of_a_manual_start_tool_offers_it_before_its_applications_run(
    e: Engine,
) -> None:
    calls = _stamps(e)
    iid = _checked_with_a_stamp(e)
    (incident,) = e.incidents(iid)
    assert (incident.activity_id, incident.operation) == ("check", "offer")
    e.retry_incident(incident.id)  # nothing changed: still no one to offer it to
    assert calls == [] and e.work_items(iid) == []
    (again,) = e.incidents(iid)
    assert again.operation == "offer" and "offered to no one" in again.message
    assert e.instance(iid).state is ProcessState.RUNNING
    e.directory = Organisation.from_data(TWO_CLERKS)
    e.retry_incident(again.id)
    (check,) = e.work_items(iid)
    assert (check.activity_id, check.assignees, calls) == ("check", ("bob",), [])
    e.complete_work_item(check.id, user="bob")
    assert calls == ["stamped"]  # after the person, once
    assert e.instance(iid).state is ProcessState.COMPLETED


def test_an_offer_incident_opened_as_run_by_an_older_engine_still_offers_the_work(
    e: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _stamps(e)
    with monkeypatch.context() as old:
        old.setattr(work, "OFFER", "run")  # as engines before offers had an operation
        iid = _checked_with_a_stamp(e)
    (incident,) = e.incidents(iid)
    assert incident.operation == "run"
    with pytest.raises(IllegalStateError, match="reached no one"):
        e.skip_incident(incident.id)
    e.directory = Organisation.from_data(TWO_CLERKS)
    e.retry_incident(incident.id)
    (check,) = e.work_items(iid)
    assert (check.assignees, calls) == (("bob",), [])
    e.complete_work_item(check.id, user="bob")
    assert calls == ["stamped"]
    assert e.instance(iid).state is ProcessState.COMPLETED


def test_an_application_failing_after_the_person_is_still_retried_by_calling_it(
    e: Engine,
) -> None:
    """The person's part done, a manual-start Tool's failed application is called again on
    retry, not offered a second time (whichever the incident was opened as)."""
    failing = [True]

    def stamp() -> dict[str, Any]:
        if failing[0]:
            raise RuntimeError("stamp machine down")
        return {}

    e.applications.register("stamp", stamp)
    e.directory = Organisation.from_data(TWO_CLERKS)
    iid = _checked_with_a_stamp(e)
    (check,) = e.work_items(iid)
    e.complete_work_item(check.id, user="bob")
    (incident,) = e.incidents(iid)
    assert incident.operation == "run" and incident.application_id == "stamp"
    failing[0] = False
    e.retry_incident(incident.id)
    assert e.work_items(iid) == []
    assert e.instance(iid).state is ProcessState.COMPLETED


def _routed_then_stamped(e: Engine, **modes: str) -> str:
    """A manager names the department; its Tool activity ``handle`` stamps (``modes``:
    its start and finish modes)."""
    pb = PackageBuilder("pkg")
    pb.application("stamp")
    p = pb.process("p")
    p.data_field("department", "STRING")
    p.activity("route", performer="clerk", writes=["department"])
    p.activity("handle", performer="department", tool="stamp", **modes)  # type: ignore[arg-type]
    p.transition("route", "handle")
    e.deploy(pb.build())
    iid = e.start_process("p")
    (route,) = e.work_items(iid)
    e.complete_work_item(route.id, {"department": "Accounts dept"}, user="alice")  # a typo
    return iid


@pytest.mark.parametrize(
    ("modes", "before"),
    [
        ({"start_mode": "Manual"}, []),  # the person first: nothing ran yet
        ({"finish_mode": "Manual"}, ["stamped"]),  # the person confirms what was stamped
    ],
)
def test_a_performer_naming_no_one_is_retried_by_offering_the_work_alone(
    e: Engine, modes: dict[str, str], before: list[str]
) -> None:
    calls = _stamps(e)
    iid = _routed_then_stamped(e, **modes)
    (incident,) = e.incidents(iid)
    assert incident.operation == "offer" and "names no participant" in incident.message
    assert calls == before
    e.set_data(iid, {"department": "accountant"})
    e.retry_incident(incident.id)
    (handle,) = e.work_items(iid)
    assert (handle.assignees, calls) == (("dan",), before)  # not stamped again, nor early
    e.complete_work_item(handle.id, user="dan")
    assert calls == ["stamped"]
    assert e.instance(iid).state is ProcessState.COMPLETED


def test_skipping_an_offer_incident_is_refused_and_changes_nothing(e: Engine) -> None:
    """Nobody did the person's work for a skip to stand in for (four eyes would be bypassed):
    the answers are a retry once someone may have it, or abort."""
    calls = _stamps(e)
    iid = _checked_with_a_stamp(e)
    (incident,) = e.incidents(iid)
    with pytest.raises(IllegalStateError, match="retry it once someone may have the work"):
        e.skip_incident(incident.id)
    assert [i.id for i in e.incidents(iid)] == [incident.id] and calls == []
    assert e.instance(iid).state is ProcessState.RUNNING

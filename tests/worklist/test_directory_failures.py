"""A host's directory (an LDAP server, a custom provider) that fails or answers nonsense: the
engine names it, and a command either stands whole with an incident or changes nothing.

Before: a ``knows`` that timed out escaped commands half-done on the memory store (a sent-back
activity closed with no new work, a re-offered item withdrawn with no replacement, a delegate's
data written with no audit event) and as a bare ``TimeoutError`` on SQLite; text answered as
members was offered letter by letter; a one-argument directory set on ``engine.directory``
failed every offer; a failing ``is_admin`` raised a bare ``ConnectionError``.
"""

from __future__ import annotations

import warnings
from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, Organisation, PackageBuilder, StaticDirectory, VirtualClock
from wfengine.runtime.directory import DirectoryError, Supervisors
from wfengine.runtime.states import WorkItemState


class _Ldap:
    """Members of every participant: ``clerks``; ``knows`` (and ``is_admin``) fail for the
    users in ``failing``, as a server that times out."""

    def __init__(self, *clerks: str) -> None:
        self.clerks = clerks
        self.failing: set[str] = set()
        self.admin_down = False

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return self.clerks

    def is_admin(self, user_id: str) -> bool:
        if self.admin_down:
            raise ConnectionError("ldap down")
        return False

    def supervises(self, supervisor: str, user_id: str) -> bool:
        return False

    def knows(self, user_id: str) -> bool:
        if user_id in self.failing:
            raise TimeoutError("ldap timeout")
        return True


@pytest.fixture(params=["memory", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return store_url(request, request.param, tmp_path)


def test_send_back_while_the_directory_fails_waits_with_an_incident(url: str | None) -> None:
    ldap = _Ldap("ann", "bob")
    with Engine(clock=VirtualClock(), db_url=url, directory=ldap) as e:
        pb = PackageBuilder("desk")
        p = pb.process("ticket")
        p.activity("a", performer="clerk")
        p.activity("b", performer="clerk")
        p.sequence("a", "b")
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        (a,) = e.work_items(iid)
        e.complete_work_item(a.id, user="ann")
        (b,) = e.work_items(iid)
        e.claim_work_item(b.id, "bob")
        ldap.failing = {"ann"}  # asked whether ann (who did a) still works here

        e.send_back_work_item(b.id, "bob", "a", "wrong address")

        (incident,) = e.incidents(iid)
        assert incident.activity_id == "a"
        assert "_Ldap" in incident.message and "TimeoutError" in incident.message
        assert [w for w in e.work_items(iid) if w.state.is_open] == []
        ldap.failing = set()
        e.retry_incident(incident.id)
        (again,) = [w for w in e.work_items(iid) if w.state.is_open]
        assert (again.activity_id, again.state, again.holder) == (
            "a",
            WorkItemState.ALLOCATED,
            "ann",
        )


def test_reoffer_while_the_directory_fails_names_it_and_takes_no_ones_work(
    url: str | None,
) -> None:
    ldap = _Ldap("ann")
    with Engine(clock=VirtualClock(), db_url=url, directory=ldap) as e:
        pb = PackageBuilder("desk")
        p = pb.process("ticket")
        p.route("split", gateway="Parallel")
        p.activity("a", performer="clerk")
        p.activity("b", performer="clerk")
        p.transition("split", "a")
        p.transition("split", "b")
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        wa, wb = sorted(e.work_items(iid), key=lambda w: w.activity_id)
        e.claim_work_item(wb.id, "ann")
        e.delegate_work_item(wb.id, "ann", "bob")
        before = [(w.id, w.state, w.holder, w.assignees) for w in e.work_items(iid)]
        ldap.clerks, ldap.failing = ("ann", "cid"), {"bob"}

        with pytest.raises(DirectoryError, match=r"_Ldap.*TimeoutError.*ldap timeout"):
            e.reoffer_work()  # (bob's delegated work was withdrawn, with an incident)
        assert [(w.id, w.state, w.holder, w.assignees) for w in e.work_items(iid)] == before
        assert e.incidents(iid) == []

        ldap.failing = set()  # it answers again: the re-offer finishes
        done = e.reoffer_work()
        assert [(r.work_item_id, r.assignees) for r in done] == [(wa.id, ("ann", "cid"))]
        assert e.work_item(wb.id).holder == "bob"


def test_a_confirmation_the_directory_cannot_check_changes_nothing(url: str | None) -> None:
    ldap = _Ldap("ann")
    with Engine(clock=VirtualClock(), db_url=url, directory=ldap) as e:
        pb = PackageBuilder("desk")
        p = pb.process("ticket")
        p.data_field("x", "INTEGER", initial="0")
        confirm = {"wfengine:delegation-confirm": "true"}
        p.activity("a", performer="clerk", writes=["x"], extended=confirm)
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        (w,) = e.work_items(iid)
        e.claim_work_item(w.id, "ann")
        e.delegate_work_item(w.id, "ann", "bob")
        trail = [ev.kind for ev in e.audit(iid)]
        ldap.failing = {"ann"}  # the owner: do they still work here?

        with pytest.raises(DirectoryError, match=r"_Ldap.*knows\('ann'\).*ldap timeout"):
            e.complete_work_item(w.id, {"x": 7}, user="bob")

        assert e.instance(iid).data["x"] == 0
        assert [ev.kind for ev in e.audit(iid)] == trail
        item = e.work_item(w.id)
        assert (item.state, item.holder, item.owner) == (WorkItemState.ALLOCATED, "bob", "ann")


def test_a_failing_admin_check_is_a_directory_error(url: str | None) -> None:
    ldap = _Ldap("ann")
    with Engine(clock=VirtualClock(), db_url=url, directory=ldap) as e:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("a", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        (w,) = e.work_items(iid)
        ldap.admin_down = True
        with pytest.raises(DirectoryError, match=r"_Ldap.*'ann' may claim.*ldap down"):
            e.claim_work_item(w.id, "ann")
        assert e.work_item(w.id).state is WorkItemState.OFFERED


# ----------------------------------------------------------------- escalation and reoffer

_ORG = {
    "users": [
        {"id": "ann", "roles": ["clerk"], "units": ["desk"]},
        {"id": "sue", "units": ["mgmt"]},
    ],
    "units": [{"id": "desk", "supervisor": "sue"}, {"id": "mgmt"}],
}


def _escalated(e: Engine, clock: VirtualClock) -> str:
    pb = PackageBuilder("desk")
    pb.participant("clerk", type="ROLE")
    late = {"wfengine:escalate-after": "PT1H"}
    pb.process("ticket").activity("answer", performer="clerk", extended=late)
    e.deploy(pb.build())
    iid = e.start_process("ticket")
    clock.advance(timedelta(hours=2))
    e.run_due_jobs()
    return iid


def test_reoffer_by_the_same_organisation_keeps_an_escalation(url: str | None) -> None:
    clock = VirtualClock()
    with Engine(clock=clock, db_url=url, directory=Organisation.from_data(_ORG)) as e:
        iid = _escalated(e, clock)
        (before,) = e.work_items(iid)
        assert before.assignees == ("ann", "sue")
        e.directory = Organisation.from_data(_ORG)  # nothing changed

        assert e.reoffer_work() == []
        (after,) = e.work_items(iid)
        assert (after.id, after.assignees) == (before.id, ("ann", "sue"))


def test_reoffer_for_a_real_change_carries_the_escalation_over(url: str | None) -> None:
    clock = VirtualClock()
    with Engine(clock=clock, db_url=url, directory=Organisation.from_data(_ORG)) as e:
        iid = _escalated(e, clock)
        bigger = {**_ORG, "users": [*_ORG["users"], {"id": "cid", "roles": ["clerk"]}]}
        e.directory = Organisation.from_data(bigger)

        (done,) = e.reoffer_work()
        (fresh,) = e.work_items(iid)
        assert fresh.id == done.replaced_by
        assert set(fresh.assignees) == {"ann", "cid", "sue"}


class _Provider:
    """A custom organisation of the documented protocols: sue supervises ann."""

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann",)

    def is_admin(self, user_id: str) -> bool:
        return False

    def supervises(self, supervisor: str, user_id: str) -> bool:
        return (supervisor, user_id) == ("sue", "ann")

    def knows(self, user_id: str) -> bool:
        return user_id in ("ann", "sue")


class _ProviderWithSupervisors(_Provider):
    def supervisors_of(self, user_id: str) -> tuple[str, ...]:
        return ("sue",) if user_id == "ann" else ()


def test_escalation_uses_a_custom_providers_supervisors_of() -> None:
    assert isinstance(_ProviderWithSupervisors(), Supervisors)
    clock = VirtualClock()
    with Engine(clock=clock, directory=_ProviderWithSupervisors()) as e:
        iid = _escalated(e, clock)
        (item,) = e.work_items(iid)
        assert item.assignees == ("ann", "sue")


def test_escalation_without_supervisors_of_says_so() -> None:
    clock = VirtualClock()
    with Engine(clock=clock, directory=_Provider()) as e:
        iid = _escalated(e, clock)
        (incident,) = e.incidents(iid)
        assert "_Provider has no supervisors_of(user_id)" in incident.message


# ------------------------------------------------------------------- what a directory is


class _Answers:
    def __init__(self, answer: object) -> None:
        self.answer = answer

    def members(self, participant_id: str, participant: object = None) -> object:
        return self.answer


@pytest.mark.parametrize("answer", ["alice", (101, 102), None, ["ann", ""]])
def test_members_that_are_not_user_ids_are_an_incident(url: str | None, answer: object) -> None:
    with Engine(clock=VirtualClock(), db_url=url, directory=_Answers(answer)) as e:  # type: ignore[arg-type]
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        assert e.work_items(iid) == []
        (incident,) = e.incidents(iid)
        assert "members of 'clerk'" in incident.message and "_Answers" in incident.message


def test_static_directory_add_refuses_a_list() -> None:
    d = StaticDirectory()
    with pytest.raises(TypeError, match=r"add\('clerk', \*\['ann', 'bob'\]\)"):
        d.add("clerk", ["ann", "bob"])  # type: ignore[arg-type]
    d.add("clerk", "ann", "bob")
    assert d.members("clerk") == ("ann", "bob")


class _OneArgument:
    def members(self, participant_id: str) -> tuple[str, ...]:
        return ("ann",)


def test_a_directory_set_later_is_adapted_as_one_given_at_the_start() -> None:
    with Engine(clock=VirtualClock()) as e:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            e.directory = _OneArgument()  # type: ignore[assignment]
        assert [w.category for w in caught] == [DeprecationWarning]
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        assert [w.assignees for w in e.work_items(iid)] == [("ann",)]
        assert e.incidents(iid) == []


def test_a_mapping_is_no_directory() -> None:
    with pytest.raises(TypeError, match=r"dict .* has none .*StaticDirectory\(mapping\)"):
        Engine(directory={"clerk": ["ann"]})  # type: ignore[arg-type]
    with Engine() as e, pytest.raises(TypeError, match="members"):
        e.directory = object()  # type: ignore[assignment]


class _KeywordOnly:
    def members(self, participant_id: str, *, participant: object = None) -> tuple[str, ...]:
        return ("ann",) if getattr(participant, "name", None) == "Clerks" else ("nobody",)


def test_a_directory_taking_the_declaration_by_keyword_gets_it() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no DeprecationWarning: it is no one-argument form)
        e = Engine(clock=VirtualClock(), directory=_KeywordOnly())  # type: ignore[arg-type]
    with e:
        pb = PackageBuilder("desk")
        pb.participant("clerk", type="ROLE", name="Clerks")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        assert [w.assignees for w in e.work_items(iid)] == [("ann",)]


class _EscalationDown(_ProviderWithSupervisors):
    down = False

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        if self.down and participant_id == "boss":
            raise ConnectionError("ldap down")
        return ("ann",)


def test_an_escalation_the_directory_fails_names_it(url: str | None) -> None:
    clock = VirtualClock()
    directory = _EscalationDown()
    with Engine(clock=clock, db_url=url, directory=directory) as e:
        pb = PackageBuilder("desk")
        late = {"wfengine:escalate-after": "PT1H", "wfengine:escalate-to": "boss"}
        pb.process("ticket").activity("answer", performer="clerk", extended=late)
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        directory.down = True
        clock.advance(timedelta(hours=2))
        e.run_due_jobs()
        (incident,) = e.incidents(iid)
        assert "_EscalationDown failed to answer members('boss')" in incident.message
        assert [w.assignees for w in e.work_items(iid)] == [("ann",)]

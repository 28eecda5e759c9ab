"""``reoffer_work`` while the directory cannot answer (its server is down) takes no one's work.

It withdrew every item it could not ask about, even work someone had claimed and started
(cancelled, with incidents "who may do it cannot be told"), though held items are left as
they are by the re-offer's own rules. Now an instance it could not ask about is left as it
is, the others are re-offered, and it raises a ``DirectoryError`` naming the directory and
the instances left; running it again once the directory answers finishes the work. A
performer expression that names no one is still an incident, told as the expression's
failure, not the directory's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, WorkItemState
from wfengine.runtime.directory import DirectoryError


class _Ldap:
    """A directory whose server may be ``down`` (every question times out); ``clerks`` are
    the members of every participant."""

    def __init__(self) -> None:
        self.down = False
        self.clerks: tuple[str, ...] = ("ann", "bob")

    def _ask(self) -> None:
        if self.down:
            raise TimeoutError("ldap.example.com timed out")

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        self._ask()
        return self.clerks

    def is_admin(self, user_id: str) -> bool:
        self._ask()
        return False

    def supervises(self, supervisor: str, user_id: str) -> bool:
        self._ask()
        return False

    def knows(self, user_id: str) -> bool:
        self._ask()
        return user_id in ("ann", "bob", "cid")


@pytest.fixture(params=STORES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return store_url(request, request.param, tmp_path)


def test_a_reoffer_while_the_directory_is_down_leaves_the_work_as_it_is(url: str | None) -> None:
    ldap = _Ldap()
    with Engine(clock=VirtualClock(), db_url=url, directory=ldap) as e:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        started_in, offered_in = e.start_process("ticket"), e.start_process("ticket")
        [started] = e.work_items(started_in)
        e.claim_work_item(started.id, "ann")
        e.start_work_item(started.id, "ann")
        [offered] = e.work_items(offered_in)
        before = {w.id: (w.state, w.holder, w.assignees) for w in e.work_items()}
        ldap.down, ldap.clerks = True, ("ann", "bob", "cid")

        with pytest.raises(DirectoryError, match=r"_Ldap.*TimeoutError.*left as it is"):
            e.reoffer_work()  # withdrew both, ann's started work too

        after = {w.id: (w.state, w.holder, w.assignees) for w in e.work_items()}
        assert after == before
        assert before[started.id][0] is WorkItemState.STARTED
        assert e.incidents(started_in) == [] and e.incidents(offered_in) == []

        ldap.down = False  # it answers again: the re-offer finishes
        [done] = e.reoffer_work()
        assert (done.work_item_id, done.assignees) == (offered.id, ("ann", "bob", "cid"))
        assert e.work_item(started.id).holder == "ann"  # ann still holds her started work


def test_a_performer_expression_naming_no_one_is_told_as_its_own_failure() -> None:
    org = {"users": [{"id": "carol", "roles": ["clerk"]}]}
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(org)) as e:
        pb = PackageBuilder("desk")
        p = pb.process("routed")
        p.data_field("person", "STRING")
        p.activity("handle", performer="person")
        e.deploy(pb.build())
        iid = e.start_process("routed", {"person": "carol"})
        e.directory = Organisation.from_data({"users": [{"id": "mia", "roles": ["clerk"]}]})
        [done] = e.reoffer_work()
        [incident] = e.incidents(iid)
        assert incident.id == done.incident and "'carol'" in incident.message
        assert "the directory Organisation failed" not in incident.message, incident.message


class _Dir:
    def __init__(self, members: dict[str, object]) -> None:
        self.m = members

    def members(self, participant_id: str, participant: object = None) -> object:
        return self.m[participant_id]


def test_one_participant_the_directory_cannot_answer_for_leaves_only_its_instance(
    url: str | None,
) -> None:
    # (the re-offer once stopped at the first such instance, and every later run did too:
    # the instances after it were never re-offered)
    pb = PackageBuilder("pkg")
    for pid, who in (("audit", "auditor"), ("claim", "clerk")):
        pb.participant(who)
        pb.process(pid).activity("a", performer=who)
    with Engine(
        clock=VirtualClock(), db_url=url, directory=_Dir({"auditor": ("ann",), "clerk": ("bob",)})
    ) as e:
        e.deploy(pb.build())
        audit, claim = e.start_process("audit"), e.start_process("claim")
        e.directory = _Dir({"auditor": 7, "clerk": ("carl",)})  # a mistake for the auditors
        with pytest.raises(DirectoryError, match=r"1 instance\(s\) \('pi-1'\) is left as it is"):
            e.reoffer_work()
        assert [w.assignees for w in e.work_items(audit)] == [("ann",)]  # as it was
        assert [w.assignees for w in e.work_items(claim)] == [("carl",)]  # re-offered
        assert e.incidents() == []


def test_a_directory_down_is_asked_once_not_once_per_instance(url: str | None) -> None:
    # (carrying on past every failing instance waited out the directory's timeout once per
    # open instance: 40 instances, 40 lookups)
    asked: list[str] = []

    class _Down(_Ldap):
        def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
            asked.append(participant_id)
            return super().members(participant_id, participant)

    ldap = _Down()
    with Engine(clock=VirtualClock(), db_url=url, directory=ldap) as e:
        pb = PackageBuilder("desk")
        pb.participant("clerk")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        started = [e.start_process("ticket") for _ in range(5)]
        ldap.down, asked[:] = True, []
        with pytest.raises(DirectoryError, match=r"the work of 5 instance\(s\)"):
            e.reoffer_work()
        assert len(asked) == 1
        assert all(w.state is WorkItemState.OFFERED for i in started for w in e.work_items(i))

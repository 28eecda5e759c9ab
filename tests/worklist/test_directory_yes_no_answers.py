"""A host directory's yes/no answers (``is_admin``, ``supervises``, ``knows``) may not be text
or a number other than 0 and 1 (a bool, 0 or 1, a numpy bool, None for no and a record for yes
are taken: test_directory_bool_like_answers.py): such an answer is a ``DirectoryError`` naming
the directory, the question and the answer.

Before, an answer was taken by its truth: an ``is_admin`` returning the text ``"false"`` (as
read from a configuration or an LDAP attribute) made every user an administrator, who could
reassign anyone's work to themselves and read every instance.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder, VirtualClock, connect
from wfengine.runtime.directory import DirectoryError
from wfengine.runtime.states import WorkItemState


class _Ldap:
    """Ann and bob are clerks; ``said`` maps a question and the user it is asked of (the
    supervisor, for ``supervises``) to what it answers (else a bool)."""

    def __init__(self) -> None:
        self.said: dict[tuple[str, str], object] = {}

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann", "bob")

    def is_admin(self, user_id: str) -> object:
        return self.said.get(("is_admin", user_id), False)

    def supervises(self, supervisor: str, user_id: str) -> object:
        return self.said.get(("supervises", supervisor), False)

    def knows(self, user_id: str) -> object:
        return self.said.get(("knows", user_id), user_id in ("ann", "bob", "mallory"))


@pytest.fixture(params=["memory", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return store_url(request, request.param, tmp_path)


def _claimed(e: Engine) -> tuple[str, str]:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.activity("a", performer="clerk")
    p.activity("b", performer="clerk")
    p.sequence("a", "b")
    e.deploy(pb.build())
    iid = e.start_process("ticket")
    (w,) = e.work_items(iid)
    e.claim_work_item(w.id, "ann")
    return iid, w.id


@pytest.mark.parametrize(
    "question, answer, asked",
    [
        (("is_admin", "mallory"), "false", r"is_admin\('mallory'\)"),
        (("supervises", "mallory"), "no", r"supervises\('mallory', 'ann'\)"),
        (("knows", "bob"), 2, r"knows\('bob'\)"),
    ],
    ids=["is_admin", "supervises", "knows"],
)
def test_a_command_a_non_bool_answer_decides_changes_nothing(
    url: str | None, question: tuple[str, str], answer: object, asked: str
) -> None:
    ldap = _Ldap()
    with Engine(clock=VirtualClock(), db_url=url, directory=ldap) as e:
        iid, w = _claimed(e)
        trail = [ev.kind for ev in e.audit(iid)]
        ldap.said[question] = answer
        said = rf"{type(answer).__name__} {answer!r}, not True or False"
        with pytest.raises(DirectoryError, match=rf"asked {asked}, the directory _Ldap .*{said}"):
            e.reassign_work_item(w, "mallory", "bob")
        item = e.work_item(w)
        assert (item.state, item.holder) == (WorkItemState.ALLOCATED, "ann")
        assert [ev.kind for ev in e.audit(iid)] == trail


def test_a_session_does_not_read_an_instance_on_a_non_bool_answer() -> None:
    ldap = _Ldap()
    with Engine(clock=VirtualClock(), directory=ldap) as e:
        iid, _ = _claimed(e)
        ldap.said["is_admin", "mallory"] = "false"
        session = connect(e, "mallory")
        with pytest.raises(DirectoryError, match=r"is_admin\('mallory'\).*answered str 'false'"):
            session.get_process_instance(iid)


def test_a_non_bool_answer_while_offering_is_an_incident_to_retry(url: str | None) -> None:
    ldap = _Ldap()
    with Engine(clock=VirtualClock(), db_url=url, directory=ldap) as e:
        iid, w = _claimed(e)
        e.complete_work_item(w, user="ann")
        (b,) = [x for x in e.work_items(iid) if x.state.is_open]
        e.claim_work_item(b.id, "bob")
        ldap.said["knows", "ann"] = "yes"  # asked whether ann (who did a) still works here
        e.send_back_work_item(b.id, "bob", "a", "wrong address")
        (incident,) = e.incidents(iid)
        assert "knows('ann')" in incident.message and "answered str 'yes'" in incident.message
        del ldap.said["knows", "ann"]
        e.retry_incident(incident.id)
        (again,) = [x for x in e.work_items(iid) if x.state.is_open]
        assert (again.activity_id, again.holder) == ("a", "ann")


def test_bool_answers_still_decide() -> None:
    ldap = _Ldap()
    with Engine(clock=VirtualClock(), directory=ldap) as e:
        _, w = _claimed(e)
        ldap.said["is_admin", "mallory"] = True
        e.reassign_work_item(w, "mallory", "bob")
        assert e.work_item(w).holder == "bob"

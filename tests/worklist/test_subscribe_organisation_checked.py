"""``subscribe(handlers, organisation, notifiers)`` took an ``organisation`` that is neither
an Organisation, a callable returning one, nor None (a path to its file, a host's own
directory) and then failed every delivery of every work-item entry until the outbox gave it
up. Now it is refused at once, a TypeError naming the argument and what to pass instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, subscribe
from wfengine.worklist.notifiers import Notification, NotificationDispatcher
from wfengine.worklist.org_model import OrgUser


class _Recorder:
    def notify(self, notification: Notification, users: list[OrgUser]) -> None: ...


class _HostDirectory:
    """A host's own directory (the documented members/knows protocol): no addresses."""

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("alice",)

    def knows(self, user_id: str) -> bool:
        return user_id == "alice"


def test_a_path_is_refused_naming_load_organisation(tmp_path: Path) -> None:
    path = tmp_path / "organisation.yaml"
    with Engine() as engine:
        handlers = engine.outbox.handlers
        with pytest.raises(TypeError, match=r"organisation is an Organisation.*load_organisation"):
            subscribe(handlers, str(path), [_Recorder()])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"organisation is an Organisation"):
            subscribe(handlers, path, [_Recorder()])  # type: ignore[arg-type]


def test_a_host_directory_is_refused_saying_it_has_no_addresses() -> None:
    with pytest.raises(TypeError, match=r"host's own directory gives no addresses"):
        NotificationDispatcher(_HostDirectory(), [_Recorder()])  # type: ignore[arg-type]


def test_an_organisation_a_callable_and_none_are_taken() -> None:
    org = Organisation.from_data(ORG)
    for given in (org, lambda: org, None):
        assert NotificationDispatcher(given, [_Recorder()]).organisation is given

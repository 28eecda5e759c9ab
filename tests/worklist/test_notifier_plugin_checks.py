"""Notifiers given to ``wfengine.subscribe`` and notifier plug-ins are checked when given.

A plain function in the list was accepted, then every delivery failed for eight hours
("'function' object has no attribute 'notify'"); one notifier not in a list was a bare
"'X' object is not iterable"; a plug-in whose entry point cannot be loaded raised a bare
``ModuleNotFoundError`` naming no notifier. Now each is refused at once, naming it.
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine
from wfengine.errors import ApplicationError
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser


class _Recorder:
    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        return None


def _plain(notification: n.Notification, users: list[OrgUser]) -> None:
    return None


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ([_plain], r"notifier <function _plain at .*> has no notify\(notification, users\)"),
        (_Recorder(), r"notifiers is a list of notifiers \(\[notifier\]\), not _Recorder"),
        ("email", r"notifiers is a list of notifiers .*, not 'email'"),
        (5, r"notifiers is a list of notifiers .*, not 5"),
    ],
    ids=["a function", "one notifier", "a name", "a number"],
)
def test_what_is_not_a_list_of_notifiers_is_refused_at_subscribe(given: Any, said: str) -> None:
    with Engine() as engine:
        with pytest.raises(TypeError, match=said):
            n.subscribe(engine.outbox.handlers, None, given)
        assert not engine.outbox.handlers.subscribed()  # nothing to fail at delivery


def test_a_plug_in_that_cannot_be_loaded_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    class _EntryPoint:
        name = "teams"
        value = "fakenotify_missing:TeamsNotifier"

        def load(self) -> Any:
            raise ModuleNotFoundError("No module named 'fakenotify_missing'")

    monkeypatch.setattr(n, "entry_points", lambda group: [_EntryPoint()])
    with pytest.raises(
        ApplicationError,
        match=r"notifier 'teams': entry point 'fakenotify_missing:TeamsNotifier' of group "
        r"'wfengine_notifiers' cannot be loaded: ModuleNotFoundError",
    ):
        n.notifier("teams")

"""The changes a start, a close, an offer and a completion record without making their
payloads (:func:`~wfengine.runtime.history.instance_created`,
:func:`~wfengine.runtime.history.state_changed`,
:func:`~wfengine.runtime.work_item_events.item_offered`,
:func:`~wfengine.runtime.work_item_events.item_completed`) are those ``change`` makes of the
payloads, and read back as them."""

from __future__ import annotations

from datetime import UTC, datetime

from wfengine.runtime.history import (
    InstanceCreated,
    InstanceStateChanged,
    WorkItemCompleted,
    WorkItemOffered,
    change,
    instance_created,
    read_payload,
    state_changed,
)
from wfengine.runtime.work_item_events import item_completed, item_offered

AT = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def test_state_changed_is_the_payloads_change() -> None:
    for previous in (None, "open.not_running.not_started"):
        for user in (None, "ann"):
            for by in (None, "pi-7"):
                made = state_changed(AT, "open.running", previous, user, by)
                payload = InstanceStateChanged("open.running", previous, user, by)
                assert made == change(AT, payload)
                assert read_payload(made[1], made[4]) == payload


def test_instance_created_is_the_payloads_change() -> None:
    for data in (None, {"x": 1, "secret": "***"}):
        for user in (None, "ann"):
            made = instance_created(AT, 3, data, user)
            payload = InstanceCreated(3, data, user)
            assert made == change(AT, payload)
            assert read_payload(made[1], made[4]) == payload


def test_item_offered_is_the_payloads_change() -> None:
    made = item_offered(AT, "wi-3", "pi-1:4", "review")
    payload = WorkItemOffered("wi-3")
    assert made == change(AT, payload, "pi-1:4", "review")
    assert read_payload(made[1], made[4]) == payload


def test_item_completed_is_the_payloads_change() -> None:
    for user in (None, "ann"):
        for data in (None, {"x": 1, "secret": "***"}):
            made = item_completed(AT, "wi-3", user, data, "pi-1:4", "review")
            payload = WorkItemCompleted("wi-3", user, data)
            assert made == change(AT, payload, "pi-1:4", "review")
            assert read_payload(made[1], made[4]) == payload

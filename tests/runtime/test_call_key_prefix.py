"""A command's call keys, with their first part worked out once per process instance.

Why: ``call_key`` formatted the command's origin and its instance's mark for every activity
instance it keyed (an isinstance, a split of the id, two f-strings: 5-9% of a 100-activity
application chain in memory). The part ``origin@mark.`` is now kept for the instance keyed
last; the keys must stay what they were, also when a command keys calls in two process
instances in turn (a signal caught by several).
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from wfengine.runtime.command_origin import StateOrigin
from wfengine.runtime.navigation.base import NavigatorBase


def _activity(instance: object, ai_id: str) -> Any:
    return SimpleNamespace(id=ai_id, call_key=None, scope=SimpleNamespace(instance=instance))


def _navigator(origin: str) -> NavigatorBase:
    ctx = cast(Any, SimpleNamespace(command_origin=origin))
    return NavigatorBase(ctx, datetime(2027, 1, 4, tzinfo=UTC))


def test_a_host_commands_keys_are_marked_per_instance_in_any_order() -> None:
    origin = StateOrigin("complete-abc")
    nav = _navigator(origin)
    a, b = object(), object()
    first = [_activity(a, "pi-1:5"), _activity(b, "pi-2:9"), _activity(a, "pi-1:6")]
    keys = [nav.call_key(ai) for ai in first]
    assert keys == ["complete-abc@5.1", "complete-abc@9.2", "complete-abc@5.3"]
    assert origin.marks == {"pi-1": "5", "pi-2": "9"}
    again = _activity(a, "pi-1:5")
    again.call_key = keys[0]
    assert nav.call_key(again) == keys[0]  # (kept on the activity for its later calls)


def test_a_jobs_keys_are_its_id_and_a_count() -> None:
    nav = _navigator("job-17")
    inst = object()
    keys = [nav.call_key(_activity(inst, f"pi-1:{n}")) for n in (3, 4, 5)]
    assert keys == ["job-17.1", "job-17.2", "job-17.3"]

"""Idempotency keys of the application calls a host's command makes (not a job's).

A host completing a work item through the API runs the automatic work that follows in the same
command; killed while an application is being called, the command never committed, and the
host runs the completion again. Its key used to be made of the engine's random tag: the call
came again with another key, and the service did the work twice. Now the key says what the
command is and where the call stands in the instance, so the same command on the same stored
state calls with the same key, and no two commands share one. The host's death is played by
``SystemExit`` raised in the main thread's call: on a database it ends the command before its
commit (see ``call_stops``), so nothing of the command is stored, as after a kill.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def _package() -> PackageBuilder:
    """Two people's tasks in parallel, each followed by a call of the same application."""
    pb = PackageBuilder("keys")
    pb.participant("clerk")
    pb.application("app", params=[("note", "IN", "STRING")])
    p = pb.process("p")
    p.data_field("note", "STRING", initial="")
    p.activity("fork", split="Parallel")
    p.activity("review_a", performer="clerk").activity("review_b", performer="clerk")
    p.activity("call_a", tool="app", args=["note"]).activity("call_b", tool="app", args=["note"])
    p.transition("fork", "review_a").transition("fork", "review_b")
    p.transition("review_a", "call_a").transition("review_b", "call_b")
    return pb


class Host:
    """A host process on ``url``: its engine, and the keys its application was called with
    (``dies``: the call kills the host, so the command never commits)."""

    def __init__(self, url: str, keys: list[str], dies: bool) -> None:
        self.engine = Engine(db_url=url)

        def app(note: str, idempotency_key: str) -> None:
            keys.append(idempotency_key)
            if dies:
                raise SystemExit(9)

        self.engine.applications.register("app", app)

    def complete(self, activity: str, data: dict[str, Any] | None = None) -> None:
        [item] = [i for i in self.engine.work_items() if i.activity_id == activity]
        try:
            self.engine.complete_work_item(item.id, data)
        finally:
            self.engine.close()


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as engine:
        engine.deploy(_package().build(), check_bindings=False)
        engine.start_process("p")
    return url


def test_a_command_run_again_after_its_host_died_calls_with_the_same_key(url: str) -> None:
    keys: list[str] = []
    with pytest.raises(SystemExit):
        Host(url, keys, dies=True).complete("review_a")
    Host(url, keys, dies=False).complete("review_a")  # another process, the same command
    assert len(keys) == 2 and keys[0] == keys[1]


def test_different_commands_on_one_stored_state_call_with_different_keys(url: str) -> None:
    """The two completions (and one with other data) read one state and make their calls
    for activity instances numbered alike: their keys differ by what the command is."""
    keys: list[str] = []
    for activity, data in (("review_a", None), ("review_b", None), ("review_a", {"note": "x"})):
        with pytest.raises(SystemExit):
            Host(url, keys, dies=True).complete(activity, data)
    assert len(set(keys)) == 3, keys


def test_one_command_twice_calls_with_different_keys(url: str) -> None:
    """Completing both tasks one after the other: the second runs on the state the first
    stored, so its call has a key of its own."""
    keys: list[str] = []
    Host(url, keys, dies=False).complete("review_a")
    Host(url, keys, dies=False).complete("review_b")
    assert len(set(keys)) == 2, keys

"""``wfengine worker`` and ``wfengine run`` deliver the outbox to the handlers an ``--apps``
module subscribes with ``subscribe(outbox)``; a worker killed in the middle of a delivery
delivers it after a restart.

Driven by progress, never by time (issue 9): the kill waits until the database holds the
committed entry and the handler has said it is delivering it, and every wait is a poll with a
deadline (``PATIENCE``) far beyond what a busy machine needs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from tests.cli.databases import automatic, cli, sqlite_url, write
from tests.runtime.crash_harness import kill, wait_for, worker
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxStatus
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.connect import create_engine

RECORDING_APPS = """
import json

def register(registry):
    registry.register("add", lambda v: {{"v": v + 1}})

def subscribe(outbox):
    def record(entry):
        with open({out!r}, "a") as f:
            f.write(json.dumps([entry.kind, entry.key, entry.attempts]) + "\\n")

    outbox.subscribe(record)
"""

#: the handler holds the delivery of an instance's close until ``release`` exists: a worker
#: killed meanwhile dies between the commit of the entry and the end of its delivery
HELD_APPS = """
import os, pathlib, time
from datetime import timedelta

from wfengine.runtime.outbox import OutboxKind, OutboxPolicy

def register(registry):
    registry.register("add", lambda v: {{"v": v + 1}})

def subscribe(outbox):
    outbox.policy = OutboxPolicy(lease=timedelta(seconds=1))

    def closed(entry):
        if not entry.key.endswith("/closed"):
            return
        with open({calls!r}, "a") as f:
            f.write(entry.key + "\\n")
            f.flush()
            os.fsync(f.fileno())
        deadline = time.monotonic() + {patience!r}
        while not pathlib.Path({release!r}).exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        with open({delivered!r}, "a") as f:
            f.write(entry.key + "\\n")

    outbox.subscribe(closed, kinds=[OutboxKind.INSTANCE_STATE_CHANGED])
"""

PATIENCE = 600.0


def _plain(key: str) -> str:
    """An outbox key without its instance's stamp (``pi-1@3fa9c2e1b0d4/closed``:
    ``pi-1/closed``)."""
    head, slash, rest = key.partition("/")
    return head.partition("@")[0] + slash + rest


def _recorded(path: Path) -> list[tuple[str, str, int]]:
    if not path.exists():
        return []
    return [tuple(json.loads(line)) for line in path.read_text().splitlines()]  # type: ignore[misc]


def test_worker_delivers_every_entry_to_the_apps_modules_handlers(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    out = tmp_path / "delivered.jsonl"
    apps = tmp_path / "outbox_apps.py"
    apps.write_text(RECORDING_APPS.format(out=str(out)))
    ids = cli("instance", "start", write(tmp_path, automatic()), "--db", url, "--count", "3")
    ids_started = ids.stdout.split()
    result = cli("worker", "--db", url, "--until-idle", "--apps", str(apps))
    assert result.exit_code == 0, result.output
    assert "outbox: delivering every kind of entry" in result.stderr
    assert "worker stopped after 3 job(s) and 6 outbox entries" in result.stderr
    got = _recorded(out)
    assert Counter(_plain(key) for _, key, _ in got) == {
        f"{iid}/{change}": 1 for iid in ids_started for change in ("started", "closed")
    }
    assert {kind for kind, _, _ in got} == {"instance.state_changed"}
    with Engine(db_url=url) as engine:
        assert {e.status for e in engine.outbox.entries()} == {OutboxStatus.DELIVERED}


def test_a_worker_without_handlers_skips_the_entries(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    apps = tmp_path / "apps_only.py"
    apps.write_text("def register(r):\n    r.register('add', lambda v: {'v': v + 1})\n")
    cli("instance", "start", write(tmp_path, automatic()), "--db", url)
    result = cli("worker", "--db", url, "--until-idle", "--apps", str(apps))
    assert result.exit_code == 0, result.output
    assert "outbox: no handler subscribed" in result.stderr
    with Engine(db_url=url) as engine:
        assert {e.status for e in engine.outbox.entries()} == {OutboxStatus.SKIPPED}


def _entry(url: str, key: str) -> tuple[str, int] | None:
    """The status and attempts of the outbox entry ``key`` (None: not committed yet)."""
    o = t.outbox
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(sa.select(o.c.status, o.c.attempts).where(o.c.key == key)).first()
    finally:
        engine.dispose()
    return None if row is None else (row[0], row[1])


def test_a_worker_killed_between_commit_and_delivery_delivers_after_restart(
    tmp_path: Path,
) -> None:
    url = sqlite_url(tmp_path)
    calls, delivered, release = (tmp_path / n for n in ("calls", "delivered", "release"))
    apps = tmp_path / "held_outbox_apps.py"
    apps.write_text(
        HELD_APPS.format(
            calls=str(calls), delivered=str(delivered), release=str(release), patience=PATIENCE
        )
    )
    [iid] = cli("instance", "start", write(tmp_path, automatic()), "--db", url).stdout.split()
    with Engine(db_url=url) as engine:  # the key carries the instance's stamp
        key = f"{iid}{engine.store.instance(iid).call_stamp()}/closed"
    log = tmp_path / "worker.log"
    first = worker(url, str(apps), log=log)
    try:
        # the job committed the close and its entry; the handler is delivering it
        wait_for("the close is committed", lambda: _entry(url, key) is not None, (first,))
        wait_for(
            "its delivery began", lambda: calls.exists() and key in calls.read_text(), (first,)
        )
    finally:
        kill(first)
    assert _entry(url, key) == ("pending", 1)  # claimed, never settled
    assert not delivered.exists()
    release.write_text("go")
    second = worker(url, str(apps), log=log)
    try:
        wait_for("the entry is delivered", lambda: _entry(url, key) == ("delivered", 2), (second,))
    finally:
        kill(second)
    assert delivered.read_text().splitlines() == [key]
    assert calls.read_text().splitlines() == [key, key]  # the killed delivery, then the one


def test_run_delivers_its_entries_to_the_apps_modules_handlers(tmp_path: Path) -> None:
    out = tmp_path / "delivered.jsonl"
    apps = tmp_path / "run_outbox_apps.py"
    apps.write_text(RECORDING_APPS.format(out=str(out)))
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("ask", performer="clerk").activity("done").transition("ask", "done")
    result = cli("run", write(tmp_path, pb), "--apps", str(apps), "--json")
    assert result.exit_code == 0, result.output
    iid = json.loads(result.stdout)["instance_id"]
    got = [(kind, _plain(key)) for kind, key, _ in _recorded(out)]
    assert [(kind, key.split("/", 1)[0] == iid or key) for kind, key in got] == [
        ("instance.state_changed", True),
        ("work_item.offered", "wi-1/offered"),
        ("work_item.completed", "wi-1/completed"),
        ("instance.state_changed", True),
    ]


def test_the_help_says_how_to_subscribe() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wfengine.cli.main", "worker", "--help"],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=True,
    )
    text = " ".join(done.stdout.split())
    assert "subscribe(outbox)" in text and "idempotency key" in text

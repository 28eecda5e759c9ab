"""What the crash and multi-worker tests share: the process they run, worker subprocesses,
and the end-state check read from the database and its audit trail.

The process has everything a crash can cut in half: a parallel split whose branches do
automatic work, call an application (through ``--apps``) and wait on a short real timer (a
synchronous deadline on a manual activity, which cancels it and takes the ``Late`` exception
path), joined again by a parallel join.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.states import ProcessState

APPS = """
def register(registry):
    registry.register("work", lambda v: {"v": v + 1})
"""

#: every activity of the process runs exactly once per instance; 'wait' ends by its deadline
ONCE = {"split": 1, "a": 1, "b": 1, "wait": 1, "late": 1, "join": 1, "end": 1}
#: audit events that open an activity instance (automatic work; a manual one's work item)
_OPENED = ("activity.started", "work_item.offered")
_CLOSED = ("activity.completed", "activity.terminated", "activity.aborted")


def write_definition(tmp_path: Path) -> tuple[str, str]:
    """The process file and the ``--apps`` file, written into ``tmp_path``."""
    pb = PackageBuilder("crash")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="0").data_field("delay", "FLOAT", initial="1.0")
    p.application("work", params=[("v", "INOUT", "INTEGER")])
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    p.activity("a").activity("b", tool="work", args=["v"])
    p.activity("wait", performer="nobody", deadlines=[("delay", "Late", "SYNCHR")])
    p.activity("late")
    p.transition("split", "a").transition("split", "b").transition("split", "wait")
    p.transition("wait", "late", exception="Late")
    p.transition("a", "join").transition("b", "join").transition("late", "join")
    p.activity("end").transition("join", "end")
    xpdl = tmp_path / "crash.xpdl"
    xpdl.write_bytes(dump_xpdl(pb.build()))
    apps = tmp_path / "crash_apps.py"
    apps.write_text(APPS)
    return str(xpdl), str(apps)


def wfengine(*args: str) -> list[str]:
    return [sys.executable, "-m", "wfengine.cli.main", *args]


def start_instances(xpdl: str, url: str, count: int, delay: float) -> list[str]:
    done = subprocess.run(
        wfengine(
            "instance", "start", xpdl, "--db", url, "--count", str(count), "--set", f"delay={delay}"
        ),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    ids = done.stdout.split()
    assert len(ids) == count
    return ids


def worker(url: str, apps: str, *extra: str, log: Path | None = None) -> subprocess.Popen[bytes]:
    """A ``wfengine worker`` subprocess (its log appended to ``log``)."""
    out = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    try:
        return subprocess.Popen(
            wfengine(
                "worker", "--db", url, "--apps", apps, "--lease", "2", "--poll", "0.2", *extra
            ),
            stdout=subprocess.DEVNULL,
            stderr=out,
        )
    finally:
        if log is not None:
            out.close()


def kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def progress(url: str) -> tuple[int, int]:
    """(instances completed, jobs still leased): what a killed worker left behind."""
    p, j = t.process_instances, t.jobs
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            done = conn.execute(
                sa.select(sa.func.count()).where(p.c.state == ProcessState.COMPLETED.value)
            ).scalar_one()
            leased = conn.execute(
                sa.select(sa.func.count()).where(j.c.lock_owner.is_not(None))
            ).scalar_one()
    finally:
        engine.dispose()
    return int(done), int(leased)


def finish(url: str, apps: str, log: Path, rounds: int = 6) -> None:
    """Run ``worker --until-idle`` until nothing is left, waiting out timers between runs."""
    for _ in range(rounds):
        done = subprocess.run(
            wfengine(
                "worker",
                "--db",
                url,
                "--apps",
                apps,
                "--lease",
                "2",
                "--poll",
                "0.2",
                "--until-idle",
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=300,
            check=False,
        )
        with open(log, "ab") as f:
            f.write(done.stderr)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        with Engine(db_url=url) as engine:
            due = engine.next_due_at()
            if due is None:
                return
            time.sleep(max(0.0, (due - engine.clock.now()).total_seconds()) + 0.05)
    raise AssertionError(f"work left after {rounds} --until-idle runs")


def check_everything_ran_once(url: str, ids: list[str]) -> None:
    """Every instance completed, every activity instance opened and closed exactly once (from
    the audit trail), the application's committed call and the timer once, nothing left.

    Reads the tables in bulk (one query per table), so checking thousands of instances on
    PostgreSQL takes a moment, not a query per instance.
    """
    p, a, j, tok, ai = (
        t.process_instances,
        t.audit_events,
        t.jobs,
        t.tokens,
        t.activity_instances,
    )
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            states = Counter(
                dict(conn.execute(sa.select(p.c.state, sa.func.count()).group_by(p.c.state)).all())
            )
            kinds = (*_OPENED, *_CLOSED, "application.invoked", "deadline.fired")
            events = conn.execute(
                sa.select(
                    a.c.instance_id, a.c.kind, a.c.activity_instance_id, a.c.activity_id
                ).where(a.c.kind.in_(kinds))
            ).all()
            seqs = conn.execute(
                sa.select(a.c.instance_id, sa.func.count(), sa.func.max(a.c.seq)).group_by(
                    a.c.instance_id
                )
            ).all()
            left = {
                "jobs": conn.execute(sa.select(sa.func.count()).select_from(j)).scalar_one(),
                "tokens": conn.execute(sa.select(sa.func.count()).select_from(tok)).scalar_one(),
                "open activities": conn.execute(
                    sa.select(sa.func.count()).where(ai.c.state.like("open.%"))
                ).scalar_one(),
                "open incidents": conn.execute(
                    sa.select(sa.func.count()).where(t.incidents.c.resolved.is_(False))
                ).scalar_one(),
            }
    finally:
        engine.dispose()
    assert states == {ProcessState.COMPLETED.value: len(ids)}, states
    assert left == {"jobs": 0, "tokens": 0, "open activities": 0, "open incidents": 0}, left
    assert all(count == top for _, count, top in seqs)  # audit seq 1..n, no gap, no repeat
    by_instance: dict[str, list[tuple[str, str, str]]] = {i: [] for i in ids}
    for iid, kind, ai_id, act_id in events:
        by_instance[iid].append((kind, ai_id, act_id))
    ends = {act: "activity.terminated" if act == "wait" else "activity.completed" for act in ONCE}
    for iid, evs in by_instance.items():
        opened = [(ai_id, act) for kind, ai_id, act in evs if kind in _OPENED]
        closed = {(ai_id, act): kind for kind, ai_id, act in evs if kind in _CLOSED}
        # one activity instance per activity, each opened once and closed once, as it should
        assert Counter(act for _, act in opened) == ONCE, (iid, evs)
        assert len(closed) == len(ONCE) == sum(1 for kind, *_ in evs if kind in _CLOSED)
        assert {act: kind for (_, act), kind in closed.items()} == ends, (iid, evs)
        assert set(closed) == set(opened), (iid, evs)
        calls = Counter(
            kind for kind, *_ in evs if kind in ("application.invoked", "deadline.fired")
        )
        assert calls == {"application.invoked": 1, "deadline.fired": 1}, (iid, evs)

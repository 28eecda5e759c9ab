"""Differential property test: a SQLite engine shows what an in-memory engine shows.

Random process shapes (:mod:`tests.runtime.shapes`, with deadlines and failing application
calls) are deployed to two engines, one on the in-memory store and one on a SQLite file, each
on its own virtual clock and with the same sequential ids. Random commands then go to both:
start (inline or deferred to a job), complete work items in any order (with or without data,
also ones already done), suspend, resume, set data (the fields that steer the routing, the
flags that make calls fail or succeed, and arbitrary storable and unstorable values),
terminate, advance the clock (firing deadlines), run due jobs, retry, skip or abort incidents.
Now and then the SQLite engine is closed and a fresh one opened on the same file (a restart).

After every command both engines must have answered alike (the same result, or the same
error), and everything observable must be equal: instance snapshots and summaries, activity
instances, tokens, traces, open and past work items, incidents, timers, jobs and the audit
trail. User values are compared with their types (a tuple is not a list, ``1.0`` is not ``1``,
a NaN equals a NaN), so a value that comes back changed from the stored document is caught.

The SQLite engine reads everything back from the database: every command loads the instance
from its stored document and the queries read committed rows, so a shape that the
serialisation of the instance document or a SQL mirror (tokens, activities, incidents, work
items, jobs) gets wrong shows up as a difference.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from hypothesis import event, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from tests.runtime.conftest import check_history
from tests.runtime.shapes import MAIN, Node, Shape, bind, shape, trees
from tests.runtime.sql_files import SqliteFiles, sqlite_files_fixture  # noqa: F401
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.ids import SequentialIds
from wfengine.runtime.sql import schema
from wfengine.runtime.sql.store import SqlStore

#: how many commands follow the first start, per example (hypothesis draws small numbers
#: most often: a lower bound keeps most examples past their first few commands)
MIN_COMMANDS, MAX_COMMANDS = 6, 24
#: the lease owner both engines claim jobs as (a timer fired by advancing the clock too)
WORKER = "worker"
#: examples of the differential test: half the profile's (each runs two engines)
EXAMPLES = max(10, settings().max_examples // 2)

# --------------------------------------------------------------------------- values


def typed(value: Any) -> Any:
    """``value`` with the type of every part spelled out, for a comparison that tells
    ``1`` from ``1.0`` and ``True``, a tuple from a list, sees a NaN equal to itself and
    minds the order of a dict's keys.

    Datetimes and times compare by their ISO form, their zone (by ``repr``: a named zone is not
    its offset of the day) and ``fold``.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | int):
        return (type(value).__name__, value)
    if isinstance(value, float | Decimal):
        return (type(value).__name__, repr(value))
    if isinstance(value, datetime | time):
        return (type(value).__name__, value.isoformat(), repr(value.tzinfo), value.fold)
    if isinstance(value, date):
        return ("date", value.isoformat())
    if isinstance(value, timedelta):
        return ("timedelta", value)
    if isinstance(value, list | tuple):
        return (type(value).__name__, [typed(v) for v in value])
    if isinstance(value, dict):  # in order: the order of a dict's keys is observable
        return ("dict", [(k, typed(v)) for k, v in value.items()])
    return (type(value).__name__, repr(value))


_texts = st.text(
    st.characters(codec=None, exclude_categories=()) | st.sampled_from("\x00\ud800$\ufffe"),
    max_size=4,
)
_offsets = st.builds(
    lambda m, name: (
        timezone(timedelta(minutes=m)) if name is None else timezone(timedelta(minutes=m), name)
    ),
    st.integers(-23 * 60, 23 * 60),
    st.none() | st.sampled_from(["CET", "EST", "local"]),
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(2**4095, 2**4096 - 1),  # the widest integers a store holds
    st.floats(),
    _texts,
    st.decimals(),
    st.datetimes(timezones=st.none() | _offsets | st.timezones()),
    st.dates(),
    st.times(timezones=st.none() | _offsets),
    st.timedeltas(),
)
#: values a user may put into an instance
user_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=2).map(tuple),
        st.dictionaries(_texts | st.just("$wf"), inner, max_size=3),
    ),
    max_leaves=6,
)
_deep: list[Any] = []
for _ in range(70):
    _deep = [_deep]
#: values no store can hold: the engines must refuse them alike, and change nothing
unstorable_values = st.sampled_from([frozenset({1}), {1: "int key"}, 2**4096, object(), _deep])
_free_fields = st.sampled_from(["x", "y", "$wf", "note"])


# --------------------------------------------------------------------------- two engines


class Twins:
    """An in-memory engine and a SQLite engine given the same commands."""

    def __init__(self, s: Shape, url: str) -> None:
        self.shape = s
        self.url = url
        self.mem = bind(Engine(clock=VirtualClock()))
        self.mem.worker_id = WORKER
        #: the host's id generator, kept across restarts of the SQLite engine, so that both
        #: engines name everything alike
        self._sql_ids = SequentialIds()
        self._sql_clock = VirtualClock()
        self.sql = self._open()
        self.mem.deploy(s.package)
        self.sql.deploy(s.package)
        #: every work item either engine has shown (completed ones stay observable)
        self.seen_items: dict[str, None] = {}
        self.log: list[str] = []

    def _open(self) -> Engine:
        engine = bind(Engine(clock=self._sql_clock, ids=self._sql_ids, db_url=self.url))
        engine.worker_id = WORKER
        return engine

    def close(self) -> None:
        self.mem.close()
        self.sql.close()

    def restart(self) -> None:
        """Close the SQLite engine and continue with a fresh one on the same file."""
        self.log.append("restart")
        _tell("restart the SQLite engine", "restart")
        self.sql.close()
        self.sql = self._open()
        self.check()

    def do(self, kind: str, label: str, command: Callable[[Engine], Any]) -> Any:
        """Give ``command`` to both engines; they must answer alike and then look alike."""
        self.log.append(label)
        answers = [_answer(command, e) for e in (self.mem, self.sql)]
        assert answers[1] == answers[0], f"the engines answered differently to {label}"
        outcome = answers[0][1].split(":")[0] if answers[0][0] == "raised" else "done"
        _tell(label, f"{kind}: {outcome}")
        self.check()
        return answers[0]

    def check(self) -> None:
        mem = observe(self.mem, self.seen_items) | mirrors_shown(self.mem)
        sql = observe(self.sql, self.seen_items) | mirror_rows(self.sql)
        assert sql.keys() == mem.keys()
        for key, expected in mem.items():
            assert sql[key] == expected, f"{key} after {self.log}"
        for item in self.mem.work_items():
            self.seen_items.setdefault(item.id)


def _tell(what: str, kind: str) -> None:
    """Note a command for hypothesis' report of a failing example, and count its kind."""
    if currently_in_test_context():
        note(what)
        event(kind)


def _answer(command: Callable[[Engine], Any], engine: Engine) -> tuple[str, Any]:
    try:
        return ("returned", typed(command(engine)))
    except Exception as exc:
        return ("raised", f"{type(exc).__name__}: {exc}")


#: the end of an application call's idempotency key: its instance's random nonce, which
#: two engines never share (see ``ProcessInstance.call_stamp``)
_STAMP = re.compile(r"@[0-9a-f]{12}$")
#: ... and the origin of a command made through the API (see ``EngineBase.command_origin``):
#: on the memory store the engine's random tag and its count of commands, which two engines
#: never share either; on a SQL store what the command is (its name, a digest of its
#: arguments, where its first call stands in the instance), which the memory store does not
#: work out (no command outlives it)
_TAG = re.compile(r"^([^:]+:)(?:[0-9a-f]{8}-[0-9a-f]+|[A-Za-z_]\w*-[0-9a-f]{12}@\d+)\.")


def _unstamped(detail: Any) -> Any:
    """An audit detail with the nonce and the engine's tag of an application call's key
    left out."""
    if isinstance(detail, dict) and isinstance(detail.get("key"), str):
        key = _TAG.sub(r"\1command.", _STAMP.sub("@nonce", detail["key"]))
        return {**detail, "key": key}
    return detail


def observe(engine: Engine, items: Iterable[str]) -> dict[str, Any]:
    """Everything the engine shows of its instances, by what it is.

    The queries run in one unit of work of the store, as a command's reads do: a SQL store
    then loads each instance from its row once for all of them (its identity map), not once
    per query.
    """
    out: dict[str, Any] = {}
    with engine.store.unit():
        summaries = engine.instance_summaries()
        out["instance summaries"] = summaries
        for summary in summaries:
            iid = summary.id
            snap = engine.instance(iid)
            out[f"{iid}: instance"] = replace(snap, data=typed(snap.data))
            out[f"{iid}: activity instances"] = engine.activity_instances(iid)
            out[f"{iid}: tokens"] = engine.tokens(iid)
            out[f"{iid}: trace"] = engine.trace(iid)
            out[f"{iid}: incidents"] = engine.incidents(iid)
            out[f"{iid}: audit"] = [
                e._replace(detail=typed(_unstamped(e.detail))) for e in engine.audit(iid)
            ]
        out["work items"] = engine.work_items()
        out["past work items"] = [engine.work_item(w) for w in items]
        out["incidents"] = engine.incidents()
        out["timers"] = engine.timers()
        out["jobs"] = engine.jobs()
        out["next due"] = engine.next_due_at()
        out["has work"] = (engine.has_work(), engine.has_work(leased=True))
    return out


def mirrors_shown(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """What the SQL mirror tables of activity instances, tokens and incidents must hold,
    from what ``engine`` shows (incidents: resolved ones too, from the instance records)."""
    acts, tokens, incidents = [], [], []
    for summary in engine.instance_summaries():
        iid = summary.id
        for a in engine.activity_instances(iid):
            acts.append((a.id, iid, a.activity_id, a.state.value, a.started_at, a.completed_at))
        for k in engine.tokens(iid):
            tokens.append(
                (iid, k.activity_id, k.transition_id, k.count, k.block_activity_instance_id)
            )
        for i in engine.store.instance(iid).incidents.values():
            where = (i.id, iid, i.activity_instance_id, i.activity_id, i.application_id)
            what = (i.operation, i.message, i.attempts, i.created_at, i.resolved)
            incidents.append((*where, *what))
    return _mirrors(acts, tokens, incidents)


def mirror_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of the SQL mirror tables (what reports query without loading instances)."""
    store = engine.store
    assert isinstance(store, SqlStore)
    a, k, i = schema.activity_instances, schema.tokens, schema.incidents
    with store.sa_engine.connect() as c:
        acts = c.execute(
            sa.select(a.c.id, a.c.instance_id, a.c.activity_id, a.c.state).add_columns(
                a.c.started_at, a.c.completed_at
            )
        ).all()
        tokens = c.execute(
            sa.select(k.c.instance_id, k.c.activity_id, k.c.transition_id, k.c.count).add_columns(
                k.c.block_activity_instance_id
            )
        ).all()
        incidents = c.execute(
            sa.select(i.c.id, i.c.instance_id, i.c.activity_instance_id, i.c.activity_id)
            .add_columns(i.c.application_id, i.c.operation, i.c.message, i.c.attempts)
            .add_columns(i.c.created_at, i.c.resolved)
        ).all()
    return _mirrors(*([tuple(r) for r in rows] for rows in (acts, tokens, incidents)))


def _mirrors(*tables: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    names = ("activity instance rows", "token rows", "incident rows")
    return {name: sorted(rows, key=repr) for name, rows in zip(names, tables, strict=True)}


# --------------------------------------------------------------------------- commands

COMMANDS = (
    *["complete"] * 8,
    *["advance"] * 3,
    *["run jobs"] * 2,
    *["retry"] * 3,
    *["set data"] * 2,
    "skip",
    "suspend",
    "resume",
    "start",
    "restart",
    "rare",
)
#: commands that end or refuse more than they move on: drawn once in a while
RARE_COMMANDS = ("terminate", "abort", "abort incident", "complete again", "unstorable")


def _steer(data: st.DataObject, s: Shape, process_id: str) -> dict[str, Any]:
    """Data to set on an instance of ``process_id``: its routing fields, its fragile calls'
    flags, or free fields with any value."""
    draw = data.draw
    fields = s.data[process_id]
    kind = draw(st.sampled_from(["field", "free"] if fields else ["free"]), label="set what")
    if kind == "free":
        return draw(st.dictionaries(_free_fields, user_values, min_size=1, max_size=2))
    name = draw(st.sampled_from(sorted(fields)), label="field")
    if isinstance(fields[name], bool):
        return {name: draw(st.booleans(), label="flag")}
    return {name: draw(st.integers(0, 3), label="number")}


def _start(twins: Twins, data: st.DataObject) -> None:
    draw = data.draw
    values = draw(st.dictionaries(_free_fields, user_values, max_size=2), label="start data")
    defer = draw(st.booleans(), label="defer")
    twins.do(
        "start",
        f"start_process(main, {values!r}, defer={defer})",
        lambda e: e.start_process(MAIN, values, defer=defer),
    )


def _step(twins: Twins, data: st.DataObject) -> None:
    """One random command (or a restart), drawn from what the in-memory engine shows."""
    draw = data.draw
    mem = twins.mem
    command = draw(st.sampled_from(COMMANDS), label="command")
    if command == "rare":
        command = draw(st.sampled_from(RARE_COMMANDS), label="rare command")
    instances = [s.id for s in mem.instance_summaries()]
    incidents = [i.id for i in mem.incidents()]
    if command == "complete":
        items = [w.id for w in mem.work_items()]
        if items:
            item = draw(st.sampled_from(items), label="work item")
            values = draw(
                st.none() | st.dictionaries(_free_fields, user_values, max_size=2), label="data"
            )
            twins.do(
                command,
                f"complete {item} with {values!r}",
                lambda e: e.complete_work_item(item, values),
            )
            return
        command = "advance"
    if command == "complete again" and twins.seen_items:
        item = draw(st.sampled_from(sorted(twins.seen_items)), label="work item")
        twins.do(command, f"complete {item} (maybe again)", lambda e: e.complete_work_item(item))
    elif command == "advance":
        minutes = draw(st.integers(0, 5), label="minutes")
        twins.do(command, f"advance {minutes} min", lambda e: _advance(e, minutes))
    elif command == "set data" and instances:
        iid = draw(st.sampled_from(instances), label="instance")
        values = _steer(data, twins.shape, mem.instance(iid).process_id)
        twins.do(command, f"set_data({iid}, {values!r})", lambda e: e.set_data(iid, values))
    elif command in ("suspend", "resume", "terminate", "abort") and instances:
        iid = draw(st.sampled_from(instances), label="instance")
        twins.do(command, f"{command} {iid}", lambda e: getattr(e, command)(iid))
    elif command == "retry" and incidents:
        inc = draw(st.sampled_from(incidents), label="incident")
        if draw(st.booleans(), label="fix first"):
            _fix(twins, inc)
        twins.do(command, f"retry {inc}", lambda e: e.retry_incident(inc))
    elif command == "skip" and incidents:
        inc = draw(st.sampled_from(incidents), label="incident")
        twins.do(command, f"skip {inc}", lambda e: e.skip_incident(inc))
    elif command == "abort incident" and incidents:
        inc = draw(st.sampled_from(incidents), label="incident")
        twins.do(command, f"abort {inc}", lambda e: e.abort_incident(inc))
    elif command == "run jobs":
        twins.do(command, "run due jobs", lambda e: e.run_due_jobs())
    elif command == "start" and len(instances) < 4:
        _start(twins, data)
    elif command == "restart":
        twins.restart()
    elif command == "unstorable" and instances:
        iid = draw(st.sampled_from(instances), label="instance")
        bad = {draw(_free_fields, label="field"): draw(unstorable_values, label="value")}
        offered = [w.id for w in mem.work_items(iid)]
        by_completing = draw(st.booleans(), label="by completing")
        if offered and by_completing:
            twins.do(
                command,
                f"complete {offered[0]} with {bad!r}",
                lambda e: e.complete_work_item(offered[0], bad),
            )
        else:
            twins.do(command, f"set_data({iid}, {bad!r})", lambda e: e.set_data(iid, bad))


def _fix(twins: Twins, incident_id: str) -> None:
    """Set every fragile flag of the incident's instance, so its calls succeed."""
    [incident] = [i for i in twins.mem.incidents() if i.id == incident_id]
    process_id = twins.mem.instance(incident.instance_id).process_id
    flags = {flag: True for flag in twins.shape.fragile[process_id]}
    if flags:
        iid = incident.instance_id
        twins.do("fix", f"set_data({iid}, {flags!r})", lambda e: e.set_data(iid, flags))


def _advance(engine: Engine, minutes: int) -> datetime:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    return clock.advance(timedelta(minutes=minutes))


@settings(max_examples=EXAMPLES)
@given(tree=trees(waits=True, root=True), data=st.data())
def test_sqlite_shows_what_memory_shows_after_every_command(
    sqlite_files: SqliteFiles, tree: Node, data: st.DataObject
) -> None:
    twins = Twins(shape(tree), sqlite_files.fresh())
    try:
        twins.check()
        _start(twins, data)
        n = data.draw(st.integers(MIN_COMMANDS, MAX_COMMANDS), label="commands")
        event(f"commands: {n // 5 * 5}+")
        for _ in range(n):
            _step(twins, data)
        seen = len(twins.seen_items)
        event(f"work items: {'none' if not seen else '1 to 4' if seen < 5 else '5 or more'}")
        twins.restart()
        check_history(twins.sql)
        for summary in twins.mem.instance_summaries():
            event(f"instance ended as {summary.state.value}")
    finally:
        twins.close()


def test_typed_tells_apart_what_equality_does_not() -> None:
    assert typed([1, True, 1.0]) != typed([1, 1, 1])
    assert typed((1,)) != typed([1])
    assert typed(math.nan) == typed(math.nan)
    assert typed({"a": Decimal("1.0")}) != typed({"a": Decimal("1")})
    assert typed({"a": 1, "b": 2}) != typed({"b": 2, "a": 1})


# --------------------------------------------------------------------------- found differences
# Differences this test found once, kept as examples of their own.


def test_timers_due_together_fire_in_creation_order_across_a_restart(
    sqlite_files: SqliteFiles,
) -> None:
    """Two instances of a process with two parallel deadlines (PT1M); the second starts
    after the SQLite engine was restarted, at the same instant, so all four timers are due
    together. Both stores list and fire them in creation order: tm-1, tm-2 (pi-1), tm-3, tm-4
    (pi-2), so the late handlers' work items are wi-5, wi-6 for pi-1 and wi-7, wi-8 for pi-2.
    (A restarted engine once numbered its jobs from 1 again and fired pi-2's first.)"""
    pb = PackageBuilder("pkg")
    p = pb.process(MAIN)
    p.route("split", gateway="Parallel")
    for t in ("t1", "t2"):
        p.activity(t, performer="clerk", deadlines=[("PT1M", "Late", "SYNCHR")])
        p.activity(f"late_{t}", performer="boss")
        p.transition("split", t).transition(t, f"late_{t}", exception="Late")
    twins = Twins(Shape(pb.build(), {}, {}, {}), sqlite_files.fresh())
    try:
        twins.do("start", "start pi-1", lambda e: e.start_process(MAIN))
        twins.restart()
        twins.do("start", "start pi-2", lambda e: e.start_process(MAIN))
        twins.do("advance", "advance 1 min", lambda e: _advance(e, 1))
        late = [
            (w.instance_id, w.activity_id)
            for w in twins.sql.work_items()
            if "late" in w.activity_id
        ]
        assert [i for i, _ in late] == ["pi-1", "pi-1", "pi-2", "pi-2"]
    finally:
        twins.close()


def _stored(sqlite_files: SqliteFiles, value: datetime | time) -> list[tuple[str, Any]]:
    """What memory and SQLite make of ``value`` as instance data: refused alike, or kept
    alike (the zone, fold, and the wall time a day later all included)."""
    pb = PackageBuilder("pkg")
    pb.process(MAIN).activity("a", performer="clerk")
    twins = Twins(Shape(pb.build(), {}, {}, {}), sqlite_files.fresh())

    def kept(engine: Engine) -> Any:
        when = engine.instance(engine.start_process(MAIN, {"when": value})).data["when"]
        later = when + timedelta(days=1) if isinstance(when, datetime) else when
        return when.isoformat(), repr(when.tzinfo), when.fold, later.isoformat()

    try:
        return [_answer(kept, e) for e in (twins.mem, twins.sql)]
    finally:
        twins.close()


def test_a_datetime_in_a_named_time_zone_reads_back_alike(sqlite_files: SqliteFiles) -> None:
    """2024-03-09 12:00 in New York, plus one day, is 2024-03-10 12:00-04:00 (daylight
    saving time began that night) on both stores: the stored form keeps the zone's key, not
    only the day's offset (which gave 12:00-05:00, an hour later)."""
    when = datetime(2024, 3, 9, 12, tzinfo=ZoneInfo("America/New_York"))
    mem, sql = _stored(sqlite_files, when)
    assert sql == mem
    assert mem == (
        "returned",
        typed(("2024-03-09T12:00:00-05:00", repr(when.tzinfo), 0, "2024-03-10T12:00:00-04:00")),
    )


def test_a_datetime_with_fold_reads_back_alike(sqlite_files: SqliteFiles) -> None:
    """A wall time with fold=1 (the second 01:30 of a night when clocks went back) stays
    the second one on both stores."""
    for value in (
        datetime(2024, 11, 3, 1, 30, fold=1),
        datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York")),
        time(1, 30, fold=1),
    ):
        mem, sql = _stored(sqlite_files, value)
        assert sql == mem
        assert mem[1][1][2] == ("int", 1)


def test_a_named_fixed_offset_reads_back_alike(sqlite_files: SqliteFiles) -> None:
    mem, sql = _stored(
        sqlite_files, datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=1), "CET"))
    )
    assert sql == mem
    assert "CET" in mem[1][1][1]


class _Unreadable(tzinfo):
    """A zone of a class the stored form cannot name (as a third-party zone would be)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=2)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "X"


def test_a_datetime_in_a_zone_that_cannot_be_stored_is_refused_alike(
    sqlite_files: SqliteFiles,
) -> None:
    mem, sql = _stored(sqlite_files, datetime(2024, 1, 1, tzinfo=_Unreadable()))
    assert sql == mem
    assert mem[0] == "raised"
    assert "DataNotStorableError" in mem[1] and "data['when']" in mem[1]

"""Two TIME fields, one given with an offset (``08:30Z``, ``09:00+01:00``) and one without
(``09:00``): ``now_t < opens`` was an incident quoting Python's "can't compare offset-naive
and offset-aware times", and ``now_t == opens`` silently false. A TIME without an offset is
UTC now, as a DATETIME's is, on every store: given, an initial value, kept so by an earlier
wfengine or given by the host unchecked (``set_data``). One in a named zone, which has no
offset without a date, against one with an offset is an incident naming both operands and
what to write."""

from __future__ import annotations

import hashlib
from datetime import UTC, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from wfengine import ProcessState, VirtualClock
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.coercion import coerce
from wfengine.definition.literals import parse_literal
from wfengine.definition.model import BasicTypeKind
from wfengine.errors import DataTypeError, ExpressionEvaluationError
from wfengine.expressions import Dialect, parse
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import schema
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.values import correlation_forms, correlation_value


def _package(
    script: str = "early = now_t < opens; same = now_t == opens", opens: str | None = None
) -> Any:
    """A process that waits for a person, then runs ``script`` over two TIME fields
    (``opens`` with the initial value ``opens``, when given)."""
    pb = PackageBuilder("pk")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("opens", "TIME", initial=opens)
    p.data_field("now_t", "TIME")
    p.data_field("early", "BOOLEAN")
    p.data_field("same", "BOOLEAN")
    p.start("s0")
    p.activity("wait", performer="clerk")
    p.activity("compare", script=script)
    p.end("e0")
    p.sequence("s0", "wait", "compare", "e0")
    return pb.build()


def _compared(engine: Engine, iid: str) -> dict[str, Any]:
    [item] = [w for w in engine.work_items() if w.instance_id == iid]
    engine.complete_work_item(item.id)
    return engine.instance(iid).data


@pytest.mark.parametrize(
    ("opens", "now_t", "early", "same"),
    [
        ("09:00", "08:30Z", True, False),
        ("09:00+01:00", "08:30", False, False),  # 09:00+01:00 is 08:00 UTC
        ("09:00", "09:00Z", False, True),
        ("09:00:00+00:00", "09:00", False, True),
    ],
)
def test_a_time_without_an_offset_is_utc_and_compares(
    engine: Engine, opens: str, now_t: str, early: bool, same: bool
) -> None:
    engine.deploy(_package())
    iid = engine.start_process("main", {"opens": opens, "now_t": now_t})
    data = _compared(engine, iid)
    assert engine.incidents() == []
    assert (data["early"], data["same"]) == (early, same)


def test_it_reads_back_as_utc_on_every_store(engine: Engine) -> None:
    engine.deploy(_package())
    iid = engine.start_process("main", {"opens": "09:00", "now_t": time(8, 30)})
    data = engine.instance(iid).data
    assert data["opens"] == time(9, 0, tzinfo=UTC) and data["opens"].utcoffset() == timedelta(0)
    assert data["now_t"] == time(8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("opens", "now_t", "early"), [("09:00", "08:30", True), ("09:00", "09:30Z", False)]
)
def test_an_initial_value_without_an_offset_is_utc_too(
    engine: Engine, opens: str, now_t: str, early: bool
) -> None:
    # (a TIME InitialValue was read without an offset while one given at start was UTC: the
    # comparison of a fresh deployment was an incident blaming "an earlier wfengine")
    assert parse_literal(opens, BasicTypeKind.TIME) == time(9, 0, tzinfo=UTC)
    engine.deploy(_package(opens=opens))
    iid = engine.start_process("main", {"now_t": now_t})
    data = _compared(engine, iid)
    assert engine.incidents() == []
    assert data["opens"] == time(9, 0, tzinfo=UTC) and data["opens"].utcoffset() == timedelta(0)
    assert (data["early"], data["same"]) == (early, False)


def test_an_initial_value_with_an_offset_keeps_it() -> None:
    zone = timezone(timedelta(hours=2))
    assert parse_literal("09:00+02:00", BasicTypeKind.TIME).utcoffset() == zone.utcoffset(None)


def _store_without_offset(url: str, iid: str, name: str) -> None:
    """Rewrite ``iid``'s TIME field ``name`` as a release before the UTC rule stored a TIME
    given without an offset (``{"$wf": "time", "v": "09:00:00"}``)."""
    table = schema.process_instances
    store = SqlStore(url)
    with Engine(store=store), store.sa_engine.begin() as conn:
        data = conn.execute(sa.select(table.c.data).where(table.c.id == iid)).scalar_one()
        text = data[name]["v"]
        assert text.endswith("+00:00")
        data[name] = {"$wf": "time", "v": text.removesuffix("+00:00")}
        conn.execute(sa.update(table).where(table.c.id == iid).values(data=data))


def test_a_time_an_earlier_wfengine_stored_without_an_offset_is_utc(db_url: str) -> None:
    # (such an instance's next comparison with a TIME given since was an incident: 09:00 kept
    # naive, 08:30 given now read as 08:30Z)
    with Engine(store=SqlStore(db_url), clock=VirtualClock()) as e:
        e.deploy(_package())
        iid = e.start_process("main", {"opens": "09:00"})
    _store_without_offset(db_url, iid, "opens")
    with Engine(store=SqlStore(db_url), clock=VirtualClock()) as e:
        assert e.instance(iid).data["opens"] == time(9, 0)  # (kept as it was stored)
        [item] = e.work_items()
        e.complete_work_item(item.id, {"now_t": "08:30"})
        data = e.instance(iid).data
        assert e.incidents() == []
        assert (data["early"], data["same"]) == (True, False)


@pytest.mark.parametrize(
    ("now_t", "early", "same"), [("08:30+02:00", True, False), ("09:00Z", False, True)]
)
def test_a_time_the_host_gave_without_an_offset_is_utc(
    engine: Engine, now_t: str, early: bool, same: bool
) -> None:
    engine.deploy(_package())
    iid = engine.start_process("main", {"now_t": now_t})
    engine.set_data(iid, {"opens": time(9, 0)})  # (set_data takes it unchecked)
    data = _compared(engine, iid)
    assert engine.incidents() == []
    assert (data["early"], data["same"]) == (early, same)


@pytest.mark.parametrize(
    ("dialect", "text", "result"),
    [
        (Dialect.NATIVE, "a < b", True),
        (Dialect.NATIVE, "b != a", True),
        (Dialect.NATIVE, "c == b", True),
        (Dialect.JAVASCRIPT, "a >= b", False),
        (Dialect.JAVASCRIPT, "c <= b", True),
        (Dialect.JAVA, "c == b", True),
        (Dialect.JAVA, "b != c", False),
    ],
)
def test_each_language_reads_a_time_without_an_offset_as_utc(
    dialect: Dialect, text: str, result: bool
) -> None:
    values = {
        "a": time(8, 30, tzinfo=timezone(timedelta(hours=1))),  # (07:30 UTC)
        "b": time(9, 0),
        "c": time(9, 0, tzinfo=UTC),
    }
    assert parse(text, dialect=dialect).evaluate(values) is result


@pytest.mark.parametrize(
    ("dialect", "text", "words"),
    [
        (Dialect.NATIVE, "a < b", "'<' in Python cannot order a against b"),
        (Dialect.NATIVE, "b != a", "'!=' in Python cannot compare b with a"),
        (Dialect.JAVASCRIPT, "a >= b", "'>=' in JavaScript cannot order a against b"),
        (Dialect.JAVA, "a == b", "'==' in Java cannot compare a with b"),
    ],
)
def test_a_time_in_a_named_zone_against_one_with_an_offset_names_both(
    dialect: Dialect, text: str, words: str
) -> None:
    values = {"a": time(8, 30, tzinfo=UTC), "b": time(9, 0, tzinfo=ZoneInfo("Europe/Paris"))}
    with pytest.raises(ExpressionEvaluationError) as raised:
        parse(text, dialect=dialect).evaluate(values)
    message = raised.value.message
    assert words in message
    assert "b is a time of day in the zone 'Europe/Paris'" in message
    assert "give b a fixed offset" in message
    assert "offset-naive" not in message and "earlier wfengine" not in message


def test_two_times_without_an_offset_still_compare() -> None:
    assert parse("a < b").evaluate({"a": time(8, 30), "b": time(9, 0)}) is True


def _slot_keyed() -> Any:
    pb = PackageBuilder("pkg")
    p = pb.process("main").extended_attribute("wfengine:correlation", "slot")
    p.data_field("slot", "TIME")
    p.start("s").intermediate("w", message="go").end("e").sequence("s", "w", "e")
    return pb.build()


@pytest.mark.parametrize("sent", ["09:00", "09:00Z", time(9, 0, tzinfo=UTC)])
def test_a_time_key_an_earlier_wfengine_stored_without_an_offset_is_found(
    db_url: str, sent: Any
) -> None:
    # (correlated_instance({"slot": "09:00"}) was NotFoundError: the row held "09:00:00",
    # the key given today is 09:00Z, and its messages were lost)
    with Engine(store=SqlStore(db_url), clock=VirtualClock()) as e:
        e.deploy(_slot_keyed())
        started = e.start_process("main", {"slot": "09:00"})
    _store_without_offset(db_url, started, "slot")
    bare = correlation_value(time(9, 0))  # the row as that release wrote it
    keys = schema.correlation_keys
    store = SqlStore(db_url)
    with Engine(store=store), store.sa_engine.begin() as conn:
        row = {"value": bare, "value_sha256": hashlib.sha256(bare.encode()).hexdigest()}
        assert conn.execute(sa.update(keys).values(**row)).rowcount == 1
    with Engine(store=SqlStore(db_url), clock=VirtualClock()) as e:
        assert e.correlated_instance({"slot": sent}, message="go") == started
        assert e.send_message("go", {}, correlation={"slot": sent}, keep=False)
        assert e.instance(started).state is ProcessState.COMPLETED


def test_a_time_key_in_utc_has_its_form_without_an_offset_too() -> None:
    utc = time(9, 0, tzinfo=UTC)
    assert correlation_forms(utc) == (correlation_value(utc), correlation_value(time(9, 0)))
    assert correlation_forms(time(9, 0)) == (correlation_value(time(9, 0)),)
    plus_one = time(10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert correlation_forms(plus_one) == (correlation_value(plus_one),)


def test_a_time_in_a_named_zone_is_refused_naming_the_field(engine: Engine) -> None:
    # (it has no offset without a date: it met every TIME read as UTC with an incident)
    engine.deploy(_package())
    paris = time(9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    with pytest.raises(DataTypeError) as raised:
        engine.start_process("main", {"opens": paris})
    message = str(raised.value)
    assert "data field 'opens'" in message and "'Europe/Paris'" in message
    assert "give the offset, e.g. 09:00+01:00" in message
    assert engine.instance_summaries() == []
    with pytest.raises(ValueError, match=r"TIME with a fixed offset"):
        coerce(paris, BasicTypeKind.TIME)
    fixed = time(9, 0, tzinfo=timezone(timedelta(hours=1)))
    assert coerce(fixed, BasicTypeKind.TIME) is fixed


def test_a_time_key_a_host_set_without_an_offset_is_found_on_every_store(engine: Engine) -> None:
    # set_data keeps what the host gives: a naive time. The SQL stores found it by the key
    # given as "09:00" (read as 09:00Z, looked up by its form without an offset too); the
    # memory store compared the values with ==, which finds 09:00 and 09:00Z unequal
    engine.deploy(_slot_keyed())
    started = engine.start_process("main", {"slot": "10:00"})
    engine.set_data(started, {"slot": time(9, 0)})
    assert engine.correlated_instance({"slot": "09:00"}, message="go") == started
    assert engine.correlated_instance({"slot": time(9, 0, tzinfo=UTC)}, message="go") == started

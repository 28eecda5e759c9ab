"""The CRM example's tables carry a version, and a database an earlier ``crm.py`` made is
upgraded in place when the example opens it (``examples/crm_complaint/schema.py``): every
row kept, the example running on, a newer version refused, a failed upgrade changing nothing.

The earlier tables are built here by hand as each version of ``crm.py`` made them (``git log
-p examples/crm_complaint/crm.py``): version 1 the first four tables (phones stored as typed),
2 added ``crm_notifications.address``, 3 the table ``crm_status_notices``, 4
``crm_complaint_history.outcome`` with one record per case, 5 ``crm_complaint_history.case_key``
6 ``crm_notifications.idempotency_key`` (7 adds ``crm_acceptance_numbers.idempotency_key``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import REPO_ROOT
from tests.examples.example_modules import example_module
from wfengine import Engine, VirtualClock
from wfengine.errors import SchemaOutdatedError
from wfengine.worklist.org_files import load_organisation

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"
PHONE, TYPED = "13800000101", "+86 138 0000 0101"
T1, T2, T3 = (datetime(2026, 12, 1, h, tzinfo=UTC) for h in (9, 10, 11))


def _module(name: str) -> ModuleType:
    return example_module(name)


crm = _module("crm")
definition = _module("definition")


def _old_tables(version: int) -> sa.MetaData:
    """The CRM's tables as ``crm.py`` of ``version`` made them (no version kept)."""
    meta = sa.MetaData()
    sa.Table("crm_customers", meta,
             sa.Column("phone", sa.String(32), primary_key=True),
             sa.Column("name", sa.String(200), nullable=False),
             sa.Column("value", sa.String(20), nullable=False, server_default="standard"),
             sa.Column("email", sa.String(200)))  # fmt: skip
    sa.Table("crm_acceptance_numbers", meta,
             sa.Column("phone", sa.String(32), primary_key=True),
             sa.Column("number", sa.Integer, primary_key=True),
             sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False))  # fmt: skip
    outcome = [sa.Column("outcome", sa.String(40), nullable=False),
               sa.UniqueConstraint("phone", "acceptance_no")] if version >= 4 else []  # fmt: skip
    sa.Table("crm_complaint_history", meta,
             sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
             sa.Column("phone", sa.String(32), nullable=False, index=True),
             sa.Column("acceptance_no", sa.String(40)),
             sa.Column("complaint", sa.Text, nullable=False),
             sa.Column("answer", sa.Text, nullable=False),
             sa.Column("at", sa.DateTime(timezone=True), nullable=False), *outcome,
             *[sa.Column("case_key", sa.String(200), nullable=False, unique=True)]
             if version >= 5 else [])  # fmt: skip
    address = [sa.Column("address", sa.String(254), nullable=False)] if version >= 2 else []
    sa.Table("crm_notifications", meta,
             sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
             sa.Column("phone", sa.String(32), nullable=False, index=True),
             sa.Column("channel", sa.String(20), nullable=False), *address,
             sa.Column("text", sa.Text, nullable=False),
             sa.Column("at", sa.DateTime(timezone=True), nullable=False),
             *[sa.Column("idempotency_key", sa.String(200), unique=True)]
             if version >= 6 else [])  # fmt: skip
    if version >= 3:
        sa.Table("crm_status_notices", meta,
                 sa.Column("phone", sa.String(32), primary_key=True),
                 sa.Column("acceptance_no", sa.String(40), primary_key=True),
                 sa.Column("milestone", sa.String(200), primary_key=True),
                 sa.Column("at", sa.DateTime(timezone=True), nullable=False))  # fmt: skip
    return meta


def _old_database(url: str, version: int, rows: dict[str, list[dict[str, Any]]]) -> None:
    meta = _old_tables(version)
    db = sa.create_engine(url)
    try:
        meta.create_all(db)
        with db.begin() as conn:
            for name, values in rows.items():
                conn.execute(meta.tables[name].insert(), values)
    finally:
        db.dispose()


def _read(url: str, query: str) -> list[tuple[Any, ...]]:
    db = sa.create_engine(url)
    try:
        with db.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(query)]
    finally:
        db.dispose()


def _columns(url: str, table: str) -> set[str]:
    db = sa.create_engine(url)
    try:
        return {c["name"] for c in sa.inspect(db).get_columns(table)}
    finally:
        db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database for the CRM's tables: a SQLite file, or the session's PostgreSQL database
    (whose CRM tables are dropped before and after: the fixture empties only wfengine's)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crm.db'}"
        return
    pg: str = request.getfixturevalue("pg_url")
    db = sa.create_engine(pg)
    meta = sa.MetaData()
    try:
        meta.reflect(db, only=lambda name, _: name.startswith("crm_"))
        meta.drop_all(db)
        yield pg
        meta = sa.MetaData()
        meta.reflect(db, only=lambda name, _: name.startswith("crm_"))
        meta.drop_all(db)
    finally:
        db.dispose()


#: a first-version database: the customer stored as typed, an acceptance number taken under
#: two ways of writing the phone (the same label 0101-0001, before phone_key), the second
#: number, a case answered at once and one answered, an SMS and an e-mail sent
FIRST_VERSION_ROWS: dict[str, list[dict[str, Any]]] = {
    "crm_customers": [{"phone": TYPED, "name": "Wei Zhang", "value": "gold", "email": None}],
    "crm_acceptance_numbers": [
        {"phone": TYPED, "number": 1, "taken_at": T1},
        {"phone": PHONE, "number": 1, "taken_at": T2},
        {"phone": PHONE, "number": 2, "taken_at": T3},
    ],
    "crm_complaint_history": [
        {
            "phone": TYPED,
            "acceptance_no": None,
            "complaint": "Where is my bill?",
            "answer": "Sent today",
            "at": T1,
        },
        {
            "phone": PHONE,
            "acceptance_no": "0101-0002",
            "complaint": "Charged twice",
            "answer": "Refunded",
            "at": T3,
        },
    ],
    "crm_notifications": [
        {"phone": TYPED, "channel": "sms", "text": "Your complaint 0101-0001", "at": T2},
        {"phone": PHONE, "channel": "email", "text": "Your complaint 0101-0002", "at": T3},
    ],
}


def test_a_first_version_database_keeps_its_rows_and_the_example_runs_on_it(url: str) -> None:
    """Before versions, this database failed at first use: the case stopped in an incident at
    its first notice (no column address), the history raised "no such column: outcome", and
    the customer stored as typed was a new, standard customer."""
    _old_database(url, 1, FIRST_VERSION_ROWS)
    clock = VirtualClock()
    clock.set(datetime(2026, 12, 7, 9, tzinfo=UTC))
    apps = crm.CrmApps(url, clock=clock)
    # every row kept, each phone keyed as crm.phone_key keys it
    assert [(r["answer"], r["outcome"]) for r in apps.history(TYPED)] == [
        ("Sent today", "answered at once"), ("Refunded", "answered")]  # fmt: skip
    assert [(r["channel"], r["address"]) for r in apps.sent(PHONE)] == [
        ("sms", PHONE), ("email", "")]  # fmt: skip
    numbers = _read(url, "SELECT phone, number FROM crm_acceptance_numbers ORDER BY number")
    assert numbers == [(PHONE, 1), (PHONE, 2)]
    assert apps.lookup_customer(TYPED)["found_value"] == "gold"
    # and the example runs on it: the next acceptance number, the customer told
    with Engine(clock=clock, directory=load_organisation(EXAMPLE / "organisation.yaml")) as engine:
        apps.register(engine.applications)
        engine.deploy(definition.build())
        case = crm.take_complaint(engine, {"phone": TYPED, "channel": "hotline",
                                           "category": "billing", "severity": 2,
                                           "text": "Charged twice again"})  # fmt: skip
        assert engine.incidents() == []
        data = engine.instance(case).data
        assert (data["acceptance_no"], data["customer_name"]) == ("0101-0003", "Wei Zhang")
    assert apps.sent(PHONE)[-1]["address"] == PHONE
    assert "0101-0003" in apps.sent(PHONE)[-1]["text"]
    # a case ends once, also in an upgraded history
    apps.record_history(PHONE, "Charged twice", "Refunded", "0101-0002")
    assert len(apps.history(PHONE, "0101-0002")) == 1
    assert _read(url, "SELECT id, version FROM crm_schema_version") == [(1, 8)]


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5, 6])
def test_each_earlier_version_is_recognised_by_its_columns_and_upgraded(
    version: int, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    case = {"phone": PHONE, "acceptance_no": "0101-0001", "complaint": "Charged twice",
            "answer": "Refunded", "at": T1}  # fmt: skip
    if version >= 4:
        case["outcome"] = "answered"
    if version >= 5:
        case["case_key"] = f"case {PHONE} 0101-0001"
    _old_database(url, version, {"crm_complaint_history": [case]})
    apps = crm.CrmApps(url)
    assert "address" in _columns(url, "crm_notifications")
    # a retried call records the case once (before version 4: twice, silently)
    apps.record_history(PHONE, "Charged twice", "Refunded", "0101-0001")
    assert [r["outcome"] for r in apps.history(PHONE)] == ["answered"]
    apps.tell_status(PHONE, "hotline", None, "0101-0001", "Reviewed by the coordinator")
    assert [r["milestone"] for r in apps.told_milestones(PHONE)] == [
        "Reviewed by the coordinator"]  # fmt: skip
    # a message sent again under its call's key is sent once (before version 6: twice)
    for _ in range(2):
        apps.notify_customer(PHONE, "hotline", "Which card?", idempotency_key="pi-1:ask/0/0@n")
    assert [r["text"] for r in apps.sent(PHONE)].count("Which card?") == 1
    # a number taken again under its call's key is the same number (before version 7: two)
    for _ in range(2):
        taken = apps.next_acceptance_number(PHONE, idempotency_key="pi-1:accept/0/0@n")
        assert taken["acceptance_number"] == "0101-0001"
    assert _read(url, "SELECT phone, number FROM crm_acceptance_numbers") == [(PHONE, 1)]
    # a case keeps a number it took, not another case's (before: any number of the phone)
    again = apps.next_acceptance_number(PHONE, "0101-0001", idempotency_key="pi-1:accept/1/0@n")
    assert (again["acceptance_number"], again["acceptance_new"]) == ("0101-0001", False)
    other = apps.next_acceptance_number(PHONE, "0101-0001", idempotency_key="pi-2:accept/0/0@m")
    assert (other["acceptance_number"], other["acceptance_new"]) == ("0101-0002", True)
    assert _read(url, "SELECT number, taken_by FROM crm_acceptance_numbers ORDER BY number") == [
        (1, "pi-1@n"), (2, "pi-2@m")]  # fmt: skip
    assert _read(url, "SELECT version FROM crm_schema_version") == [(8,)]


def test_a_number_whose_case_is_not_known_is_kept_by_the_case_that_has_it(
    tmp_path: Path,
) -> None:
    """A number taken before numbers kept their case (or by a call without a key) has no
    ``taken_by``: the case that has it keeps it, as before."""
    apps = crm.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    assert apps.next_acceptance_number(PHONE)["acceptance_number"] == "0101-0001"
    kept = apps.next_acceptance_number(PHONE, "0101-0001", idempotency_key="pi-7:accept/1/0@m")
    assert (kept["acceptance_number"], kept["acceptance_new"]) == ("0101-0001", False)


def test_a_retried_record_of_an_old_case_is_folded_into_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    case = {"phone": PHONE, "acceptance_no": "0101-0001", "complaint": "Charged twice",
            "answer": "Refunded"}  # fmt: skip
    _old_database(url, 3, {"crm_complaint_history": [dict(case, at=T1), dict(case, at=T2)]})
    apps = crm.CrmApps(url)
    assert [(r["id"], r["at"]) for r in apps.history(PHONE)] == [(1, T1.replace(tzinfo=None))]


def test_a_new_database_is_made_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    crm.CrmApps(url).add_customers([{"phone": TYPED, "name": "Wei Zhang"}])
    crm.CrmApps(url)  # opened again: as it is
    assert _read(url, "SELECT version FROM crm_schema_version") == [(8,)]
    assert _read(url, "SELECT phone, name FROM crm_customers") == [(PHONE, "Wei Zhang")]


def test_a_newer_version_is_refused_naming_both_versions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    crm.CrmApps(url)
    db = sa.create_engine(url)
    with db.begin() as conn:
        conn.exec_driver_sql("UPDATE crm_schema_version SET version = 9")
    db.dispose()
    with pytest.raises(SchemaOutdatedError, match=r"version 9, newer than version 8"):
        crm.CrmApps(url)
    assert _read(url, "SELECT version FROM crm_schema_version") == [(9,)]


def test_an_upgrade_that_cannot_keep_every_row_changes_nothing(url: str) -> None:
    """One phone written two ways with two different names: which is right is not the
    upgrade's to guess. It is refused naming both, and the database is as it was (SQLite's
    ALTER TABLE too: the upgrade is one transaction)."""
    _old_database(url, 1, {
        "crm_customers": [{"phone": TYPED, "name": "Wei Zhang", "value": "gold"},
                          {"phone": PHONE, "name": "W. Zhang", "value": "standard"}],
        "crm_notifications": [{"phone": TYPED, "channel": "sms", "text": "hi", "at": T1}],
    })  # fmt: skip
    with pytest.raises(SchemaOutdatedError, match=r"'\+86 138 0000 0101' and '13800000101'"):
        crm.CrmApps(url)
    assert "address" not in _columns(url, "crm_notifications")
    assert _read(url, "SELECT phone FROM crm_notifications") == [(TYPED,)]
    assert sorted(_read(url, "SELECT phone, name FROM crm_customers")) == [
        (TYPED, "Wei Zhang"), (PHONE, "W. Zhang")]  # fmt: skip
    db = sa.create_engine(url)
    try:
        assert not sa.inspect(db).has_table("crm_schema_version")
    finally:
        db.dispose()


def test_two_different_records_of_one_case_are_refused_naming_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    one = {"phone": PHONE, "acceptance_no": "0101-0001", "answer": "Refunded", "at": T1}
    _old_database(url, 3, {"crm_complaint_history": [
        dict(one, complaint="Charged twice"), dict(one, complaint="No signal")]})  # fmt: skip
    with pytest.raises(SchemaOutdatedError, match=r"0101-0001 of 13800000101 \(ids 1, 2\)"):
        crm.CrmApps(url)
    assert "outcome" not in _columns(url, "crm_complaint_history")


def test_a_table_of_the_crms_name_that_is_someone_elses_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    db = sa.create_engine(url)
    with db.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE crm_customers (id INTEGER PRIMARY KEY, who TEXT)")
    db.dispose()
    with pytest.raises(SchemaOutdatedError, match="crm_customers has no column phone, name"):
        crm.CrmApps(url)


def test_the_web_centres_tables_carry_a_version(tmp_path: Path) -> None:
    status_export = _module("status_export")
    url, key = f"sqlite:///{tmp_path / 'web.db'}", status_export.new_key()
    # tables of the web centre before versions, with a case loaded: recognised and kept
    db = sa.create_engine(url)
    tables = [status_export.web_cases, status_export.web_imports]
    status_export.web_meta.create_all(db, tables=tables)
    with db.begin() as conn:
        conn.execute(status_export.web_cases.insert().values(
            phone=PHONE, acceptance_no="0101-0001", state="open", stage="Accepted",
            fields={}))  # fmt: skip
    status_export.WebDesk(url, key)
    assert _read(url, "SELECT version FROM web_schema_version") == [(1,)]
    assert [s.stage for s in status_export.WebDesk(url, key).lookup(TYPED)] == ["Accepted"]
    with db.begin() as conn:
        conn.exec_driver_sql("UPDATE web_schema_version SET version = 2")
    db.dispose()
    with pytest.raises(SchemaOutdatedError, match="web centre's tables are at schema version 2"):
        status_export.WebDesk(url, key)


def test_a_version_is_recognised_once_and_a_current_one_used_as_it_is(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    _old_database(url, 2, {})
    schema = crm.schema.crm_schema(crm.metadata, crm.schema_version, crm.phone_key, crm.status_text)
    db = sa.create_engine(url)
    try:
        assert schema.open(db) == (2, 8)
        assert schema.open(db) == (8, 8)
    finally:
        db.dispose()

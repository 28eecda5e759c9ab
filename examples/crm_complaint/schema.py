"""Versions of the example's own tables, and the upgrade in place of an older set.

Why: the CRM's tables live in a database the host keeps across runs (the engine's own file,
``sqlite:///wfengine.db``, or its PostgreSQL database). ``create_all`` makes a missing table but
never changes one that exists, so a database an earlier ``crm.py`` made failed at first use
("no such column: outcome", a case stopped in an incident at its first notice), or quietly
misbehaved: a retried call recorded a case twice (no one-record-per-case constraint), a
customer stored under the phone as typed (``+86 138 0000 0101``, before ``crm.phone_key``) was
found no more, and their acceptance numbers started again at 1.

So each set of tables keeps its version in a one-row table of its own (``crm_schema_version``,
``web_schema_version``): a table rather than SQLite's ``PRAGMA user_version``, because the same
code runs on PostgreSQL and the SQLite file is the engine's, shared with its Alembic revision
and perhaps with a host's tables. :meth:`Schema.open`, called whenever the example opens its
database:

* the current version: used as it is (one read);
* none of the set's tables: they are made, and the version recorded;
* an older version, or the tables without a version (a database of a ``crm.py`` before
  versions, recognised by its tables and columns): upgraded step by step, in one transaction
  (all or nothing; SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's transactional DDL under an
  advisory lock, so two processes opening one database upgrade it once), keeping every row;
  data an upgrade cannot keep whole (two customer rows that turn out to be one phone number,
  with different names) is refused naming the rows, and nothing changes;
* a newer version (a newer ``crm.py`` wrote it): refused naming both versions, nothing changed.

The refusals are :class:`wfengine.errors.SchemaOutdatedError`, as the engine's own are.

Why not Alembic (a dependency of the engine) with a script directory: the engine's migrations
(``wfengine.runtime.sql.migrate``) serve its own tables only, and their
``wfengine_alembic_version`` table sits in the same database; a second Alembic environment for
five tables and three steps would need its own script directory, configuration and version
table name. The steps here are plain
functions in order; Alembic's ``Operations`` renders their DDL for each database.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from wfengine.errors import SchemaOutdatedError

#: the outcome an old record of an answered case gets (``crm.ANSWERED``, ``crm.ANSWERED_AT_ONCE``:
#: before outcomes, the process recorded only those two, the second without acceptance number)
_ANSWERED, _ANSWERED_AT_ONCE = "answered", "answered at once"
#: the one-record-per-case index an upgrade adds (a new database has the same as a constraint)
_ONE_RECORD_PER_CASE = "uq_crm_complaint_history_case"
#: the one-record-per-case-key index version 5's upgrade adds (a new database: a constraint)
_ONE_RECORD_PER_CASE_KEY = "uq_crm_complaint_history_case_key"
#: the one-message-per-key index version 6's upgrade adds (a new database: a constraint)
_ONE_MESSAGE_PER_KEY = "uq_crm_notifications_idempotency_key"
#: the one-number-per-call index version 7's upgrade adds (a new database: a constraint)
_ONE_NUMBER_PER_CALL = "uq_crm_acceptance_numbers_idempotency_key"
#: the notifications' channel of a notice not sent (``crm.UNDELIVERABLE``)
_UNDELIVERABLE = "undeliverable"
#: the CRM's tables of every version (one of them there: the CRM was here before)
_CRM_TABLES = {"crm_customers", "crm_acceptance_numbers", "crm_complaint_history",
               "crm_notifications", "crm_status_notices"}  # fmt: skip
#: how many conflicting rows a refusal names (the rest are counted)
_SHOWN = 5
#: the PostgreSQL advisory lock an upgrade holds (a 64-bit key of the example's own)
_LOCK = int.from_bytes(hashlib.sha256(b"wfengine crm_complaint schema").digest()[:8], signed=True)


def version_table(metadata: sa.MetaData, name: str) -> sa.Table:
    """The one-row table ``name`` in ``metadata`` that keeps the set's schema version (``id`` is
    always 1: a second row cannot exist)."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer, nullable=False),
    )


class Upgrade:
    """What a step works with: the connection in the upgrade's transaction, what the database
    holds now, Alembic's operations on it, and where it is (for messages)."""

    def __init__(self, conn: sa.Connection, metadata: sa.MetaData, where: str) -> None:
        self.conn, self.metadata, self.where = conn, metadata, where
        self.ops = Operations(MigrationContext.configure(conn))
        #: the step running (a refusal names it)
        self.step: Step | None = None

    def tables(self) -> set[str]:
        return set(sa.inspect(self.conn).get_table_names())

    def columns(self, table: str) -> set[str]:
        """The columns of ``table`` (none when it does not exist)."""
        if table not in self.tables():
            return set()
        return {c["name"] for c in sa.inspect(self.conn).get_columns(table)}

    def add_column(self, table: str, column: sa.Column[Any]) -> bool:
        """Add ``column`` to ``table`` when the table exists without it; whether it was added
        (the existing rows then hold the column's server default)."""
        if table not in self.tables() or column.name in self.columns(table):
            return False
        self.ops.add_column(table, column)
        return True

    def refuse(self, what: str, todo: str) -> SchemaOutdatedError:
        """The error that stops the upgrade (the transaction is rolled back as it propagates):
        where, the step, ``what`` stopped it, and what to do."""
        step = f"upgrading to version {self.step.version} ({self.step.what}): " if self.step else ""
        return SchemaOutdatedError(
            f"{self.where}: {step}{what}; nothing was changed (the upgrade is all or nothing): "
            f"{todo}"
        )


@dataclass(frozen=True)
class Step:
    """The upgrade of the tables to ``version`` (from the version before it)."""

    version: int
    what: str
    run: Callable[[Upgrade], None]


@dataclass(frozen=True)
class Schema:
    """A set of tables (``metadata``, its version kept in ``versions``) and its upgrades."""

    #: what the set is, for messages ("the CRM's tables")
    name: str
    metadata: sa.MetaData
    versions: sa.Table
    #: the upgrades to version 2, 3, ... in order (version 1: the first tables)
    steps: tuple[Step, ...]
    #: the version of tables kept without one (None: none of the set's tables exists)
    recognise: Callable[[Upgrade], int | None]
    #: the columns (table, column) the steps add to tables that exist
    added: frozenset[tuple[str, str]] = frozenset()

    @property
    def current(self) -> int:
        return self.steps[-1].version if self.steps else 1

    def open(self, db: sa.Engine) -> tuple[int | None, int]:
        """Make the set's tables in ``db`` current (see the module notes); the version found
        (None: no tables yet) and the current one."""
        with db.connect() as conn:
            found = self._stamped(conn)
        if found == self.current:
            return found, found
        where = db.url.render_as_string(hide_password=True)
        self._refuse_newer(found, where)
        with _exclusive(db) as conn:
            found = self._stamped(conn)  # again: another process may have upgraded it
            if found == self.current:
                return found, found
            self._refuse_newer(found, where)
            up = Upgrade(conn, self.metadata, where)
            self._check(up, self.added)  # someone else's table of a name of the set's: left
            if found is None:
                found = self.recognise(up)
            for step in self.steps:
                if found is not None and step.version > found:
                    up.step = step
                    step.run(up)
            up.step = None
            self.metadata.create_all(conn)  # what is still missing (all of it when new)
            self._check(up, frozenset())
            conn.execute(self.versions.delete())
            conn.execute(self.versions.insert().values(id=1, version=self.current))
        return found, self.current

    def _stamped(self, conn: sa.Connection) -> int | None:
        if not sa.inspect(conn).has_table(self.versions.name):
            return None
        version = conn.execute(sa.select(self.versions.c.version)).scalar()
        return None if version is None else int(version)

    def _refuse_newer(self, found: int | None, where: str) -> None:
        if found is not None and found > self.current:
            raise SchemaOutdatedError(
                f"{where}: {self.name} are at schema version {found}, newer than version "
                f"{self.current}, the newest this code knows: a newer version of the example "
                "wrote them; open the database with that version (nothing was changed)"
            )

    def _check(self, up: Upgrade, added: frozenset[tuple[str, str]]) -> None:
        """Refuse a table of the set's name that lacks the set's columns (but those the steps
        add, ``added``): someone else's."""
        present = up.tables()
        for table in self.metadata.sorted_tables:
            if table.name not in present:
                continue
            columns = up.columns(table.name)
            missing = [c.name for c in table.columns
                       if c.name not in columns and (table.name, c.name) not in added]  # fmt: skip
            if missing:
                raise up.refuse(
                    f"the table {table.name} has no column {', '.join(missing)}: it is not one "
                    f"of {self.name} as this code knows them (version {self.current})",
                    "keep the example's tables in a database of their own",
                )


@contextmanager
def _exclusive(db: sa.Engine) -> Iterator[sa.Connection]:
    """One write transaction no other opener of the database runs beside. SQLite: ``BEGIN
    IMMEDIATE`` takes the file's write lock at once (pysqlite itself would begin only at the
    first INSERT, leaving an ALTER TABLE before it outside any transaction). PostgreSQL: a
    transaction-scoped advisory lock (its DDL is transactional). Committed when the block
    ends, rolled back when it raises."""
    with db.connect() as conn:
        if db.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif db.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK)))
        yield conn
        conn.commit()


# -- the CRM's tables (tables.py) ------------------------------------------------------------


def crm_schema(
    metadata: sa.MetaData,
    versions: sa.Table,
    key: Callable[[str], str],
    told: Callable[[str, str], str],
) -> Schema:
    """The CRM's tables (``crm.metadata``) and their upgrades; ``key`` is ``crm.phone_key``,
    ``told`` is ``crm.status_text`` (a status notice's text of a case and milestone).

    1. the first tables (customers, acceptance numbers, complaint history, notifications);
    2. notifications say where they went (``address``: an SMS of before went to the phone, an
       e-mail's address was never recorded: empty), and every phone is keyed by ``key`` (the
       first code kept it as typed, then without the ``+86`` only);
    3. the status notices each customer was told (``crm_status_notices``);
    4. how each case ended (``outcome``: an old record with an acceptance number was answered,
       one without answered at once, as the process then recorded them), one record per case;
    5. every phone keyed again by ``key``, which now reads digits of any script (a full-width
       ``１３８ ００００ ０１０１`` typed through a Chinese input method was a customer, and a
       numbering, of its own): their rows are merged as version 2 merged phones; and each
       history record keyed on its case (``case_key``, unique: :func:`case_key`), so a case
       without an acceptance number is recorded once too (SQL holds NULLs distinct, so the
       phone and number key let a retried call record it again). An old record without a
       number is a case of its own (which were retries cannot be told): every row kept;
    6. each notification keeps the idempotency key of the call that sent it
       (``idempotency_key``, unique; NULL for one sent without a key, as every old one was),
       so a call made again (a retry, a job run again after its worker died, a command run
       again after losing a race) sends its message once;
    7. each acceptance number keeps the idempotency key of the call that took it
       (``idempotency_key``, unique; NULL for the old ones), so a call made again (a retry
       after its answer was lost) is given the number it took, not a second one; and the
       case that took it (``taken_by``; NULL for the old ones, which count as their case's),
       so a case keeps only a number it took, not another case's of the same phone;
    8. a status notice is counted as told only when it was sent: a milestone an earlier
       ``crm.py`` counted though its every notice (its text to that phone) was recorded
       ``undeliverable`` is counted no longer, so reached again once the customer can be
       told (an address given) it is told. A notice with no notification recorded (another
       ``Channel`` adapter records none) stays counted.
    """

    def keyed_phones(up: Upgrade) -> None:
        _rekey(up, key)
        address = sa.Column("address", sa.String(254), nullable=False, server_default="")
        if up.add_column("crm_notifications", address):
            sent = sa.table("crm_notifications", *map(sa.column, ("phone", "channel", "address")))
            sms = sent.update().where(sent.c.channel == "sms")
            up.conn.execute(sms.values(address=sent.c.phone))

    def status_notices(up: Upgrade) -> None:
        metadata.tables["crm_status_notices"].create(up.conn, checkfirst=True)

    def outcomes(up: Upgrade) -> None:
        outcome = sa.Column("outcome", sa.String(40), nullable=False, server_default=_ANSWERED)
        if up.add_column("crm_complaint_history", outcome):
            history = sa.table(
                "crm_complaint_history", *map(sa.column, ("acceptance_no", "outcome"))
            )
            at_once = history.update().where(history.c.acceptance_no.is_(None))
            up.conn.execute(at_once.values(outcome=_ANSWERED_AT_ONCE))
        _one_record_per_case(up)

    def case_keys(up: Upgrade) -> None:
        _rekey(up, key)
        column = sa.Column("case_key", sa.String(200), nullable=False, server_default="")
        if not up.add_column("crm_complaint_history", column):
            return
        names = ("id", "phone", "acceptance_no", "case_key")
        history = sa.table("crm_complaint_history", *map(sa.column, names))
        for row in up.conn.execute(sa.select(history)).all():
            found = case_key(row.phone, row.acceptance_no) if row.acceptance_no else f"row {row.id}"
            up.conn.execute(history.update().where(history.c.id == row.id).values(case_key=found))
        up.ops.create_index(_ONE_RECORD_PER_CASE_KEY, "crm_complaint_history", ["case_key"],
                            unique=True)  # fmt: skip

    def message_keys(up: Upgrade) -> None:
        if up.add_column("crm_notifications", sa.Column("idempotency_key", sa.String(200))):
            up.ops.create_index(_ONE_MESSAGE_PER_KEY, "crm_notifications", ["idempotency_key"],
                                unique=True)  # fmt: skip

    def number_keys(up: Upgrade) -> None:
        column = sa.Column("idempotency_key", sa.String(200))
        if up.add_column("crm_acceptance_numbers", column):
            up.ops.create_index(_ONE_NUMBER_PER_CALL, "crm_acceptance_numbers",
                                ["idempotency_key"], unique=True)  # fmt: skip
        up.add_column("crm_acceptance_numbers", sa.Column("taken_by", sa.String(200)))

    def untold(up: Upgrade) -> None:
        _forget_undelivered(up.conn, told)

    return Schema(
        "the CRM's tables",
        metadata,
        versions,
        (
            Step(2, "notifications say where they went; phones keyed", keyed_phones),
            Step(3, "the status notices customers were told", status_notices),
            Step(4, "how each case ended; one record per case", outcomes),
            Step(5, "phones of any script keyed; each record keyed on its case", case_keys),
            Step(6, "each notification keeps the key of the call that sent it", message_keys),
            Step(7, "each acceptance number keeps its call's key and case", number_keys),
            Step(8, "a status notice never delivered is not counted as told", untold),
        ),
        _crm_version,
        frozenset(
            {
                ("crm_notifications", "address"),
                ("crm_complaint_history", "outcome"),
                ("crm_complaint_history", "case_key"),
                ("crm_notifications", "idempotency_key"),
                ("crm_acceptance_numbers", "idempotency_key"),
                ("crm_acceptance_numbers", "taken_by"),
            }
        ),
    )


def _forget_undelivered(conn: sa.Connection, told: Callable[[str, str], str]) -> None:
    """Delete the status notices (``crm_status_notices``) whose text (``told``) to their
    phone was recorded in ``crm_notifications`` only as ``undeliverable`` (version 8)."""
    sent = sa.table("crm_notifications", *map(sa.column, ("phone", "channel", "text")))
    other = sa.alias(sent)
    delivered = sa.select(other.c.phone).where(
        other.c.phone == sent.c.phone,
        other.c.text == sent.c.text,
        other.c.channel != _UNDELIVERABLE,
    )
    lost = set(
        conn.execute(
            sa.select(sent.c.phone, sent.c.text)
            .where(sent.c.channel == _UNDELIVERABLE, ~delivered.exists())
            .distinct()
        ).all()
    )
    if not lost:
        return
    names = ("phone", "acceptance_no", "milestone")
    notices = sa.table("crm_status_notices", *map(sa.column, names))
    for row in conn.execute(sa.select(notices)).all():
        if (row.phone, told(row.acceptance_no, row.milestone)) in lost:
            conn.execute(
                notices.delete().where(*(notices.c[name] == row[i] for i, name in enumerate(names)))
            )


def case_key(
    phone: str,
    acceptance_no: str | None,
    *,
    case: str | None = None,
    call: str | None = None,
    record: tuple[str, ...] = (),
) -> str:
    """What names a case in the complaint history (its record's unique ``case_key``).

    A numbered case is its phone (keyed) and acceptance number, whoever records it (the
    process, or an operator's closing: one record). A case without a number is the instance
    ``case`` when the recorder knows it (an operator's closing: its id and nonce,
    ``tables.closing_case``, as ids repeat across databases and runs), else the application call
    ``call`` (its idempotency key, the same for every retry), else the ``record``'s own
    fields (a direct call repeated records nothing new). Hashed where it could be long."""
    if acceptance_no:
        return f"case {phone} {acceptance_no}"
    if case:
        return f"instance {case}"
    what, parts = ("call", (call,)) if call else ("record", (phone, *record))
    digest = hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()
    return f"{what} {digest}"


def _crm_version(up: Upgrade) -> int | None:
    """The version of CRM tables kept without one, from the tables and columns each version
    added (None: no CRM table)."""
    tables = up.tables()
    if not tables & _CRM_TABLES:
        return None
    if "idempotency_key" in up.columns("crm_acceptance_numbers"):
        return 7
    if "idempotency_key" in up.columns("crm_notifications"):
        return 6
    if "case_key" in up.columns("crm_complaint_history"):
        return 5
    if "outcome" in up.columns("crm_complaint_history"):
        return 4
    if "crm_status_notices" in tables:
        return 3
    return 2 if "address" in up.columns("crm_notifications") else 1


def _rekey(up: Upgrade, key: Callable[[str], str]) -> None:
    """Every phone of the CRM's tables as ``key`` keys it, every row kept. A customer
    written two ways is one row when both agree (else refused: which is right is the host's
    to say); an acceptance number taken under two ways of writing one phone (the same label,
    ``0101-0001``) is one number taken, at the earlier time, so the next is above both."""
    tables = up.tables()
    if "crm_customers" in tables:
        customer = ("phone", "name", "value", "email")
        _merge(up, "crm_customers", customer, ("phone",), key, pick=_agreed)
    if "crm_acceptance_numbers" in tables:
        taken, unique = ("phone", "number", "taken_at"), ("phone", "number")
        _merge(up, "crm_acceptance_numbers", taken, unique, key, pick=_earliest)
    for name in ("crm_complaint_history", "crm_notifications", "crm_status_notices"):
        if name in tables:
            table = sa.table(name, sa.column("phone"))
            for (phone,) in up.conn.execute(sa.select(table.c.phone).distinct()).all():
                if key(phone) != phone:
                    up.conn.execute(
                        table.update().where(table.c.phone == phone).values(phone=key(phone))
                    )


def _agreed(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The one row ``rows`` are when they agree on all but the phone; None when they differ."""
    rest = {tuple(v for name, v in row.items() if name != "phone") for row in rows}
    return rows[0] if len(rest) == 1 else None


def _earliest(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The acceptance number taken first (the others took the same number again)."""
    return min(rows, key=lambda row: row["taken_at"])


def _merge(
    up: Upgrade,
    name: str,
    columns: Sequence[str],
    unique: Sequence[str],
    key: Callable[[str], str],
    pick: Callable[[list[dict[str, Any]]], dict[str, Any] | None],
) -> None:
    """Key the phones of ``name`` (``unique``: its unique columns, the phone first): the rows
    that become one are that one row, ``pick`` says which (None: they differ, refused)."""
    table = sa.table(name, *map(sa.column, columns))
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for found in up.conn.execute(sa.select(table)).mappings():
        row = dict(found)
        groups[(key(row["phone"]), *(row[c] for c in unique[1:]))].append(row)
    differing: list[str] = []
    gone: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    for (phone, *_), rows in groups.items():
        if len(rows) == 1 and rows[0]["phone"] == phone:
            continue  # keyed already, alone
        one = pick(rows)
        if one is None:
            differing.append(" and ".join(repr(r["phone"]) for r in rows))
        gone += rows
        kept.append({**(one or rows[0]), "phone": phone})
    if differing:
        raise up.refuse(
            f"{name} holds rows of one phone number written two ways that differ "
            f"({_some(differing)})",
            "keep the right one of each (delete the other), then open the database again",
        )
    # all deleted before any is written back: a key may be a row's phone of another group
    for row in gone:
        up.conn.execute(table.delete().where(*(table.c[c] == row[c] for c in unique)))
    if kept:
        up.conn.execute(table.insert(), kept)


def _some(items: list[str]) -> str:
    """The first few of ``items`` (a refusal names them), and how many more there are."""
    more = f"; and {len(items) - _SHOWN} more" if len(items) > _SHOWN else ""
    return "; ".join(items[:_SHOWN]) + more


def _one_record_per_case(up: Upgrade) -> None:
    """The complaint history's one record per case (phone and acceptance number): a case
    recorded twice with the same complaint and answer (a retried call) keeps its first record;
    two different records of one case are refused, naming them."""
    if "crm_complaint_history" not in up.tables():
        return
    inspector = sa.inspect(up.conn)
    unique: list[list[Any]] = [
        u["column_names"] for u in inspector.get_unique_constraints("crm_complaint_history")
    ]
    unique += [
        i["column_names"] for i in inspector.get_indexes("crm_complaint_history") if i["unique"]
    ]
    if any(set(columns) == {"phone", "acceptance_no"} for columns in unique):
        return  # a database of version 4's code, kept without a version
    names = ("id", "phone", "acceptance_no", "complaint", "answer")
    history = sa.table("crm_complaint_history", *map(sa.column, names))
    cases: dict[tuple[str, str], list[Any]] = defaultdict(list)
    query = sa.select(history).where(history.c.acceptance_no.is_not(None)).order_by(history.c.id)
    for row in up.conn.execute(query):
        cases[(row.phone, row.acceptance_no)].append(row)
    differing: list[str] = []
    for (phone, number), rows in cases.items():
        if len({(r.complaint, r.answer) for r in rows}) > 1:
            differing.append(f"{number} of {phone} (ids {', '.join(str(r.id) for r in rows)})")
        elif len(rows) > 1:
            up.conn.execute(history.delete().where(history.c.id.in_([r.id for r in rows[1:]])))
    if differing:
        raise up.refuse(
            f"crm_complaint_history holds different records of one case ({_some(differing)}), "
            "and this version keeps one record per case",
            "delete or renumber the wrong ones, then open the database again",
        )
    case = ["phone", "acceptance_no"]
    up.ops.create_index(_ONE_RECORD_PER_CASE, "crm_complaint_history", case, unique=True)


# -- the web centre's tables (status_export.py) ------------------------------------------------


def web_schema(metadata: sa.MetaData, versions: sa.Table) -> Schema:
    """The web centre's tables (``status_export.web_meta``): version 1, the first."""

    def version(up: Upgrade) -> int | None:
        names = {t.name for t in metadata.sorted_tables} - {versions.name}
        return 1 if up.tables() & names else None

    return Schema("the web centre's tables", metadata, versions, (), version)

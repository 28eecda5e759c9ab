"""The CRM side of the complaint example: customers, their complaint history, acceptance
numbers and the notifications sent, in the same database as the engine (SQLAlchemy), and the
applications ``complaint.xpdl`` calls.

``CrmApps(url).register(engine.applications)`` binds them; ``url`` is the engine's database
(``sqlite:///wfengine.db``) or any other. The tables are created when missing, and those an
earlier ``crm.py`` made are upgraded in place, every row kept (``schema.py``: their version is
kept in ``crm_schema_version``; a newer one is refused).

Acceptance numbers are unique under the customer's phone number: the table's primary key is
(phone, number), so two engine processes giving numbers at once cannot both take the same one
(the loser of the race takes the next); looking a case up by phone and number is a
primary-key hit.

A phone number is keyed as written nowhere: :func:`phone_key` reduces it to the national
number (``"+86 138 0000 0101"``, ``"0086-138-0000-0101"``, ``"86 138 0000 0101"`` and
``"13800000101"`` are one customer, as are ``"010 5550 0101"`` and ``"+86 10 5550 0101"``: a
hotline agent and a web form write the same phone differently), in every table and lookup.
The process keys its cases the same way: ``lookup_customer`` gives the phone's key, which
replaces what was typed in the case's ``phone`` field, so the engine's correlation (phone and
acceptance number, :func:`find_case`) and the web centre's status table find a case whichever
way the customer writes their number.

A web complaint is answered by e-mail, so the web form captures the customer's address:
:func:`take_complaint` (the intake of both channels) refuses a web complaint without a valid
one (``DataTypeError`` naming ``email``, nothing started), and the case keeps it in its
``email`` field, which the e-mail channel writes to. A case started another way is checked
again at intake (``lookup_customer``, which takes the customer table's address when none was
typed): a web complaint without a valid address stops in an incident naming it before an
acceptance number is taken, rather than telling the customer nothing.
Every case that ends is in the customer's complaint history (:meth:`CrmApps.history`, by
phone or by phone and acceptance number) with how it ended (``outcome``): answered at once,
answered, closed without action by the coordinator (the process records these), or ended by
an operator, terminated or aborted (the process runs no further: :meth:`CrmApps.subscribe`
records them from the engine's outbox).

Between the acceptance and the answer the customer is told how the case moves on:
``tell_status`` sends a status notice at a milestone of the brief status (its label, after
the acceptance number), through the same channels, once per case and milestone (the
``crm_status_notices`` table keeps what each customer was told).

Each message is sent once: the engine gives every run of one call the same idempotency key (a
retry, a job run again after its worker died, a command run again after losing a race), which
the notifications table keeps, unique (:meth:`RecordedChannel.record`); a status notice is
counted as told in the transaction that records it.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import re
import runpy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from wfengine import ApplicationRegistry, PermanentApplicationError
from wfengine.errors import DataTypeError

#: the example's loader: each of its modules loaded once, by path (``siblings.py``)
sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]

schema = sibling("schema")
phones = sibling("phones")
#: the intake, the people's forms and the customers' replies (``intake.py``), re-exported
intake = sibling("intake")
email_address, check_agent = intake.email_address, intake.check_agent
submit_form, take_complaint, customer_reply = (
    intake.submit_form, intake.take_complaint, intake.customer_reply)  # fmt: skip
AGENT_ROLE, AGENT_FIELDS = intake.AGENT_ROLE, intake.AGENT_FIELDS
#: one key for every way of writing one phone number; an acceptance number's label
phone_key, acceptance_label = phones.phone_key, phones.acceptance_label
COUNTRY_CODE = phones.COUNTRY_CODE
metadata = sa.MetaData()
#: the version of the CRM's tables (``schema.crm_schema`` says what each version added)
schema_version = schema.version_table(metadata, "crm_schema_version")

customers = sa.Table(
    "crm_customers",
    metadata,
    sa.Column("phone", sa.String(phones.KEY_LENGTH), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("value", sa.String(20), nullable=False, server_default="standard"),
    sa.Column("email", sa.String(200)),
)

acceptance_numbers = sa.Table(
    "crm_acceptance_numbers",
    metadata,
    sa.Column("phone", sa.String(phones.KEY_LENGTH), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
    #: the idempotency key of the call that took it (:func:`message_key`), unique: the call
    #: made again (a retry after its answer was lost) is given the same number, not a second
    sa.Column("idempotency_key", sa.String(200), unique=True),
    #: the case (process instance) whose call took it (:func:`call_case`; NULL: not known,
    #: as for the numbers of an earlier version): a case keeps only a number it took
    sa.Column("taken_by", sa.String(200)),
)

#: how a case ended, as the complaint history keeps it (``outcome``)
ANSWERED_AT_ONCE, ANSWERED = "answered at once", "answered"
#: the coordinator closed it without further action (the customer was told)
CLOSED_WITHOUT_ACTION = "closed without action"
#: an operator ended the case (``wfengine instance terminate`` / ``abort``): no answer
TERMINATED, ABORTED = "terminated", "aborted"
OUTCOMES = (ANSWERED_AT_ONCE, ANSWERED, CLOSED_WITHOUT_ACTION, TERMINATED, ABORTED)

complaint_history = sa.Table(
    "crm_complaint_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("phone", sa.String(phones.KEY_LENGTH), nullable=False, index=True),
    sa.Column("acceptance_no", sa.String(40)),
    sa.Column("complaint", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    #: how the case ended (:data:`OUTCOMES`)
    sa.Column("outcome", sa.String(40), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    #: the case the record is of (``schema.case_key``), unique: a case ends once, so its
    #: second record (a retried call, a redelivered closing) is none, numbered or not
    sa.Column("case_key", sa.String(200), nullable=False, unique=True),
    sa.UniqueConstraint("phone", "acceptance_no"),
)

notifications = sa.Table(
    "crm_notifications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("phone", sa.String(phones.KEY_LENGTH), nullable=False, index=True),
    sa.Column("channel", sa.String(20), nullable=False),
    #: where it went: the e-mail address, or the phone number for the SMS gateway
    sa.Column("address", sa.String(254), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    #: the idempotency key of the call that sent it (:func:`message_key`), unique: the same
    #: call made again (a retry, a job run again after its worker died, a command run again
    #: after losing a race) sends nothing more; NULL for a message sent without a key
    sa.Column("idempotency_key", sa.String(200), unique=True),
)

#: the milestones each case's customer was told of (one notice per milestone: see
#: :meth:`CrmApps.tell_status`)
status_notices = sa.Table(
    "crm_status_notices",
    metadata,
    sa.Column("phone", sa.String(phones.KEY_LENGTH), primary_key=True),
    sa.Column("acceptance_no", sa.String(40), primary_key=True),
    sa.Column("milestone", sa.String(200), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)


def number_text(acceptance_no: str) -> str:
    """What tells the customer their case's acceptance number (``tell_customer``'s text, as
    ``complaint.xpdl`` writes it: ``"Your complaint is number 0101-0001"``)."""
    return f"Your complaint is number {acceptance_no}"


#: :func:`number_text` of any acceptance number (``phones.acceptance_label``)
_NUMBER_TEXT = re.compile(re.escape(number_text("")) + r"\d{4}-\d{4,}")


def status_text(acceptance_no: str, milestone: str) -> str:
    """A status notice: the case's acceptance number and the milestone, in the brief
    status's words (``"Your complaint 0101-0001: Reviewed by the coordinator"``)."""
    return f"Your complaint {acceptance_no}: {milestone}"


@dataclass(frozen=True)
class Customer:
    """Whom a message is for: the phone number (as the CRM keys it) and, for a web
    complaint, the e-mail address the web form captured."""

    phone: str
    email: str | None = None


class Channel(Protocol):
    """How a message reaches a customer: SMS and e-mail ship (recorded in the notifications
    table, where the gateway to the SMS and mail services picks them up); fax and voice mail
    are further adapters of the same protocol. An adapter whose ``send`` takes a ``key``
    keyword is given the idempotency key of the call (the same each time one message is
    sent again), for a service that keeps messages by key to send it once."""

    name: str

    def send(self, customer: Customer, text: str) -> None: ...


#: the notifications table's channel of a message that could not be sent: an SMS to a
#: landline (or a foreign number) of a case without an e-mail address
UNDELIVERABLE = "undeliverable"


class RecordedChannel:
    """A channel whose messages go into the notifications table: e-mail to the customer's
    address (``address="email"``; a customer without one is an error naming it), SMS to
    their phone (``address="phone"``)."""

    def __init__(self, apps: CrmApps, name: str, address: str = "phone") -> None:
        self.apps, self.name, self.address = apps, name, address

    def send(self, customer: Customer, text: str, key: str | None = None) -> None:
        """Record the message for the gateway (:meth:`record`), in a transaction of its own."""
        with self.apps.db.begin() as conn:
            self.record(conn, customer, text, key)

    def route(self, customer: Customer) -> tuple[str, str | None]:
        """The channel and address a message to ``customer`` goes by (:meth:`record`):
        ``(UNDELIVERABLE, "")`` when it cannot be sent; an address of None or ``""`` for
        another channel is an error :meth:`record` raises."""
        channel, to = self.name, customer.email if self.address == "email" else customer.phone
        if self.address == "phone" and to:
            to = phones.sms_number(phone_key(to))
            if to is None:
                channel, to = ("email", customer.email) if customer.email else (UNDELIVERABLE, "")
        return channel, to

    def record(self, conn: sa.Connection, customer: Customer, text: str, key: str | None) -> bool:
        """Record the message for the gateway in ``conn``'s transaction, once per ``key``
        (the call's idempotency key: a message recorded under it already is not recorded
        again; None: always). An SMS goes to a mobile only
        (:func:`phones.sms_number`): for a landline or a foreign number it goes by e-mail
        when the case has an address, else it is recorded as :data:`UNDELIVERABLE` (not
        sent: ``CrmApps.sent(channel=UNDELIVERABLE)``), and the case goes on. Whether it
        goes to the gateway (False: :data:`UNDELIVERABLE`)."""
        channel, to = self.route(customer)
        if not to and channel != UNDELIVERABLE:
            raise PermanentApplicationError(
                f"no {self.address} to tell the customer of {customer.phone!r} by {self.name}"
            )
        keyed = message_key(key)
        row = {"phone": phone_key(customer.phone), "channel": channel, "address": to,
               "text": text, "at": self.apps.now(), "idempotency_key": keyed}  # fmt: skip
        once = _INSERT_OR_IGNORE.get(conn.dialect.name)
        if keyed is None:
            conn.execute(notifications.insert().values(row))
        elif once is not None:  # one statement: two workers of one key cannot both insert
            conn.execute(once(notifications).values(row).on_conflict_do_nothing())
        else:
            sent = sa.select(notifications.c.id).where(notifications.c.idempotency_key == keyed)
            if conn.execute(sent).first() is None:
                conn.execute(notifications.insert().values(row))
        return channel != UNDELIVERABLE


#: the dialects' INSERT ... ON CONFLICT DO NOTHING (another database looks the key up first)
_INSERT_OR_IGNORE: dict[str, Callable[[sa.Table], Any]] = {
    "sqlite": sqlite_insert, "postgresql": postgresql_insert}  # fmt: skip


def message_key(key: str | None) -> str | None:
    """An application call's idempotency key as the notifications table keeps it: as given,
    or its SHA-256 when longer than the column (keys name instances and activities, which
    a definition may name at length)."""
    if key is None or len(key) <= 200:
        return key
    return "sha256 " + hashlib.sha256(key.encode()).hexdigest()


def call_case(key: str | None) -> str | None:
    """The case (process instance) an application call is made for, as its idempotency key
    names it (the engine's keys begin with the instance's id and a colon), as
    :func:`message_key` keeps it; None for a call without a key, or a key of another form."""
    case, colon, _ = (key or "").partition(":")
    return message_key(case) if colon and case else None


def _customer_rows(rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The customer table's rows of an import's ``rows`` (:meth:`CrmApps.add_customers`):
    the phone keyed, the address as the CRM keeps it, the value ``standard`` when none is
    given (an empty cell too); ``DataTypeError`` naming the first row the CRM could not serve
    or keep (a field longer than its column)."""
    keyed: list[dict[str, Any]] = []
    first: dict[str, int] = {}  # a phone's key -> the row that gave it
    for number, row in enumerate(rows, start=1):
        refused = phones.refusal(row.get("phone"))
        if refused is not None:
            raise DataTypeError(
                f"customer row {number}: phone {refused}; give the number alone, as text, as "
                "written (an extension or a note goes elsewhere); no customer was added"
            )
        key = phone_key(str(row["phone"]))
        where = f"customer row {number} (phone {key})"
        name = row.get("name")
        if name is None or not str(name).strip():
            raise DataTypeError(f"{where}: no name; give each customer one; no customer was added")
        try:
            email = email_address(row.get("email"))
        except DataTypeError as exc:
            raise DataTypeError(
                f"{where}: {exc}; leave the cell empty for none; no customer was added"
            ) from None
        if key in first:
            raise DataTypeError(
                f"customer rows {first[key]} and {number}: both phone {key} (as the CRM keys "
                "it: one phone, one customer); keep one of them; no customer was added"
            )
        first[key] = number
        value = row.get("value")
        if value is None or not str(value).strip():  # none given, or an empty cell
            value = "standard"
        customer = {
            "phone": key,
            "name": _cell_text(where, "name", name),
            "email": email,
            "value": _cell_text(where, "value", value),
        }
        _refuse_too_long(where, customer)
        keyed.append(customer)
    return keyed


def _cell_text(where: str, field: str, given: object) -> str:
    """A text cell of an import as the table keeps it: text as given, a number as its digits;
    ``DataTypeError`` naming the row for anything else (a list, a flag: SQLite refused a list
    with a raw error where PostgreSQL stored ``{Li}``, and a flag was ``1`` on one, ``true`` on
    the other) and for text no database keeps alike (a NUL: PostgreSQL refused the whole
    import naming no row; a lone surrogate, half an emoji: a raw encoding error)."""
    if isinstance(given, bool) or not isinstance(given, str | int | float):
        raise DataTypeError(
            f"{where}: {field} is {type(given).__name__} {given!r:.40}, not text; give it as "
            "text; no customer was added"
        )
    text = str(given)
    try:
        text.encode("utf-8")  # (a lone surrogate has no UTF-8)
        sound = "\x00" not in text
    except UnicodeEncodeError:
        sound = False
    if not sound:
        raise DataTypeError(
            f"{where}: {field} holds a NUL or half a character (a lone surrogate), which the "
            "table cannot keep; correct the cell; no customer was added"
        )
    return text


def _refuse_too_long(where: str, customer: Mapping[str, Any]) -> None:
    """``DataTypeError`` naming the row (``where``) when a field of ``customer`` is longer
    than the customer table's column keeps. Why: SQLite keeps it whole, PostgreSQL refuses
    the whole import with an error naming no row (an address the intake takes may be 254
    characters long, the column keeps 200)."""
    for field in ("name", "value", "email"):
        given, longest = customer[field], customers.c[field].type.length
        if given is not None and longest is not None and len(str(given)) > longest:
            raise DataTypeError(
                f"{where}: {field} is {len(str(given))} characters long (as the CRM keeps it), "
                f"longer than the {longest} the customer table keeps; shorten it; no customer "
                "was added"
            )


def _table_email(stored: str | None) -> tuple[str | None, str | None]:
    """The customer table's address ``stored`` as the CRM keeps it (:func:`email_address`:
    one typed at the intake and one in the table reach the channel alike, an
    internationalised domain in its ASCII form), and None with the problem when it is no
    address (an earlier ``add_customers`` kept any text)."""
    try:
        return email_address(stored), None
    except DataTypeError:
        return None, f"the customer table's, {stored!r}, is no e-mail address"


#: how many phones one look-up of the customer table names (SQLite takes 32,766 parameters)
_LOOKUP_CHUNK = 500


def _refuse_known(conn: sa.Connection, keyed: list[dict[str, Any]]) -> None:
    """``DataTypeError`` naming the first of the import's ``keyed`` rows whose phone is a
    customer's already (the import adds customers; it changes none)."""
    for start in range(0, len(keyed), _LOOKUP_CHUNK):
        chunk = keyed[start : start + _LOOKUP_CHUNK]
        query = sa.select(customers.c.phone, customers.c.name).where(
            customers.c.phone.in_([r["phone"] for r in chunk])
        )
        known = {r.phone: r.name for r in conn.execute(query)}
        for number, row in enumerate(chunk, start=start + 1):
            if row["phone"] in known:
                raise DataTypeError(
                    f"customer row {number}: phone {row['phone']} is a customer already "
                    f"({known[row['phone']]!r}): the import adds new customers only; leave "
                    "the row out; no customer was added"
                )


#: the complaint process (``complaint.xpdl``)
PROCESS = "complaint"
#: an instance's closing state (the outbox's ``instance.state_changed``) -> the outcome
_CLOSED_BY_OPERATOR = {"closed.terminated": TERMINATED, "closed.aborted": ABORTED}


def find_case(engine: Any, phone: str, acceptance_no: str) -> str:
    """The open case (an instance id) of acceptance number ``acceptance_no`` under ``phone``,
    both written any way (:func:`phone_key`, ``phones.acceptance_key``): the engine's
    correlation index, a key hit
    (``NotFoundError`` when no open case matches)."""
    found: str = engine.correlated_instance(
        {"phone": phone_key(phone), "acceptance_no": phones.acceptance_key(acceptance_no)}
    )
    return found


class CrmApps:
    """The CRM database and the applications the complaint process calls."""

    def __init__(
        self, url: str, *, clock: Any = None, channels: Mapping[str, Channel] | None = None
    ) -> None:
        self.db = sa.create_engine(url)
        schema.crm_schema(metadata, schema_version, phone_key, status_text).open(self.db)
        self._clock = clock
        #: the intake channel -> how the customer is told (the web: e-mail, the hotline: SMS)
        self.channels: dict[str, Channel] = {
            "web": RecordedChannel(self, "email", address="email"),
            "hotline": RecordedChannel(self, "sms"),
            **(channels or {}),
        }

    def now(self) -> datetime:
        return self._clock.now() if self._clock is not None else datetime.now(UTC)

    # -- the CRM's own data --------------------------------------------------------------

    def add_customers(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Store customers, each row's ``phone`` as the CRM keys it; ``rows`` may be any
        iterable (a ``csv.DictReader``), read once. A row the CRM could not serve is a
        ``DataTypeError`` naming the row (and its phone), and no row is stored: a phone the
        CRM keys no customer under (:func:`phones.refusal`: none, no digits, a spreadsheet's
        decimal number, a key longer than :data:`phones.KEY_LENGTH`, a phone that is no text,
        as a spreadsheet column gives ``13800000101.0``, where a whole number is the digits it
        writes), no ``name``, an ``email`` that is no address (:func:`email_address`; an empty
        cell is none), or a phone another row or a customer already has (written any way: one
        key, one customer). Why: the intake and :meth:`lookup_customer` refuse such a number,
        so that customer could never be served, or was keyed under a stranger's mobile or
        under ``""``; an address is kept as the intake keeps it (an internationalised domain
        in its ASCII form, which every mail server takes), and one that is none would be
        written to; and the database's own refusal named no row."""
        keyed = _customer_rows(list(rows))
        try:
            with self.db.begin() as conn:
                _refuse_known(conn, keyed)
                conn.execute(customers.insert(), keyed)
        except IntegrityError:  # another import added one of these phones meanwhile
            raise DataTypeError(
                "customer rows: another import added a customer of one of these phones as "
                "they were stored; no customer was added: import them again"
            ) from None

    def history(self, phone: str, acceptance_no: str | None = None) -> list[dict[str, Any]]:
        """The customer's complaint history, oldest first: every case of the phone, or the
        one of ``acceptance_no`` (each written any way); each with how it ended
        (``outcome``)."""
        query = (
            sa.select(complaint_history)
            .where(complaint_history.c.phone == phone_key(phone))
            .order_by(complaint_history.c.id)
        )
        if acceptance_no is not None:
            number = phones.acceptance_key(acceptance_no)
            query = query.where(complaint_history.c.acceptance_no == number)
        with self.db.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def told_milestones(self, phone: str | None = None) -> list[dict[str, Any]]:
        """The milestones customers (one customer) were told of by a status notice
        (:meth:`tell_status`; one recorded as :data:`UNDELIVERABLE` told nothing), oldest
        first: ``phone``, ``acceptance_no``, ``milestone``, ``at``."""
        query = sa.select(status_notices).order_by(status_notices.c.at)
        if phone is not None:
            query = query.where(status_notices.c.phone == phone_key(phone))
        with self.db.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def sent(self, phone: str | None = None, *, channel: str | None = None) -> list[dict[str, Any]]:
        """The notifications sent (to one customer), oldest first; ``channel=UNDELIVERABLE``:
        those that could not be sent (:meth:`undeliverable`), which are never among them."""
        query = sa.select(notifications).order_by(notifications.c.id)
        if channel is None:
            query = query.where(notifications.c.channel != UNDELIVERABLE)
        else:
            query = query.where(notifications.c.channel == channel)
        if phone is not None:
            query = query.where(notifications.c.phone == phone_key(phone))
        with self.db.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    # -- the applications ------------------------------------------------------------------

    def lookup_customer(
        self,
        lookup_phone: str | None,
        lookup_channel: str | None = None,
        lookup_email: str | None = None,
    ) -> dict[str, str | None]:
        """The customer's name and value from the customer table (an unknown caller is a
        new, standard customer), their phone number as the CRM keys it, and their e-mail
        address (the one typed, else the table's, as :func:`email_address` keeps it). A web
        complaint without a valid address is an error naming it: it could not be answered.
        A table address that is no address (an earlier import kept any text) is none: a
        web case stops here, naming it, before it is numbered, rather than being told its
        number at that text; another case goes on as one without an address."""
        refused = phones.refusal(lookup_phone)  # (a case started other than by the intake)
        if refused is not None:
            raise PermanentApplicationError(
                f"phone: {refused}; a case is numbered under the customer's phone number: set "
                "it, alone, as written, in the case's phone field (Engine.set_data), then retry "
                "this incident"
            )
        key = phone_key(str(lookup_phone))
        try:
            email = email_address(lookup_email)
        except DataTypeError as exc:
            raise PermanentApplicationError(str(exc)) from None
        query = sa.select(customers).where(customers.c.phone == key)
        with self.db.connect() as conn:
            row = conn.execute(query).first()
        on_file, problem = _table_email(row.email if row is not None else None)
        email = email or on_file
        if lookup_channel == "web" and not email:
            raise PermanentApplicationError(
                "email: a web complaint needs the customer's e-mail address (none typed, "
                f"{problem or 'none in the customer table'}): set it in the case's email "
                "field (Engine.set_data), then retry this incident"
            )
        found = {"found_phone": key, "found_email": email}
        if row is None:
            return {"found_name": "new customer", "found_value": "standard", **found}
        return {"found_name": row.name, "found_value": row.value, **found}

    def next_acceptance_number(
        self,
        acceptance_phone: str,
        acceptance_current: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """The next acceptance number under this phone number (unique: see the notes), and
        ``acceptance_new`` True. A case is numbered once: one that has a number
        (``acceptance_current``: accept run again by a send-back) keeps it, and
        ``acceptance_new`` is False (the customer was told it already); only a number this
        CRM gave under the phone to this case counts (the case: :func:`call_case`; one set
        otherwise, as a form posting the case's fields did, would be another case's or the
        phone's next: a new one is taken). The
        same call made again (``idempotency_key``, kept with the number: a retry after its
        answer was lost) is given the number it took, still new (the customer may not have
        been told it), not a second one."""
        acceptance_phone = phone_key(acceptance_phone)
        case = call_case(idempotency_key)
        if acceptance_current and self._taken(acceptance_phone, acceptance_current, case):
            return {"acceptance_number": acceptance_current, "acceptance_new": False}
        key = message_key(idempotency_key)
        taken = acceptance_numbers.c
        for _ in itertools.count():
            with self.db.connect() as conn:
                before = None if key is None else conn.execute(
                    sa.select(taken.phone, taken.number).where(taken.idempotency_key == key)
                ).first()  # fmt: skip
                top = conn.execute(
                    sa.select(sa.func.max(taken.number)).where(taken.phone == acceptance_phone)
                ).scalar()
            if before is not None:  # this call took it before
                label = acceptance_label(before.phone, before.number)
                return {"acceptance_number": label, "acceptance_new": True}
            number = (top or 0) + 1
            try:
                with self.db.begin() as conn:
                    conn.execute(
                        acceptance_numbers.insert().values(
                            phone=acceptance_phone, number=number, taken_at=self.now(),
                            idempotency_key=key, taken_by=case,
                        )
                    )  # fmt: skip
            except IntegrityError:
                continue  # another process took it (or this call's key) first: look again
            label = acceptance_label(acceptance_phone, number)
            return {"acceptance_number": label, "acceptance_new": True}
        raise AssertionError("unreachable")

    def _taken(self, phone: str, label: str, case: str | None) -> bool:
        """Did this CRM give the acceptance number ``label`` under ``phone`` (keyed) to the
        case ``case`` (None: to any case)? A number whose case is not known (taken before
        numbers kept it, or by a call without a key) counts as the case's."""
        _, _, tail = str(label).rpartition("-")
        if not tail.isascii() or not tail.isdigit():
            return False
        number = int(tail)
        if acceptance_label(phone, number) != label:
            return False
        query = sa.select(acceptance_numbers.c.taken_by).where(
            acceptance_numbers.c.phone == phone, acceptance_numbers.c.number == number
        )
        with self.db.connect() as conn:
            row = conn.execute(query).first()
        return row is not None and (case is None or row.taken_by in (None, case))

    def record_history(
        self,
        history_phone: str,
        history_text: str,
        history_answer: str,
        history_acceptance: str,
        history_outcome: str = ANSWERED,
        idempotency_key: str | None = None,
        *,
        case: str | None = None,
    ) -> None:
        """The complaint, its answer and how it ended (:data:`OUTCOMES`) into the customer's
        complaint history; a case recorded already (a retried call, a redelivered closing) is
        not recorded twice. The case is its phone and acceptance number; one without a number
        (answered at once, ended before numbering) is the instance ``case`` (the closing's),
        else the call's ``idempotency_key`` (the engine gives every attempt of one call the
        same), else the record itself (a direct call repeated)."""
        if history_outcome not in OUTCOMES:
            raise PermanentApplicationError(
                f"history_outcome: {history_outcome!r} is none of {', '.join(OUTCOMES)}"
            )
        try:
            phone, number = phone_key(history_phone), history_acceptance or None
            text, answer = history_text or "", history_answer or ""
            key = schema.case_key(phone, number, case=case, call=idempotency_key,
                                  record=(text, answer, history_outcome))  # fmt: skip
            with self.db.begin() as conn:
                conn.execute(
                    complaint_history.insert().values(
                        phone=phone,
                        acceptance_no=number,
                        complaint=text,
                        answer=answer,
                        outcome=history_outcome,
                        at=self.now(),
                        case_key=key,
                    )
                )
        except IntegrityError:
            return  # this case is in the history already

    def record_closing(self, engine: Any) -> Callable[[Any], None]:
        """The outbox handler that writes a complaint an operator ended (terminated or
        aborted: the process ran no further, so wrote no history) into the history, with
        how it ended and no answer; ``engine`` reads the case. :meth:`subscribe` subscribes
        it."""

        def closed(record: Any) -> None:
            outcome = _CLOSED_BY_OPERATOR.get(record.payload.get("state"))
            if outcome is None or record.payload.get("process_id") != PROCESS:
                return
            data = engine.instance(record.instance_id).data
            self.record_history(
                str(data.get("phone") or ""), str(data.get("text") or ""), "",
                str(data.get("acceptance_no") or ""), outcome, case=record.instance_id,
            )  # fmt: skip

        return closed

    def subscribe(self, handlers: Any, engine: Any) -> None:
        """Keep the history of the cases an operator ends (:meth:`record_closing`):
        ``handlers`` is the engine's ``engine.outbox.handlers`` (or a worker's
        ``subscribe(outbox)`` argument, with an engine reading the same database)."""
        handlers.subscribe(self.record_closing(engine), ["instance.state_changed"])

    def notify_customer(
        self,
        notify_phone: str,
        notify_channel: str,
        notify_text: str,
        notify_email: str | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        """Tell the customer through the channel their complaint came by (``channels``): the
        web's by e-mail at ``notify_email``, the hotline's by SMS; a channel with no adapter
        is an error naming it (guessing one would tell the customer where they may not
        look). Once per ``idempotency_key`` (the engine gives one every call of one message:
        its retries, a job run again after its worker died, a command run again after losing
        a race): a message sent under the key already is not sent again. An empty text is
        nothing to tell, and sends nothing (as an earlier definition's ``tell_customer`` sent
        it). A case's acceptance number (:func:`number_text`) is told once per phone and
        number (:meth:`_number_told`): ``tell_customer`` run again, by a send-back to it, in
        any definition version, sends nothing, while a send that failed or was skipped told
        nothing, so the send-back after it tells the number."""
        if not notify_text:
            return
        customer = Customer(notify_phone, notify_email or None)
        with self.db.begin() as conn:
            if self._number_told(conn, customer, notify_text):
                return
            self._send(conn, notify_channel, customer, notify_text, idempotency_key)

    def _number_told(self, conn: sa.Connection, customer: Customer, text: str) -> bool:
        """Is ``text`` a case's acceptance number (:func:`number_text`) that the customer was
        sent already (the notifications table: a message sent, not one :data:`UNDELIVERABLE`)?
        Why the table, not the case: a step's data says it ran, not that it sent (an operator
        may skip a failed send), and it keeps every number told, of the cases of every
        definition version, and of before this check. Read in the sending transaction: a case
        runs ``tell_customer`` once at a time, so no second send of its number runs beside."""
        if _NUMBER_TEXT.fullmatch(text) is None:
            return False
        sent = notifications.c
        query = sa.select(sent.id).where(
            sent.phone == phone_key(customer.phone),
            sent.text == text,
            sent.channel != UNDELIVERABLE,
        )
        return conn.execute(query.limit(1)).first() is not None

    def _send(
        self, conn: sa.Connection, name: str, customer: Customer, text: str, key: str | None
    ) -> bool:
        """Send ``text`` by the channel ``name``: a recorded one writes it in ``conn``'s
        transaction (with what the caller writes there: committed together, or neither),
        another adapter is called, given ``key`` when it takes one (:class:`Channel`).
        Whether it was sent (False: recorded as :data:`UNDELIVERABLE`)."""
        channel = self.channels.get(name)
        if channel is None:
            known = ", ".join(sorted(self.channels))
            raise PermanentApplicationError(
                f"no channel {name!r} to tell the customer by ({known})"
            )
        if isinstance(channel, RecordedChannel):
            return channel.record(conn, customer, text, key)
        if "key" in inspect.signature(channel.send).parameters:
            channel.send(customer, text, key=key)  # type: ignore[call-arg]
        else:
            channel.send(customer, text)
        return True  # (an adapter that cannot send raises)

    def tell_status(
        self,
        status_phone: str,
        status_channel: str,
        status_email: str | None,
        status_case: str,
        status_milestone: str,
        idempotency_key: str | None = None,
    ) -> None:
        """Tell the customer that case ``status_case`` reached the milestone
        ``status_milestone`` (:func:`status_text`, the brief status's label), through the
        channel they came by, as :meth:`notify_customer` does; once per case and milestone:
        a milestone reached again (the coordinator reviewing the case a second time, a
        second department handling it) or a repeated call tells nothing (no flood of the same
        news). The milestone is counted as told, and the notice recorded, in one
        transaction: a notice that could not be sent is not counted as told (the call fails
        and is retried), and a worker dying between the two leaves neither (the job run
        again tells the customer). Nor is one recorded as :data:`UNDELIVERABLE` (a landline
        without an e-mail address): the customer heard nothing, so the milestone reached
        again once they can be told (an address given meanwhile) tells it, as their
        acceptance number is told again (:meth:`notify_customer`); reached again while they
        cannot, it is not recorded again (:meth:`_lost_already`: one notice not delivered
        per case and milestone, as the day report counts them)."""
        told = {"phone": phone_key(status_phone or ""), "acceptance_no": status_case or "",
                "milestone": status_milestone}  # fmt: skip
        customer = Customer(status_phone, status_email or None)
        try:
            with self.db.begin() as conn:
                text = status_text(status_case, status_milestone)
                if self._lost_already(conn, status_channel, customer, text):
                    return
                # counted first: of two calls at once, the second finds it and tells nothing
                conn.execute(status_notices.insert().values(**told, at=self.now()))
                if not self._send(conn, status_channel, customer, text, idempotency_key):
                    notice = status_notices.c
                    conn.execute(status_notices.delete().where(
                        *(getattr(notice, column) == value for column, value in told.items())
                    ))  # fmt: skip
        except IntegrityError:
            return  # told already

    def _lost_already(self, conn: sa.Connection, name: str, customer: Customer, text: str) -> bool:
        """Would ``text`` to ``customer`` by the channel ``name`` be :data:`UNDELIVERABLE`
        again, the same text to the same phone recorded so already?"""
        channel = self.channels.get(name)
        if not isinstance(channel, RecordedChannel) or channel.route(customer)[0] != UNDELIVERABLE:
            return False
        lost = notifications.c
        query = sa.select(lost.id).where(
            lost.phone == phone_key(customer.phone),
            lost.text == text,
            lost.channel == UNDELIVERABLE,
        )
        return conn.execute(query.limit(1)).first() is not None

    def register(self, registry: ApplicationRegistry, *, asynchronous: bool = False) -> None:
        """Bind the applications. ``asynchronous=True`` when the CRM tables live in the
        engine's own SQLite file: each call then runs as an ``invoke`` job outside the
        engine's transaction (``run_due_jobs`` or a worker runs it), so the two never hold
        the file's write lock against each other."""
        for app_id, func in (
            ("lookup_customer", self.lookup_customer),
            ("next_acceptance_number", self.next_acceptance_number),
            ("record_history", self.record_history),
            ("notify_customer", self.notify_customer),
            ("tell_status", self.tell_status),
        ):
            registry.register(app_id, func, retries=2, asynchronous=asynchronous)

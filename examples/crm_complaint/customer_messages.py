"""What the CRM tells a customer and how: the texts (an acceptance number, a status notice),
the channels a message goes by (:class:`Channel`; :class:`RecordedChannel` writes it in the
notifications table for the gateway), and :class:`CustomerMessages`, the applications that
send them (``notify_customer``, ``tell_status``) and the queries of what was sent.

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

import inspect
import re
import runpy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from wfengine import PermanentApplicationError

#: the example's loader: each of its modules loaded once, by path (``siblings.py``)
sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]

phones, tables = sibling("phones"), sibling("tables")
phone_key, message_key = phones.phone_key, tables.message_key
notifications, status_notices = tables.notifications, tables.status_notices
UNDELIVERABLE = tables.UNDELIVERABLE


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


class Database(Protocol):
    """What a :class:`RecordedChannel` writes through: the CRM's database and clock
    (``crm.CrmApps``)."""

    db: sa.Engine

    def now(self) -> datetime: ...


class RecordedChannel:
    """A channel whose messages go into the notifications table: e-mail to the customer's
    address (``address="email"``; a customer without one is an error naming it), SMS to
    their phone (``address="phone"``)."""

    def __init__(self, apps: Database, name: str, address: str = "phone") -> None:
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


class CustomerMessages:
    """The CRM's applications that tell the customer (``notify_customer``, ``tell_status``)
    and what it told them (:meth:`sent`, :meth:`told_milestones`). A part of ``crm.CrmApps``,
    which opens ``db``, keeps the clock (``now``) and the ``channels``."""

    db: sa.Engine
    channels: dict[str, Channel]
    now: Callable[[], datetime]

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

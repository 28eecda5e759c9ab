"""The CRM side of the complaint example: customers, their complaint history, acceptance
numbers and the messages to the customer, in the same database as the engine (SQLAlchemy), and
the applications ``complaint.xpdl`` calls.

``CrmApps(url).register(engine.applications)`` binds them; ``url`` is the engine's database
(``sqlite:///wfengine.db``) or any other. The tables are created when missing, and those an
earlier ``crm.py`` made are upgraded in place, every row kept (``schema.py``: their version is
kept in ``crm_schema_version``; a newer one is refused).

This module is what hosts call (``crm.CrmApps``, ``crm.take_complaint``, ``crm.phone_key``,
``crm.find_case``, ...); its parts are modules of their own, each re-exported here:

* ``tables.py``: the CRM's tables, and how they keep keys, outcomes and messages not sent;
* ``customer_records.py``: the customer import and the look-up at intake (``add_customers``,
  ``lookup_customer``);
* ``numbering.py``: acceptance numbers (``next_acceptance_number``), :func:`find_case` and a
  phone's open cases (``open_cases``);
* ``history.py``: the complaint history (``history``, ``record_history``, ``subscribe``);
* ``customer_messages.py``: what the customer is told and by which channel
  (``notify_customer``, ``tell_status``, ``sent``, :class:`Channel`);
* ``intake.py``: the intake, the people's forms and the customers' replies, acting on the
  engine only; ``phones.py``: one key for every way of writing one phone number.

:class:`CrmApps` is those parts together: one database, one clock, the channels, and the
applications :meth:`CrmApps.register` binds.

A phone number is keyed as written nowhere: :func:`phone_key` reduces it to the national
number (``"+86 138 0000 0101"``, ``"0086-138-0000-0101"``, ``"86 138 0000 0101"`` and
``"13800000101"`` are one customer, as are ``"010 5550 0101"`` and ``"+86 10 5550 0101"``: a
hotline agent and a web form write the same phone differently), in every table and lookup.
The process keys its cases the same way: ``lookup_customer`` gives the phone's key, which
replaces what was typed in the case's ``phone`` field, so the engine's correlation (phone and
acceptance number, :func:`find_case`) and the web centre's status table find a case whichever
way the customer writes their number.
"""

from __future__ import annotations

import runpy
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from wfengine import ApplicationRegistry

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
#: the CRM's tables (``tables.py``)
tables = sibling("tables")
metadata, schema_version, customers = tables.metadata, tables.schema_version, tables.customers
acceptance_numbers, complaint_history = tables.acceptance_numbers, tables.complaint_history
notifications, status_notices = tables.notifications, tables.status_notices
ANSWERED_AT_ONCE, ANSWERED, CLOSED_WITHOUT_ACTION = (
    tables.ANSWERED_AT_ONCE, tables.ANSWERED, tables.CLOSED_WITHOUT_ACTION)  # fmt: skip
TERMINATED, ABORTED, OUTCOMES = tables.TERMINATED, tables.ABORTED, tables.OUTCOMES
UNDELIVERABLE, message_key, call_case = tables.UNDELIVERABLE, tables.message_key, tables.call_case
#: what the customer is told and how (``customer_messages.py``)
customer_messages = sibling("customer_messages")
number_text, status_text = customer_messages.number_text, customer_messages.status_text
Customer, Channel = customer_messages.Customer, customer_messages.Channel
RecordedChannel = customer_messages.RecordedChannel
#: the customer records, the numbering (and a case by its number), the history
customer_records, numbering, history = (
    sibling("customer_records"), sibling("numbering"), sibling("history"))  # fmt: skip
find_case, PROCESS = numbering.find_case, history.PROCESS


class CrmApps(
    customer_records.CustomerRecords,
    numbering.AcceptanceNumbering,
    history.ComplaintHistory,
    customer_messages.CustomerMessages,
):
    """The CRM database and the applications the complaint process calls: the customer
    records, the numbering, the history and the messages (each a module of its own, see the
    module notes), on one database, one clock and the channels."""

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

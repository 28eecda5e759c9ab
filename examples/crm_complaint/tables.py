"""The CRM's tables (SQLAlchemy Core, in the engine's database or any other) and how they
keep what the applications write: an application call's idempotency key (:func:`message_key`),
the case a call is made for (:func:`call_case`), how a case ended (:data:`OUTCOMES`), a
message that could not be sent (:data:`UNDELIVERABLE`).

Why a module of its own: every part of the CRM reads or writes these tables (the customer
records, the numbering, the history, the messages), and ``schema.py`` upgrades them in place
from what an earlier ``crm.py`` made; ``crm.py`` re-exports them (``crm.metadata``,
``crm.notifications``, ...).

Acceptance numbers are unique under the customer's phone number: the table's primary key is
(phone, number), so two engine processes giving numbers at once cannot both take the same one
(the loser of the race takes the next); looking a case up by phone and number is a
primary-key hit. Every phone column holds the phone's key (``phones.phone_key``), never the
number as typed.
"""

from __future__ import annotations

import hashlib
import runpy
from pathlib import Path

import sqlalchemy as sa

#: the example's loader: each of its modules loaded once, by path (``siblings.py``)
sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]

schema, phones = sibling("schema"), sibling("phones")
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
    #: the case (process instance) whose call took it (:func:`call_case`: its id and nonce;
    #: an earlier version kept the id alone, ``numbering`` reads the case from the call's
    #: ``idempotency_key`` then; NULL: not known, as for the numbers of an earlier version):
    #: a case keeps only a number it took
    sa.Column("taken_by", sa.String(200)),
)

#: the phone column of a history record whose case had no phone the CRM keys (an operator
#: ended it before ``lookup_customer`` keyed one: ``history.record_closing``). No lookup
#: reads it: every lookup by phone refuses a phone without a key (``phones.lookup_key``), so
#: no customer is shown such a case; staff read them with ``CrmApps.history_without_phone``
NO_PHONE = ""

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


#: the notifications table's channel of a message that could not be sent: an SMS to a
#: landline (or a foreign number) of a case without an e-mail address
UNDELIVERABLE = "undeliverable"


def message_key(key: str | None) -> str | None:
    """An application call's idempotency key as the notifications table keeps it: as given,
    or its SHA-256 when longer than the column (keys name instances and activities, which
    a definition may name at length)."""
    if key is None or len(key) <= 200:
        return key
    return "sha256 " + hashlib.sha256(key.encode()).hexdigest()


def call_case(key: str | None) -> str | None:
    """The case (process instance) an application call is made for, as its idempotency key
    names it, as :func:`message_key` keeps it: the instance's id (the engine's keys begin with
    it and a colon) and the stamp they end with (``@`` and the instance's nonce:
    ``pi-1:accept.1/0/0@94a0f7531668`` is the case ``pi-1@94a0f7531668``); None for a call
    without a key, or a key of another form.

    Why the stamp: instance ids restart at ``pi-1`` in every database and every in-memory
    engine (each ``wfengine run`` starts one), and the CRM's database outlives them, so an id
    alone named every run's first case as one: a later run's case kept the acceptance number
    of an earlier one, and its history and notices went under that number. The nonce is the
    instance's own, the same in every call it makes, so the two together tell a case apart
    in any CRM database. A key without a stamp (a host's direct call) names the id alone."""
    case, colon, rest = (key or "").partition(":")
    if not (colon and case):
        return None
    _, at, stamp = rest.rpartition("@")
    return message_key(f"{case}@{stamp}" if at and stamp else case)


def closing_case(instance_id: str, key: str) -> str:
    """The case an outbox entry of ``instance_id`` is about, named as :func:`call_case` names
    it: the entry's ``key`` begins with the instance's id and its stamp
    (``pi-1@94a0f7531668/closed``); the id alone when it does not."""
    if not key.startswith(instance_id + "@"):
        return instance_id
    stamp = key[len(instance_id) :].partition("/")[0]
    return message_key(instance_id + stamp) or instance_id

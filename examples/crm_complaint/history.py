"""The customers' complaint history: every case that ends, with how it ended (``outcome``:
answered at once, answered, closed without action by the coordinator, which the process
records through ``record_history``; terminated or aborted by an operator, which the process
cannot record, as it runs no further: :meth:`ComplaintHistory.subscribe` records them from the
engine's outbox), found by phone or by phone and acceptance number
(:meth:`ComplaintHistory.history`). A case is recorded once. A case whose phone the CRM
cannot key (ended by an operator before it was keyed) is recorded under no phone
(``tables.NO_PHONE``), for staff (:meth:`ComplaintHistory.history_without_phone`): a lookup
by such a phone is refused, so no customer reads another's complaint.
"""

from __future__ import annotations

import runpy
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from wfengine import PermanentApplicationError

#: the example's loader: each of its modules loaded once, by path (``siblings.py``)
sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]

schema, phones, tables = sibling("schema"), sibling("phones"), sibling("tables")
phone_key, complaint_history = phones.phone_key, tables.complaint_history
ANSWERED, OUTCOMES = tables.ANSWERED, tables.OUTCOMES

#: the complaint process (``complaint.xpdl``)
PROCESS = "complaint"
#: an instance's closing state (the outbox's ``instance.state_changed``) -> the outcome: the
#: states recorded (``crm_apps`` looks here before opening the CRM's database for an entry)
CLOSED_BY_OPERATOR = {"closed.terminated": tables.TERMINATED, "closed.aborted": tables.ABORTED}


class ComplaintHistory:
    """The complaint history table: what a host reads of it and how cases get into it. A
    part of ``crm.CrmApps``, which opens ``db`` and keeps the clock (``now``)."""

    db: sa.Engine
    now: Callable[[], datetime]

    def history(self, phone: str, acceptance_no: str | None = None) -> list[dict[str, Any]]:
        """The customer's complaint history, oldest first: every case of the phone, or the
        one of ``acceptance_no`` (each written any way); each with how it ended
        (``outcome``). A phone the CRM keys no case under (none, ``"abc"``, ``"+"``) is
        refused, a ``DataTypeError`` naming ``phone`` (:func:`phones.lookup_key`): the cases
        recorded without a usable phone are no one's to read
        (:meth:`history_without_phone`)."""
        query = (
            sa.select(complaint_history)
            .where(complaint_history.c.phone == phones.lookup_key(phone))
            .order_by(complaint_history.c.id)
        )
        if acceptance_no is not None:
            number = phones.lookup_number(acceptance_no)
            query = query.where(complaint_history.c.acceptance_no == number)
        with self.db.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def history_without_phone(self) -> list[dict[str, Any]]:
        """The cases recorded without a phone the CRM keys (``tables.NO_PHONE``: ended by an
        operator before ``lookup_customer`` keyed one), oldest first, for staff: no customer
        lookup returns them. Each record's ``case_key`` names its instance
        (``instance pi-1@<nonce>``), whose data keep the phone as it was typed."""
        query = (
            sa.select(complaint_history)
            .where(complaint_history.c.phone == tables.NO_PHONE)
            .order_by(complaint_history.c.id)
        )
        with self.db.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

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
        (answered at once, ended before numbering) is the instance ``case`` (the closing's:
        its id and nonce, ``tables.closing_case``),
        else the call's ``idempotency_key`` (the engine gives every attempt of one call the
        same), else the record itself (a direct call repeated)."""
        if history_outcome not in OUTCOMES:
            raise PermanentApplicationError(
                f"history_outcome: {history_outcome!r} is none of {', '.join(OUTCOMES)}"
            )
        try:
            phone, number = _recorded_phone(history_phone), history_acceptance or None
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
            outcome = CLOSED_BY_OPERATOR.get(record.payload.get("state"))
            if outcome is None or record.payload.get("process_id") != PROCESS:
                return
            data = engine.instance(record.instance_id).data
            self.record_history(
                str(data.get("phone") or ""), str(data.get("text") or ""), "",
                str(data.get("acceptance_no") or ""), outcome,
                case=tables.closing_case(record.instance_id, record.key),
            )  # fmt: skip

        return closed

    def subscribe(self, handlers: Any, engine: Any) -> None:
        """Keep the history of the cases an operator ends (:meth:`record_closing`):
        ``handlers`` is the engine's ``engine.outbox.handlers`` (or a worker's
        ``subscribe(outbox)`` argument, with an engine reading the same database)."""
        handlers.subscribe(self.record_closing(engine), ["instance.state_changed"])


def _recorded_phone(phone: object) -> str:
    """The phone a history record is kept under: its key, or :data:`tables.NO_PHONE` for a
    phone the CRM keys no case under (``phones.refusal``: ``"n/a"``, none, a spreadsheet's
    ``"13800000101.0"``). Why: such a case (ended by an operator before ``lookup_customer``
    keyed its phone) must stay recorded for staff, and be read by no customer: under its
    would-be key (``""``, or the 12 digits of a float's text, a stranger's number) a lookup
    could reach it; under ``NO_PHONE`` none does (every lookup refuses such a phone)."""
    return tables.NO_PHONE if phones.refusal(phone) is not None else phone_key(str(phone))

"""Acceptance numbers: the next one under a customer's phone (``next_acceptance_number``,
the application ``accept`` calls: a case is numbered once, a retried call given the number it
took), a case found by its phone and number (:func:`find_case`), and the open cases of a
phone (``open_cases``: a customer on the hotline who gives their phone number only).

A phone number is keyed as written nowhere: ``phones.phone_key`` reduces it to the national
number (``"+86 138 0000 0101"``, ``"0086-138-0000-0101"``, ``"86 138 0000 0101"`` and
``"13800000101"`` are one customer, as are ``"010 5550 0101"`` and ``"+86 10 5550 0101"``),
so a customer has one numbering, and the engine's correlation (phone and acceptance number)
finds a case whichever way the customer writes their number.
"""

from __future__ import annotations

import itertools
import runpy
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from wfengine.errors import NotFoundError

#: the example's loader: each of its modules loaded once, by path (``siblings.py``)
sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]

phones, tables = sibling("phones"), sibling("tables")
phone_key, acceptance_label = phones.phone_key, phones.acceptance_label
acceptance_numbers, call_case, message_key = (
    tables.acceptance_numbers, tables.call_case, tables.message_key)  # fmt: skip


def find_case(engine: Any, phone: str, acceptance_no: str) -> str:
    """The open case (an instance id) of acceptance number ``acceptance_no`` under ``phone``,
    both written any way (:func:`phone_key`, ``phones.acceptance_key``): the engine's
    correlation index, a key hit
    (``NotFoundError`` when no open case matches; ``DataTypeError`` naming ``phone`` for a
    phone the CRM keys no case under, :func:`phones.lookup_key`, and naming
    ``acceptance_no`` for a number that is none or no text, :func:`phones.lookup_number`)."""
    found: str = engine.correlated_instance(
        {"phone": phones.lookup_key(phone), "acceptance_no": phones.lookup_number(acceptance_no)}
    )
    return found


class AcceptanceNumbering:
    """The acceptance numbers table: the application that numbers a case. A part of
    ``crm.CrmApps``, which opens ``db`` and keeps the clock (``now``)."""

    db: sa.Engine
    now: Callable[[], datetime]

    def next_acceptance_number(
        self,
        acceptance_phone: str,
        acceptance_current: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """The next acceptance number under this phone number (unique: ``tables.py``), and
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

    def open_cases(self, engine: Any, phone: str) -> list[tuple[str, str]]:
        """The open cases under ``phone`` (written any way, :func:`phone_key`), as
        ``(acceptance number, instance id)`` pairs in the order they were numbered: what the
        call centre looks up when a customer on the hotline gives their phone number and not
        the acceptance number (the source's "by acceptance number or by phone number"); each
        case's brief status is then ``brief_status(engine, instance_id)``. The numbers come
        from this CRM's table, the cases from the engine's correlation index (a key hit per
        number, as :func:`find_case`); a case that ended is left out: it is in the history
        (``CrmApps.history(phone)``). Why: inside, only :func:`find_case` (which needs the
        number) and the history (ended cases) read by phone, and the web centre's table
        outside is as old as its last export. A phone the CRM keys no case under is refused
        as :func:`find_case` refuses it (``DataTypeError`` naming ``phone``)."""
        key = phones.lookup_key(phone)
        taken = acceptance_numbers.c
        query = sa.select(taken.number).where(taken.phone == key).order_by(taken.number)
        with self.db.connect() as conn:
            numbers = conn.execute(query).scalars().all()
        found: list[tuple[str, str]] = []
        for number in numbers:
            label = acceptance_label(key, number)
            try:
                found.append((label, find_case(engine, key, label)))
            except NotFoundError:
                continue  # ended (in the history), or its call started no case
        return found

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
        taken = acceptance_numbers.c
        query = sa.select(taken.taken_by, taken.idempotency_key).where(
            taken.phone == phone, taken.number == number
        )
        with self.db.connect() as conn:
            row = conn.execute(query).first()
        return row is not None and (case is None or _owner(row) in (None, case))


def _owner(row: Any) -> str | None:
    """The case a number was given to (:func:`call_case`), as its row keeps it: ``taken_by``;
    None when not known (a number taken before numbers kept their case, or by a call without
    a key). Why the key too: an earlier version kept the instance's id alone (``pi-1``, no
    ``@`` and nonce), which every run's first case shares; the call's key still names the
    case whole (unless it was kept hashed, being long: then the id stands, which no case of
    this version's names, so a case sent back gets a number of its own, never another's)."""
    taken_by: str | None = row.taken_by
    key: str | None = row.idempotency_key
    if taken_by is None or "@" in taken_by or key is None or key.startswith("sha256 "):
        return taken_by
    return call_case(key)

"""The CRM's customers: their import (:meth:`CustomerRecords.add_customers`, refusing a row
the CRM could not serve) and their look-up at intake (``lookup_customer``, the application
``complaint.xpdl`` calls first).

A web complaint is answered by e-mail, so the web form captures the customer's address:
``take_complaint`` (the intake of both channels, ``intake.py``) refuses a web complaint
without a valid one (``DataTypeError`` naming ``email``, nothing started), and the case keeps
it in its ``email`` field, which the e-mail channel writes to. A case started another way is
checked again at intake (``lookup_customer``, which takes the customer table's address when
none was typed): a web complaint without a valid address stops in an incident naming it
before an acceptance number is taken, rather than telling the customer nothing.
"""

from __future__ import annotations

import runpy
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from wfengine import PermanentApplicationError
from wfengine.errors import DataTypeError

#: the example's loader: each of its modules loaded once, by path (``siblings.py``)
sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]

phones, intake, tables = sibling("phones"), sibling("intake"), sibling("tables")
phone_key, email_address, customers = phones.phone_key, intake.email_address, tables.customers


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


class CustomerRecords:
    """The customer table: the import and the look-up at intake. A part of ``crm.CrmApps``,
    which opens ``db``."""

    db: sa.Engine

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

"""A host program written as README shows it type-checks under ``mypy --strict`` (the README
says CI uses it): registering an application in the call form and as a decorator keeps the
host's function typed, instead of "Untyped decorator makes function ... untyped".

One mypy run (it is slow), on a small host script in a temporary directory."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

HOST = textwrap.dedent(
    """
    from typing import Any, assert_type

    from wfengine import Engine

    engine = Engine()


    @engine.applications.register("lookupCustomer", retries=3, timeout=10)
    def lookup_customer(customer_id: str) -> dict[str, Any]:
        return {"name": customer_id}


    @engine.applications.register("audit")
    async def audit(entry: str, idempotency_key: str) -> None:
        return None


    def payout(amount: int) -> dict[str, int]:
        return {"paid": amount}


    same = engine.applications.register("payout", payout, asynchronous=True)
    assert_type(same(5), dict[str, int])
    assert_type(lookup_customer("c-1"), dict[str, Any])
    lookup_customer(1)  # E: kept its signature
    """
)


def test_register_keeps_the_host_function_typed_under_mypy_strict(tmp_path: Path) -> None:
    host = tmp_path / "host.py"
    host.write_text(HOST, encoding="utf-8")
    out, err, status = mypy_api.run(
        [
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            str(host),
        ]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    # exactly the one error planted on purpose: calling the decorated function with an int
    # proves mypy still sees its ``str`` parameter (an untyped function would accept it)
    assert len(errors) == 1, out + err
    planted = HOST.splitlines().index("lookup_customer(1)  # E: kept its signature") + 1
    assert f'host.py:{planted}: error: Argument 1 to "lookup_customer"' in errors[0], out
    assert status == 1


def _mypy_errors(tmp_path: Path, text: str) -> tuple[list[str], str]:
    """The errors ``mypy --strict`` finds in ``text`` written as a host's script, and all it
    said (for the failure message)."""
    host = tmp_path / "host.py"
    host.write_text(text, encoding="utf-8")
    args = ["--strict", "--no-error-summary", "--cache-dir", str(tmp_path / ".mypy_cache")]
    out, err, _ = mypy_api.run([*args, str(host)])
    return [line for line in out.splitlines() if ": error:" in line], out + err


HOST_TRANSACTION = textwrap.dedent(
    """
    from typing import assert_type

    import sqlalchemy as sa

    from wfengine import Engine

    engine = Engine(db_url="sqlite:///app.db")


    def orders(conn: sa.Connection) -> int:
        return int(conn.execute(sa.text("SELECT count(*) FROM host_orders")).scalar_one())


    assert_type(engine.store.transaction(orders), int)
    assert_type(engine.store.transaction(orders, write=False), int)
    """
)


def test_a_hosts_own_transaction_type_checks(tmp_path: Path) -> None:
    # README: "a host's own tables in the same database get the same with
    # engine.store.transaction(fn)"; engine.store is typed Store, which had no transaction
    errors, said = _mypy_errors(tmp_path, HOST_TRANSACTION)
    assert errors == [], said


HOST_DIRECTORY = textwrap.dedent(
    """
    from dataclasses import dataclass

    from wfengine import Engine, Notification, OrgUser, Organisation, Person, subscribe


    @dataclass
    class Staff:  # what the host's user table gives
        id: str
        name: str
        email: str | None = None
        phone: str | None = None


    class HostDirectory:
        def members(self, participant_id: str, participant: object = None) -> list[str]:
            return ["bob"]

        def user(self, user_id: str) -> Staff | None:
            return Staff(user_id, "Bob", email="bob@example.com")


    class Printer:
        def notify(self, notification: Notification, users: list[Person]) -> None:
            print(notification.subject, [u.email for u in users])


    class ByUnit:  # a notifier written for an Organisation's people (the crm example's)
        def notify(self, notification: Notification, users: list[OrgUser]) -> None:
            print(notification.subject, [u.units for u in users])


    directory = HostDirectory()
    engine = Engine(directory=directory)
    subscribe(engine.outbox.handlers, directory, [Printer()])
    organisation = Organisation.from_data({"users": [{"id": "ann"}]})
    ann: OrgUser | None = organisation.user("ann")
    subscribe(engine.outbox.handlers, organisation, [Printer(), ByUnit()])
    """
)


def test_a_hosts_own_directory_type_checks(tmp_path: Path) -> None:
    # README: a directory of your own returns user ids (a list was refused: typed tuple), and
    # its user(user_id) gives the person (typed OrgUser, which wfengine did not export)
    errors, said = _mypy_errors(tmp_path, HOST_DIRECTORY)
    assert errors == [], said

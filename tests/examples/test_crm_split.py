"""``crm.py`` split into modules named for what they hold (``tables.py``,
``customer_records.py``, ``numbering.py``, ``history.py``, ``customer_messages.py``) keeps
every name hosts, the README and the tests call as ``crm.X``, and ``CrmApps`` every method,
each the very object of the module that now holds it (one copy: ``siblings.py``)."""

from __future__ import annotations

import inspect

from tests.examples.example_modules import EXAMPLE, example_module

#: the public names of ``crm.py`` before the split
_NAMES = [
    "schema", "phones", "intake", "email_address", "check_agent", "submit_form",
    "take_complaint", "customer_reply", "AGENT_ROLE", "AGENT_FIELDS", "phone_key",
    "acceptance_label", "COUNTRY_CODE", "metadata", "schema_version", "customers",
    "acceptance_numbers", "ANSWERED_AT_ONCE", "ANSWERED", "CLOSED_WITHOUT_ACTION",
    "TERMINATED", "ABORTED", "OUTCOMES", "complaint_history", "notifications",
    "status_notices", "number_text", "status_text", "Customer", "Channel", "UNDELIVERABLE",
    "RecordedChannel", "message_key", "call_case", "PROCESS", "find_case", "CrmApps",
]  # fmt: skip
#: ``CrmApps``'s methods before the split (the applications' parameters are their contract)
_METHODS = [
    "now", "add_customers", "history", "told_milestones", "sent", "lookup_customer",
    "next_acceptance_number", "_taken", "record_history", "record_closing", "subscribe",
    "notify_customer", "_number_told", "_send", "tell_status", "_lost_already", "register",
]  # fmt: skip
#: where each part of ``crm.py`` now lives
_PARTS = {
    "tables": ["metadata", "customers", "notifications", "OUTCOMES", "UNDELIVERABLE",
               "message_key", "call_case"],
    "customer_messages": ["number_text", "status_text", "Customer", "Channel",
                          "RecordedChannel"],
    "numbering": ["find_case"],
    "history": ["PROCESS"],
}  # fmt: skip


def test_crm_keeps_its_names_each_from_the_module_that_holds_it() -> None:
    crm = example_module("crm")
    assert [n for n in _NAMES if not hasattr(crm, n)] == []
    for part, names in _PARTS.items():
        module = example_module(part)
        assert [n for n in names if getattr(crm, n) is not getattr(module, n)] == [], part
    assert [m for m in _METHODS if not callable(getattr(crm.CrmApps, m, None))] == []


def test_the_applications_keep_their_parameters() -> None:
    """The registry reads an application's parameters by name (``complaint.xpdl`` maps the
    case's fields to them)."""
    apps = example_module("crm").CrmApps
    assert list(inspect.signature(apps.next_acceptance_number).parameters) == [
        "self", "acceptance_phone", "acceptance_current", "idempotency_key"]  # fmt: skip
    assert list(inspect.signature(apps.tell_status).parameters) == [
        "self", "status_phone", "status_channel", "status_email", "status_case",
        "status_milestone", "idempotency_key"]  # fmt: skip


def test_no_module_of_the_example_is_near_the_projects_limit() -> None:
    """The project keeps modules small (``tests/test_structure.py``: 600 lines at most, about
    500 the aim); ``crm.py`` had 814."""
    lines = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in EXAMPLE.glob("*.py")}
    assert {name: n for name, n in lines.items() if n > 600} == {}
    assert lines["crm.py"] < 500

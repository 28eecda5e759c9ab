"""A lookup by a phone the CRM keys no case under is refused, naming ``phone``; a case an
operator ended before its phone was keyed stays recorded, for staff, under no phone.

Before, ``history("abc")``, ``history("")``, ``history("+")`` keyed ``""``, the key every such
case was recorded under, and returned strangers' complaints (a neighbour's address among
them); a ``None`` phone failed with a bare ``TypeError`` naming nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.examples.test_crm_complaint import (
    EXAMPLE,
    PHONE,
    Desk,
    crm_module,
    definition,
    desk,
    status_export,
)
from wfengine import Engine
from wfengine.errors import DataTypeError
from wfengine.worklist.org_files import load_organisation

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

UNKEYED = [None, "", "abc", "unknown", "+", "13800000101.0", 13800000101.0]
TEXT = "My neighbour's dog bit me; I live at 5 Elm St"


@pytest.fixture
def ended(tmp_path: Path) -> Iterator[tuple[Any, Engine, str]]:
    """A case started with a phone the CRM cannot key (an incident at ``lookup_customer``),
    terminated by an operator, its closing delivered: the CRM and the engine."""
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    with Engine(directory=load_organisation(EXAMPLE / "organisation.yaml")) as engine:
        crm.register(engine.applications)
        crm.subscribe(engine.outbox.handlers, engine)
        engine.deploy(definition.build())
        case = engine.start_process("complaint", {"phone": "n/a", "text": TEXT})
        assert [i.activity_id for i in engine.incidents(case)] == ["lookup_customer"]
        engine.terminate(case)
        engine.deliver_outbox()
        yield crm, engine, case


@pytest.mark.parametrize("phone", UNKEYED)
def test_the_history_of_a_phone_without_a_key_is_refused(
    ended: tuple[Any, Engine, str], phone: Any
) -> None:
    crm, _, _ = ended
    with pytest.raises(DataTypeError, match=r"^phone: .*nothing was looked up"):
        crm.history(phone)
    with pytest.raises(DataTypeError, match=r"^phone: "):
        crm.history(phone, "0101-0001")


def test_a_case_ended_before_its_phone_was_keyed_is_kept_for_staff_only(
    ended: tuple[Any, Engine, str],
) -> None:
    crm, _, case = ended
    [row] = crm.history_without_phone()
    assert (row["complaint"], row["outcome"], row["phone"]) == (TEXT, "terminated", "")
    assert row["case_key"].startswith(f"instance {case}@")  # names the instance
    assert crm.history(PHONE) == []


def test_a_case_of_a_phone_that_reads_as_a_float_is_no_strangers_history(
    ended: tuple[Any, Engine, str],
) -> None:
    """``"13800000101.0"`` keys the 12 digits ``138000001010``: recorded under them, the
    case was shown to whoever looked up that number."""
    crm, _, _ = ended
    crm.record_history("13800000101.0", "Float phone", "", "", "terminated", case="pi-9@x")
    assert crm.history("138000001010") == []
    assert [r["complaint"] for r in crm.history_without_phone()] == [TEXT, "Float phone"]


@pytest.mark.parametrize("phone", UNKEYED)
def test_find_case_refuses_a_phone_without_a_key(desk: Desk, phone: Any) -> None:
    desk.intake(agent="amy")
    with pytest.raises(DataTypeError, match=r"^phone: "):
        crm_module.find_case(desk.engine, phone, "0101-0001")


@pytest.mark.parametrize("phone", UNKEYED)
def test_the_web_desk_refuses_a_phone_without_a_key(desk: Desk, tmp_path: Path, phone: Any) -> None:
    desk.intake(agent="amy")
    key = status_export.new_key()
    web = status_export.WebDesk(f"sqlite:///{tmp_path / 'web.db'}", key)
    now = desk.clock.now()
    assert web.load(status_export.export_statuses(desk.engine, key, 1, now), now) == 1
    with pytest.raises(DataTypeError, match=r"^phone: "):
        web.lookup(phone)
    assert [c.acceptance_no for c in web.lookup(PHONE)] == ["0101-0001"]


@pytest.mark.parametrize("number", [None, 101, 101.0])
def test_a_lookup_by_an_acceptance_number_that_is_no_text_is_refused(
    desk: Desk, tmp_path: Path, number: Any
) -> None:
    """Before: a bare ``TypeError`` from ``unicodedata.normalize``, naming nothing."""
    desk.intake(agent="amy")
    words = r"^acceptance_no: .*nothing was looked up"
    with pytest.raises(DataTypeError, match=words):
        crm_module.find_case(desk.engine, PHONE, number)
    if number is None:
        return  # (history and the web desk read every case of the phone for none)
    with pytest.raises(DataTypeError, match=words):
        desk.crm.history(PHONE, number)
    web = status_export.WebDesk(f"sqlite:///{tmp_path / 'web.db'}", status_export.new_key())
    with pytest.raises(DataTypeError, match=words):
        web.lookup(PHONE, number)

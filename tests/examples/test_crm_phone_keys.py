"""The CRM complaint example's phone and acceptance-number keys: a spelling of no digits is
no phone number, and an acceptance number is found however its digits are typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk, status_export
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


@pytest.mark.parametrize("phone", ["+", "00", "＋", "+ ( )", "0086"])
def test_a_phone_of_no_digits_is_no_phone_number(desk: Desk, phone: str) -> None:
    """``"+"`` and ``"00"`` keyed as ``"+"``: such cases were numbered, all under one key.
    Now they are no number: the intake refuses them naming ``phone``, and an instance
    started without the intake's checks (``wfengine run``) stops before numbering, naming
    it."""
    assert crm_module.phone_key(phone) == ""
    with pytest.raises(DataTypeError, match=r"^phone: "):
        desk.intake(agent="amy", phone=phone)
    iid = desk.engine.start_process("complaint", {"phone": phone, "text": "Charged twice"})
    [incident] = desk.engine.incidents(iid)
    assert "no phone number" in incident.message
    assert desk.engine.instance(iid).data["acceptance_no"] is None


@pytest.mark.parametrize("typed", ["０１０１－０００１", "0101 0001", "01010001", " 0101-0001 "])
def test_an_acceptance_number_is_found_however_its_digits_are_typed(
    desk: Desk, typed: str, tmp_path: Path
) -> None:
    """An acceptance number typed in full-width digits (a Chinese input method) found no
    case, no history and no status outside: it is keyed as phones are, ``0101-0001``."""
    iid = desk.intake(agent="amy")
    assert crm_module.find_case(desk.engine, PHONE, typed) == iid
    key = status_export.new_key()
    web = status_export.WebDesk(f"sqlite:///{tmp_path / 'web.db'}", key)
    web.load(status_export.export_statuses(desk.engine, key, 1, desk.clock.now()), desk.clock.now())
    assert [c.acceptance_no for c in web.lookup(PHONE, typed)] == ["0101-0001"]
    desk.do(iid, "coordinate", "cora", decision="close", reply="Refunded")
    assert [h["answer"] for h in desk.crm.history(PHONE, typed)] == ["Refunded"]

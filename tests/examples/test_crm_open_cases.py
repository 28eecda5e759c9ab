"""A customer on the hotline who gives their phone number and not the acceptance number: the
call centre finds that phone's open cases inside (``CrmApps.open_cases``), each with its
brief status, however the phone is written; ended cases are the history's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.examples.example_modules import example_module
from wfengine import Engine, VirtualClock
from wfengine.audit.status import brief_status
from wfengine.errors import DataTypeError
from wfengine.worklist.org_files import load_organisation

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"
crm_module, definition = example_module("crm"), example_module("definition")


def test_a_phones_open_cases_are_found_by_the_phone_alone(tmp_path: Path) -> None:
    clock = VirtualClock()
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}", clock=clock)
    org = load_organisation(EXAMPLE / "organisation.yaml")
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}", clock=clock, directory=org) as engine:
        crm.register(engine.applications)
        engine.deploy(definition.build())

        def intake(phone: str, text: str) -> str:
            data = {"phone": phone, "text": text, "category": "billing"}
            case: str = crm_module.take_complaint(engine, data, agent="amy")
            return case

        first = intake("13800000101", "charged twice")
        closed = intake("+86 138 0000 0101", "wrong tariff")
        third = intake("0086-138-0000-0101", "no signal")
        intake("+86 139 5555 0101", "another customer's")  # same last digits, another phone
        [item] = engine.work_items(closed)
        engine.claim_work_item(item.id, "cora")
        crm_module.submit_form(engine, item.id, {"decision": "close", "reply": "Fixed"},
                               user="cora")  # fmt: skip

        found = crm.open_cases(engine, "138 0000 0101")
        assert found == [("0101-0001", first), ("0101-0003", third)]
        assert brief_status(engine, third).fields["acceptance_no"] == "0101-0003"
        [ended] = crm.history("13800000101")  # the ended one is in the history instead
        assert ended["acceptance_no"] == "0101-0002"
        assert crm.open_cases(engine, "010 5550 0101") == []  # no case under this phone
        with pytest.raises(DataTypeError, match="phone"):
            crm.open_cases(engine, "abc")

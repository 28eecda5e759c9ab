"""A phone number typed in digits of another script (a Chinese input method writes
full-width digits, ``１３８ ００００ ０１０１``) is the same customer as the number in ASCII:
one key (``crm.phone_key``), one acceptance numbering, the case found by either."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.examples.example_modules import example_module
from wfengine import Engine, VirtualClock
from wfengine.worklist.org_files import load_organisation

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"
PHONE = "+86 138 0000 0101"


def _module(name: str) -> ModuleType:
    return example_module(name)


crm = _module("crm")
definition = _module("definition")


@pytest.mark.parametrize(
    "typed",
    [
        "１３８ ００００ ０１０１",  # full-width (a Chinese input method)
        "＋８６ １３８ ００００ ０１０１",  # full-width plus and country code
        "００８６ １３８-００００-０１０１",
        "١٣٨٠٠٠٠٠١٠١",  # Arabic-Indic digits
    ],
)
def test_digits_of_any_script_make_the_ascii_key(typed: str) -> None:
    assert crm.phone_key(typed) == crm.phone_key(PHONE) == "13800000101"


def test_an_acceptance_label_is_written_in_ascii_digits() -> None:
    assert crm.acceptance_label("１３８ ００００ ０１０１", 7) == "0101-0007"


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Engine, Any]]:
    clock = VirtualClock()
    apps = crm.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}", clock=clock)
    apps.add_customers([{"phone": PHONE, "name": "Wei Zhang", "value": "gold"}])
    org = load_organisation(EXAMPLE / "organisation.yaml")
    with Engine(clock=clock, directory=org) as engine:
        apps.register(engine.applications)
        engine.deploy(definition.build())
        yield engine, apps


def test_a_full_width_phone_is_the_same_customer_and_numbering(
    setup: tuple[Engine, Any],
) -> None:
    """Before, the full-width phone was a new, standard customer whose first case was
    numbered ``０１０１-0001`` (read as the ASCII phone's 0101-0001), and the case was not
    found by the phone written in ASCII."""
    engine, apps = setup
    values = {"channel": "hotline", "category": "billing", "severity": 2, "text": "Charged"}
    first = crm.take_complaint(engine, {**values, "phone": PHONE}, agent="amy")
    second = crm.take_complaint(
        engine,
        {**values, "phone": "１３８ ００００ ０１０１", "channel": "web", "email": "w@example.net"},
    )
    data = [engine.instance(i).data for i in (first, second)]
    assert [d["acceptance_no"] for d in data] == ["0101-0001", "0101-0002"]
    assert [d["customer_value"] for d in data] == ["gold", "gold"]
    assert {d["phone"] for d in data} == {"13800000101"}
    assert crm.find_case(engine, "13800000101", "0101-0002") == second
    assert len(apps.sent("13800000101")) == 2

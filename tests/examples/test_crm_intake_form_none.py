"""The CRM complaint example refuses a complaint whose form is none (a web post without a
body) or no mapping with a ``DataTypeError`` naming the form, before anything starts.
Before, ``take_complaint(engine, None)`` failed with a bare ``TypeError: 'NoneType' object
is not iterable``, naming neither the form nor what to give."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


@pytest.mark.parametrize(
    ("form", "words"),
    [
        (None, "none given"),
        ("phone=13800000101", "a str, not a mapping"),
        ([("phone", PHONE)], "a list, not a mapping"),
    ],
)
def test_a_form_that_is_none_or_no_mapping_is_refused(desk: Desk, form: Any, words: str) -> None:
    with pytest.raises(DataTypeError, match=rf"^form: {words}; .*nothing was started"):
        crm_module.take_complaint(desk.engine, form, agent="amy")
    assert desk.engine.instance_summaries() == []


def test_a_form_of_any_mapping_is_taken(desk: Desk) -> None:
    form = MappingProxyType({"phone": PHONE, "channel": "hotline", "text": "Charged twice"})
    case = crm_module.take_complaint(desk.engine, form, agent="amy")
    assert desk.engine.instance(case).data["acceptance_no"] == "0101-0001"

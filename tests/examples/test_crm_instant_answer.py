"""The CRM complaint example refuses a complaint the customer was ``satisfied`` with at once
but no ``instant_answer`` was given (left out, none or blank), with a ``DataTypeError`` naming
``instant_answer``, before anything starts. Before, the case closed "answered at once" with an
empty answer filed in the complaint history, and never reached a person."""

from __future__ import annotations

from typing import Any

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, desk
from wfengine import ProcessState
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

_LEFT_OUT = object()


@pytest.mark.parametrize("answer", [_LEFT_OUT, None, "", "   "])
@pytest.mark.parametrize("satisfied", [True, "true", " True "])
def test_satisfied_without_an_answer_is_refused(desk: Desk, answer: Any, satisfied: Any) -> None:
    given = {} if answer is _LEFT_OUT else {"instant_answer": answer}
    with pytest.raises(DataTypeError, match=r"^instant_answer: "):
        desk.intake(agent="amy", satisfied=satisfied, **given)
    assert desk.engine.instance_summaries() == []
    assert desk.crm.sent(PHONE) == []
    assert desk.crm.history(PHONE) == []


def test_satisfied_with_an_answer_closes_and_files_it(desk: Desk) -> None:
    iid = desk.intake(agent="amy", satisfied=True, instant_answer="A hold, not a charge")
    assert desk.engine.instance(iid).state is ProcessState.COMPLETED
    [record] = desk.crm.history(PHONE)
    assert (record["answer"], record["outcome"]) == ("A hold, not a charge", "answered at once")


@pytest.mark.parametrize("satisfied", [False, "false"])
def test_not_satisfied_needs_no_answer(desk: Desk, satisfied: Any) -> None:
    iid = desk.intake(agent="amy", satisfied=satisfied)
    assert desk.engine.instance(iid).state.is_open  # into the workflow

"""The CRM complaint example: a customer's reply that comes while an operator has the case
suspended answers the question when the case is resumed. Since ``customer_reply`` sent the
reply with ``keep=False`` (so that one racing the three days' timeout answers no later
question), a suspended case counted as not waiting: the reply was filed in ``customer_info``
and, once resumed, the case timed out as though the customer had never answered.

A reply after the three days ran out during the suspension is still filed: the timeout comes
first on resume, and a kept reply would answer the coordinator's next question. So is a second
reply during the suspension (one reply is kept already): kept too, it answered the coordinator's
next question before the customer had seen it; it is added after the first instead, and the
coordinator reads both."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.examples.test_crm_complaint import Desk, crm_module, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


def _ask(desk: Desk) -> str:
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which card?")
    return iid


def test_a_reply_to_a_suspended_case_answers_the_question_on_resume(desk: Desk) -> None:
    iid = _ask(desk)
    desk.engine.suspend(iid)
    assert crm_module.customer_reply(desk.engine, iid, "the Visa") is True
    desk.clock.advance(timedelta(hours=1))
    desk.engine.resume(iid)
    open_now = {a.activity_id for a in desk.engine.activity_instances(iid) if a.state.is_open}
    assert "customer_reply" not in open_now and "no_reply" not in open_now
    desk.clock.advance(timedelta(days=3))  # the three days would have run out by now
    data = desk.engine.instance(iid).data
    assert (data["customer_timed_out"], data["customer_info"]) == (False, "the Visa")
    assert desk.item(iid, "coordinate") is not None  # the coordinator has the case back


def test_a_reply_after_the_three_days_ran_out_in_a_suspension_answers_no_later_question(
    desk: Desk,
) -> None:
    iid = _ask(desk)
    desk.engine.suspend(iid)
    desk.clock.advance(timedelta(days=3, hours=1))  # suspended: the timer waits for the resume
    assert crm_module.customer_reply(desk.engine, iid, "the Visa") is False
    desk.engine.resume(iid)
    data = desk.engine.instance(iid).data
    assert (data["customer_timed_out"], data["customer_info"]) == (True, "the Visa")
    assert not any(e.kind == "message.kept" for e in desk.engine.audit(iid))
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Since when?")
    assert desk.stage(iid) == "Asked you for more information"  # waits for the new answer


def test_a_second_reply_in_a_suspension_is_added_to_the_first_and_answers_no_later_question(
    desk: Desk,
) -> None:
    iid = _ask(desk)
    desk.engine.suspend(iid)
    assert crm_module.customer_reply(desk.engine, iid, "the Visa") is True
    assert crm_module.customer_reply(desk.engine, iid, "sorry, the Mastercard") is False
    desk.engine.resume(iid)
    data = desk.engine.instance(iid).data
    assert data["customer_info"] == "the Visa\nsorry, the Mastercard"  # both, in order
    assert data["customer_timed_out"] is False
    assert sum(e.kind == "message.kept" for e in desk.engine.audit(iid)) == 1
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Since when?")
    assert desk.stage(iid) == "Asked you for more information"  # waits for the new answer
    assert desk.engine.instance(iid).data["customer_info"] == ""
    assert desk.engine.waits_for_message(iid, "customer_reply")


@pytest.mark.parametrize("reply", [None, "", "  \n "])
def test_a_blank_reply_is_refused_and_the_case_still_waits(desk: Desk, reply: object) -> None:
    iid = _ask(desk)
    with pytest.raises(DataTypeError, match=r"^reply: "):
        crm_module.customer_reply(desk.engine, iid, reply)  # type: ignore[arg-type]
    assert desk.stage(iid) == "Asked you for more information"  # still waits for the answer
    assert crm_module.customer_reply(desk.engine, iid, "the Visa") is True
    assert desk.engine.instance(iid).data["customer_info"] == "the Visa"

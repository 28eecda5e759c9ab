"""The CRM complaint example: a customer's reply that races the three days running out never
answers the next question. ``crm.customer_reply`` checked "is the case waiting?" and then sent
the message as a second command; the timeout firing between the two left the message kept by
the engine, and the coordinator's next question was answered by it at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.examples.test_crm_complaint import Desk, crm_module, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


def test_a_reply_arriving_as_the_three_days_run_out_answers_no_later_question(
    desk: Desk,
) -> None:
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which card?")
    desk.clock.advance(timedelta(days=3) - timedelta(seconds=1))
    send = desk.engine.send_message

    def timeout_first(*args: Any, **kwargs: Any) -> bool:
        desk.clock.advance(timedelta(seconds=2))  # the three days run out just before
        taken: bool = send(*args, **kwargs)
        return taken

    desk.engine.send_message = timeout_first  # type: ignore[method-assign]
    try:
        assert crm_module.customer_reply(desk.engine, iid, "the Visa") is False
    finally:
        desk.engine.send_message = send  # type: ignore[method-assign]
    data = desk.engine.instance(iid).data
    assert (data["customer_timed_out"], data["customer_info"]) == (True, "the Visa")
    assert not any(e.kind == "message.kept" for e in desk.engine.audit(iid))
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Since when?")
    assert desk.stage(iid) == "Asked you for more information"  # waits for the new answer
    assert desk.engine.instance(iid).data["customer_info"] == ""
    assert crm_module.customer_reply(desk.engine, iid, "since Monday") is True
    assert desk.engine.instance(iid).data["customer_info"] == "since Monday"

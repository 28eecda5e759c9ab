"""The CRM complaint example: every message of a case names its acceptance number first, as
a status notice does. One phone may have two cases open: a question, an answer or an abort
that named no case left the customer unable to tell which complaint it was about, or which
number to reply under."""

from __future__ import annotations

from tests.examples.test_crm_complaint import PHONE, Desk, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


def test_questions_answers_and_aborts_name_the_case(desk: Desk) -> None:
    asked = desk.intake(agent="amy", text="Charged twice")
    answered = desk.intake(agent="amy", text="Line down", category="network")
    aborted = desk.intake(agent="amy", text="Third")
    desk.do(asked, "coordinate", "cora", decision="ask_customer", question="Which card?")
    desk.do(answered, "coordinate", "dan", decision="close", reply="We have fixed it.")
    desk.do(aborted, "coordinate", "cora", decision="abort", reply="We cannot help with that.")
    texts = [m["text"] for m in desk.crm.sent(PHONE)]
    assert "Your complaint 0101-0001: Which card?" in texts
    assert "Your complaint 0101-0002: We have fixed it." in texts
    assert "Your complaint 0101-0003: We cannot help with that." in texts
    assert all("0101-000" in t for t in texts)  # every message, status notices too
    # the history keeps the answer as written
    assert desk.crm.history(PHONE, "0101-0002")[0]["answer"] == "We have fixed it."

"""The CRM complaint example tells a customer their acceptance number once, and does tell it
after a send that failed. Before, ``tell_customer`` set ``told_number`` as it ended, which a
step an operator skips (the SMS gateway refused the text) also does: the coordinator's
send-back to ``tell_customer`` to tell the number then sent nothing, and the customer never
learnt it. Now the CRM keeps what it sent (``crm_notifications``) and sends a case's number
once per phone and number (``CrmApps.notify_customer``), whichever definition version the case
runs; a send that failed or was skipped sent nothing, so the send-back tells it (a case of the
ff9eb59 definition needs its ``told_number`` cleared first: test_crm_ff9eb59_skipped_send)."""

from __future__ import annotations

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk
from wfengine import PermanentApplicationError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

TOLD = "Your complaint is number 0101-0001"


def texts_sent(desk: Desk) -> list[str]:
    return [m["text"] for m in desk.crm.sent(PHONE)]


def intake_while_the_gateway_is_down(desk: Desk) -> tuple[str, dict[str, bool]]:
    """A hotline case whose texts the SMS gateway refuses for good while ``gateway["down"]``
    (its ``tell_customer`` stops in an incident): the case and the switch."""
    gateway = {"down": True}

    def notify(
        notify_phone: str,
        notify_channel: str,
        notify_text: str,
        notify_email: str | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        if gateway["down"]:
            raise PermanentApplicationError("SMS gateway: refused (account suspended)")
        desk.crm.notify_customer(notify_phone, notify_channel, notify_text, notify_email,
                                 idempotency_key)  # fmt: skip

    desk.engine.applications.register("notify_customer", notify, retries=0)
    return desk.intake(agent="amy"), gateway


def test_a_skipped_send_is_told_by_the_send_back_after_it(desk: Desk) -> None:
    iid, gateway = intake_while_the_gateway_is_down(desk)
    [incident] = desk.engine.incidents(iid)
    assert incident.activity_id == "tell_customer" and texts_sent(desk) == []
    desk.engine.skip_incident(incident.id, {})
    gateway["down"] = False
    item = desk.item(iid, "coordinate")
    desk.engine.claim_work_item(item.id, "cora")
    desk.engine.send_back_work_item(item.id, "cora", "tell_customer", "tell them their number")
    assert desk.engine.incidents(iid) == []
    assert texts_sent(desk) == [TOLD]
    desk.item(iid, "coordinate")  # the case goes on


def test_a_number_is_sent_once_per_phone_and_number_whatever_the_call(desk: Desk) -> None:
    """Calls of different keys (another step run, a case of another definition version):
    the number told is not told again, however the phone is written; another number is."""
    notify = desk.crm.notify_customer
    notify(PHONE, "hotline", TOLD, idempotency_key="pi-1:tell_customer:1")
    notify("13800000101", "hotline", TOLD, idempotency_key="pi-1:tell_customer:2")
    notify(PHONE, "hotline", "Your complaint is number 0101-0002", idempotency_key="pi-2:t:1")
    assert texts_sent(desk) == [TOLD, "Your complaint is number 0101-0002"]


def test_other_texts_are_sent_each_time(desk: Desk) -> None:
    """A question asked again is asked again: only an acceptance number is told once."""
    question = "Your complaint 0101-0001: Which card was charged?"
    for key in ("pi-1:ask:1", "pi-1:ask:2"):
        desk.crm.notify_customer(PHONE, "hotline", question, idempotency_key=key)
    assert texts_sent(desk) == [question, question]


def test_a_number_not_delivered_is_told_once_the_case_has_an_address(desk: Desk) -> None:
    """A landline takes no SMS: recorded as not deliverable, the number was not told, so a
    send-back after the case got an e-mail address tells it by e-mail."""
    landline, number = "010 5550 0101", "Your complaint is number 0101-0001"
    desk.crm.notify_customer(landline, "hotline", number, idempotency_key="pi-1:t:1")
    assert desk.crm.sent(landline) == []
    desk.crm.notify_customer(landline, "hotline", number, "wei@example.com", "pi-1:t:2")
    assert [(m["channel"], m["text"]) for m in desk.crm.sent(landline)] == [("email", number)]
    desk.crm.notify_customer(landline, "hotline", number, "wei@example.com", "pi-1:t:3")
    assert len(desk.crm.sent(landline)) == 1
    assert len(desk.crm.sent(landline, channel=crm_module.UNDELIVERABLE)) == 1

"""An acceptance number taken again by the same call (the engine's retry, with the call's
idempotency key, after the answer was lost) is the number the call took. Before, the CRM
ignored the key: the retry took a second number, and the case skipped the first."""

from __future__ import annotations

from typing import Any

from tests.examples.test_crm_complaint import PHONE, Desk, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


def test_a_retried_call_is_given_the_number_it_took(desk: Desk) -> None:
    keys: list[str | None] = []

    def accept(
        acceptance_phone: str, acceptance_current: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        keys.append(idempotency_key)
        taken = desk.crm.next_acceptance_number(
            acceptance_phone, acceptance_current, idempotency_key=idempotency_key
        )
        if len(keys) == 1:
            raise RuntimeError("connection lost after the CRM committed")
        return taken

    desk.engine.applications.register("next_acceptance_number", accept, retries=2)
    iid = desk.intake(agent="amy")
    assert len(keys) == 2 and keys[0] is not None and keys[0] == keys[1]
    assert desk.engine.instance(iid).data["acceptance_no"] == "0101-0001"
    assert [m["text"] for m in desk.crm.sent(PHONE)] == ["Your complaint is number 0101-0001"]
    # the next case is the next number; a call without a key takes a new one each time
    assert desk.crm.next_acceptance_number(PHONE)["acceptance_number"] == "0101-0002"
    assert desk.crm.next_acceptance_number(PHONE)["acceptance_number"] == "0101-0003"

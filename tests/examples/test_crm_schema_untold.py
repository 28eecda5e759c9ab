"""Version 8 of the CRM's tables: a milestone a ``crm.py`` before 513e476 counted as told
though its every notice was recorded ``undeliverable`` is counted no longer, so it is told
once the case has an address. Before, the upgraded database kept it as told: the customer
never heard of it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from tests.examples.test_crm_complaint import crm_module as crm

LANDLINE, MOBILE = "010 5550 0101", "13800000101"
REVIEWED = "Reviewed by the coordinator"


def test_a_milestone_only_ever_undeliverable_is_told_after_the_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    apps = crm.CrmApps(url)
    text, now = crm.status_text("0101-0001", REVIEWED), apps.now()
    with apps.db.begin() as conn:  # what the crm.py of version 7 recorded
        for phone, channel in ((LANDLINE, crm.UNDELIVERABLE), (MOBILE, "sms")):
            key = crm.phone_key(phone)
            conn.execute(crm.status_notices.insert().values(
                phone=key, acceptance_no="0101-0001", milestone=REVIEWED, at=now))  # fmt: skip
            conn.execute(crm.notifications.insert().values(
                phone=key, channel=channel, address="", text=text, at=now))  # fmt: skip
        conn.execute(sa.text("UPDATE crm_schema_version SET version = 7"))
    apps.db.dispose()
    apps = crm.CrmApps(url)
    assert [m["phone"] for m in apps.told_milestones()] == [MOBILE]  # the one sent stays
    apps.tell_status(LANDLINE, "hotline", "li.na@example.com", "0101-0001", REVIEWED, "job-2")
    assert [(m["channel"], m["text"]) for m in apps.sent(LANDLINE)] == [("email", text)]

"""The CRM complaint example refuses at intake a phone whose key is longer than the CRM's
tables keep (``phones.KEY_LENGTH``, the length of every phone column), with a
``DataTypeError`` naming ``phone`` and the limit, before anything starts. Before, an extension
or a note pasted into the field passed intake; SQLite stored the long key, PostgreSQL refused
it (``StringDataRightTruncation``) and the case stopped in an incident at ``accept``."""

from __future__ import annotations

import pytest

from tests.examples.test_crm_complaint import Desk, _module, crm_module, desk
from wfengine import PermanentApplicationError
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

LIMIT = crm_module.phones.KEY_LENGTH
PASTED = "+86 138 0000 0101 ext. 1234 5678 9012 3456 7890 1234 5"


def test_every_phone_column_keeps_the_length_the_intake_allows() -> None:
    status_export = _module("status_export")
    tables = [*crm_module.metadata.tables.values(), *status_export.web_meta.tables.values()]
    lengths = {t.name: t.c.phone.type.length for t in tables if "phone" in t.c}
    assert len(lengths) == 6 and set(lengths.values()) == {LIMIT}, lengths


@pytest.mark.parametrize("phone", [PASTED, "5" * (LIMIT + 1), int("5" * (LIMIT + 1))])
def test_a_phone_longer_than_the_crm_keeps_is_refused_before_anything_starts(
    desk: Desk, phone: str | int
) -> None:
    assert len(crm_module.phone_key(str(phone))) > LIMIT
    with pytest.raises(DataTypeError, match=rf"^phone: .*at most {LIMIT}\).*nothing was started$"):
        desk.intake(agent="amy", phone=phone)
    assert desk.engine.instance_summaries() == []
    assert desk.crm.sent() == [] and desk.crm.sent(channel=crm_module.UNDELIVERABLE) == []


def test_a_phone_as_long_as_the_crm_keeps_is_taken(desk: Desk) -> None:
    iid = desk.intake(agent="amy", phone="5" * LIMIT)
    assert desk.engine.incidents(iid) == []
    assert desk.engine.instance(iid).data["acceptance_no"] == "5555-0001"


def test_a_case_started_another_way_stops_at_the_lookup_naming_the_phone(desk: Desk) -> None:
    with pytest.raises(PermanentApplicationError, match=rf"^phone: .*at most {LIMIT}\)"):
        desk.crm.lookup_customer(PASTED, "hotline")

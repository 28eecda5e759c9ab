"""A number the SMS gateway refused for good is tried again once the organisation gives the
user another number (the operator fixed it and retried the entry).

The notifier remembered refusals by user alone: the retry after the fix was refused again at
once, without asking the gateway, so the person whose number was mended never got the text.
The refusal now holds for the number it was given for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wfengine.errors import PermanentApplicationError
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser


class _Refusing(n.FileSmsGateway):
    """Refuses the numbers in ``refused`` for good; texts the rest; records every number."""

    def __init__(self, path: Path, refused: set[str]):
        super().__init__(path)
        self.refused = refused
        self.tried: list[str] = []

    def send_sms(self, phone: str, text: str, key: str) -> None:
        self.tried.append(phone)
        if phone in self.refused:
            raise PermanentApplicationError(f"{phone} not in service")
        super().send_sms(phone, text, key)


def _note(users: list[OrgUser]) -> n.Notification:
    return n.Notification("ob-1", "offered", "wi-1", "pi-1", "a", tuple(u.id for u in users))


def test_a_mended_number_is_texted_on_the_retry(tmp_path: Path) -> None:
    gateway = _Refusing(tmp_path / "sms.jsonl", refused={"+999"})
    notifier = n.SmsNotifier(gateway)
    ann, bob = OrgUser(id="ann", phone="+200"), OrgUser(id="bob", phone="+999")
    with pytest.raises(PermanentApplicationError, match="bob"):
        notifier.notify(_note([ann, bob]), [ann, bob])
    # the same number: still refused, not asked again
    with pytest.raises(PermanentApplicationError, match="bob"):
        notifier.notify(_note([ann, bob]), [ann, bob])
    assert gateway.tried == ["+200", "+999"]
    mended = OrgUser(id="bob", phone="+300")
    notifier.notify(_note([ann, mended]), [ann, mended])  # nothing refused: no error
    assert gateway.tried == ["+200", "+999", "+300"]
    texted = [json.loads(x)["phone"] for x in gateway.path.read_text().splitlines()]
    assert texted == ["+200", "+300"]

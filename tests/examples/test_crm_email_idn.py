"""The CRM example's web intake takes an e-mail address at an internationalised domain,
written in its ASCII form (``wei@mail.xn--fiqs8s``) or in Unicode (``wei@例子.中国``, kept in
its ASCII form, which every mail server takes). Before, both were refused as no e-mail
address: a customer of a ``.中国`` domain could not complain on the web."""

from __future__ import annotations

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("wei@mail.xn--fiqs8s", "wei@mail.xn--fiqs8s"),
        ("wei@例子.中国", "wei@xn--fsqu00a.xn--fiqs8s"),
        ("wei@Bücher.DE", "wei@xn--bcher-kva.de"),
    ],
)
def test_a_web_complaint_at_an_internationalised_domain_is_taken(
    desk: Desk, typed: str, kept: str
) -> None:
    iid = desk.intake(channel="web", email=typed)
    assert desk.engine.instance(iid).data["email"] == kept
    [told] = desk.crm.sent(PHONE)
    assert (told["channel"], told["address"]) == ("email", kept)


@pytest.mark.parametrize("typed", ["wei@例子", "wei@例子..中国", "wei@mail.xn--", "例@example.com"])
def test_no_address_is_still_refused(typed: str) -> None:
    with pytest.raises(DataTypeError, match=r"^email: .* is not an e-mail address"):
        crm_module.email_address(typed)

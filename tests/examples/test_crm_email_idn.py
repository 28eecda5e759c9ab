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


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("hans@straße.de", "hans@xn--strae-oqa.de"),  # not strasse.de: another domain
        ("anna@σοφίας.gr", "anna@xn--kxae4bobt.gr"),  # ς kept, not σοφίασ.gr
    ],
)
def test_an_internationalised_domain_is_kept_as_idna_2008_writes_it(typed: str, kept: str) -> None:
    """Python's own "idna" codec (IDNA 2003) kept ``hans@straße.de`` as ``hans@strasse.de``
    and ``σοφίας.gr`` as ``σοφίασ.gr``'s ASCII form: another domain, whose owner would have
    had the customer's mail. IDNA 2008 (UTS 46, non-transitional) keeps the domain typed."""
    assert crm_module.email_address(typed) == kept


def test_a_domain_with_a_zero_width_joiner_is_refused() -> None:
    """IDNA 2003 dropped the joiner (``exa\\u200dmple.com`` became ``example.com``, another
    domain); IDNA 2008 allows none there, so the address is refused, naming ``email``."""
    with pytest.raises(DataTypeError, match=r"^email: .* is not an e-mail address"):
        crm_module.email_address("wei@exa\u200dmple.com")

"""A sensitive value in a failure's text is masked in the forms the tool agents send it in
(a 4xx answer echoes the request): a duration as an ISO 8601 duration (``PT76H``, how
:func:`~wfengine.json_text.iso_duration` writes it), a decimal as a plain
number, a date-time at UTC with ``Z``. Only the ``str`` form was masked before."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from wfengine.applications.agents.http_json import iso_duration, json_default
from wfengine.applications.redaction import failure_text


def _echoed(name: str, value: object) -> str:
    """A service's 422 answer that echoes the JSON request an agent sent."""
    body = json.dumps({name: value}, default=json_default)
    return failure_text(ValueError(f"HTTP 422: invalid request {body}"), {name: value}, {name})


def test_a_sensitive_duration_is_masked_as_the_agents_send_it() -> None:
    wait = timedelta(days=3, hours=4)
    assert iso_duration(wait) == "PT76H"
    text = _echoed("wait", wait)
    assert "PT76H" not in text and "***" in text


def test_a_sensitive_decimal_is_masked_as_the_agents_send_it() -> None:
    for amount in (Decimal("1234.50"), Decimal("1E+4")):
        text = _echoed("amount", amount)
        assert str(json_default(amount)) not in text
        plain = failure_text(ValueError(f"amount {amount:f}"), {"amount": amount}, {"amount"})
        assert format(amount, "f") not in plain


def test_a_sensitive_utc_datetime_written_with_z_is_masked_whole() -> None:
    born = datetime(1980, 5, 17, 8, 30, tzinfo=UTC)
    echoed = born.isoformat().replace("+00:00", "Z")
    text = failure_text(ValueError(f"invalid {echoed}"), {"born": born}, {"born"})
    assert text == "ValueError: invalid ***"


def test_a_huge_decimal_is_not_written_out() -> None:
    huge = Decimal("1e999999")
    text = failure_text(ValueError("information"), {"n": huge}, {"n"})
    assert text == "ValueError: information"

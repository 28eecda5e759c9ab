"""A failure's text that quotes a sensitive DATE, DATETIME, duration or decimal shows it as
``***``, as it does texts and numbers: an incident read "born 1980-05-17"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from tests.runtime.conftest import run
from wfengine.applications.redaction import REDACTED, masked_text
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def test_dates_durations_and_decimals_are_masked_in_every_written_form() -> None:
    born = date(1980, 5, 17)
    seen = datetime(2024, 3, 1, 10, 20, 30, tzinfo=UTC)
    text = (
        f"born {born} ({born!r}), seen {seen} / {seen.isoformat()} on {seen.date()}, "
        f"waited {timedelta(hours=30)}, owes {Decimal('1234.50')}"
    )
    values = [born, seen, timedelta(hours=30), Decimal("1234.50")]
    assert masked_text(text, values) == (
        f"born {REDACTED} ({REDACTED}), seen {REDACTED} / {REDACTED} on {REDACTED}, "
        f"waited {REDACTED}, owes {REDACTED}"
    )
    assert masked_text("in 1980 and 2024", values) == "in 1980 and 2024"  # whole only


def test_an_application_echoing_a_sensitive_date_does_not_show_it(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("dob", "DATE", initial="1980-05-17", extended={"wfengine:sensitive": "true"})
    p.application("check", params=[("dob", "IN", "DATE")])
    p.activity("call", tool="check", args=["dob"])

    def check(dob: date) -> None:
        raise ValueError(f"no customer born {dob}")

    engine.applications.register("check", check)
    iid = run(engine, pb)
    (incident,) = engine.incidents(iid)
    assert f"born {REDACTED}" in incident.message
    told = repr([e.detail for e in engine.audit(iid)]) + incident.message
    assert "1980-05-17" not in told


def test_an_expression_failing_on_a_sensitive_date_does_not_show_it(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("dob", "DATE", initial="1980-05-17", extended={"wfengine:sensitive": "true"})
    p.application("check", params=[("d", "IN", "INTEGER")])
    p.activity("call", tool="check", args=["int(str(dob))"])
    engine.applications.register("check", lambda d: None)
    iid = run(engine, pb)
    (incident,) = engine.incidents(iid)
    assert "1980-05-17" not in incident.message

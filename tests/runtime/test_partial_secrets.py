"""A failure's text that quotes part of a secret shows that part as ``***`` too: an expression
on a slice of a sensitive field (``int(iban[5:])``) fails quoting the slice."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine.applications.redaction import REDACTED, masked_text
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine

IBAN = "DE89-3704-0044-0532-0130-00"


def test_an_expression_failing_on_part_of_a_secret_does_not_show_it(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("iban", "STRING", extended={"wfengine:sensitive": "true"})
    p.route("r", gateway="Exclusive")
    p.activity("domestic")
    p.activity("foreign")
    p.transition("r", "domestic", condition="int(iban[5:]) > 0")
    p.transition("r", "foreign", otherwise=True)
    iid = run(engine, pb, data={"iban": IBAN})
    (incident,) = engine.incidents(iid)
    assert f"base 10: '{REDACTED}'" in incident.message
    assert "int(iban[5:]) > 0" in incident.message  # the expression itself is told
    told = repr([e.detail for e in engine.audit(iid)])
    told += repr([r.payload for r in engine.outbox.entries()])
    assert "3704" not in told and "0130" not in told


def test_a_run_of_four_characters_of_a_secret_text_is_masked_wherever_it_is() -> None:
    assert masked_text("failed on '3704-0044' and 'x0532y'", [IBAN]) == (
        f"failed on '{REDACTED}' and 'x{REDACTED}y'"
    )
    assert masked_text("card 'DE8' ok", [IBAN]) == "card 'DE8' ok"  # shorter: left


def test_a_part_escaped_as_json_or_python_quotes_it_is_masked() -> None:
    secret = 'Jürgen "J" Groß\n'
    assert masked_text('{"name": "J\\u00fcrgen \\"J"}', [secret]) == '{"name": "***"}'
    assert masked_text("'Groß\\n'", [secret]) == f"'{REDACTED}'"


def test_a_sensitive_number_is_masked_whole_only() -> None:
    """Digits of a number also make years and counts: only the number itself is hidden."""
    assert masked_text("amount 123456 in 2024", [123456, 2024.5]) == f"amount {REDACTED} in 2024"


def test_a_text_with_no_part_of_a_secret_is_left_as_it_is() -> None:
    text = "instance 'pi-1', activity 'r': division by zero"
    assert masked_text(text, [IBAN, "s3cr3t", 42]) == text

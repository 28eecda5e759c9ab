"""One rule for a FLOAT written as text, wherever it comes from: a decimal number is the
nearest float, ``NaN``, ``inf`` and ``Infinity`` (signed, any case) are those values (README:
"a FLOAT also takes nan, inf, infinity"), and a number beyond a float's range (``1e309``)
is refused naming the field, never silently infinity. So for a FLOAT's initial value
(``initial-value-type``; ``NaN`` and ``Infinity`` in JavaScript, ``inf`` natively, were
``expression-unknown-name`` "no data field declared before it"), and for text given at run
time (``start_process``). A float given as such (``float('inf')``) is taken as before; a
JavaScript or Java global wfengine does not provide, in an initial value, is named as one
(``expression-foreign``, an error), not as a missing field."""

from __future__ import annotations

import math

import pytest

from wfengine import DataTypeError, Engine, PackageBuilder, VirtualClock, validate
from wfengine.definition.coercion import coerce
from wfengine.definition.model import BasicTypeKind, Package


def _package(initial: str | None, script: str | None = None, kind: str = "FLOAT") -> Package:
    b = PackageBuilder("p", script=script)
    b.participant("clerk")
    p = b.process("main")
    p.data_field("f", kind, initial=initial)
    p.start("s0")
    p.activity("w", performer="clerk")
    p.end("e")
    p.sequence("s0", "w", "e")
    return b.build()


def _findings(package: Package) -> list[tuple[str, str, str]]:
    return [(d.code, d.severity.name, d.message) for d in validate(package)]


def _started(package: Package, data: dict[str, object] | None = None) -> object:
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    return engine.instance(engine.start_process("main", data)).data["f"]


@pytest.mark.parametrize(
    ("initial", "script", "expected"),
    [
        ("NaN", "text/javascript", math.nan),
        ("Infinity", "text/javascript", math.inf),
        ("-Infinity", "text/javascript", -math.inf),
        ("inf", None, math.inf),
        ("-INF", None, -math.inf),
        ("nan", None, math.nan),
        ("1e308", None, 1e308),
    ],
)
def test_a_float_literal_reads_as_text_given_at_run_time(
    initial: str, script: str | None, expected: float
) -> None:
    package = _package(initial, script)
    assert _findings(package) == []
    value = _started(package)
    assert isinstance(value, float)
    assert math.isnan(value) if math.isnan(expected) else value == expected


@pytest.mark.parametrize("initial", ["1e309", "-1e309", "1" + "0" * 309])
@pytest.mark.parametrize("script", [None, "text/javascript"])
def test_a_float_literal_beyond_range_is_refused(initial: str, script: str | None) -> None:
    package = _package(initial, script)
    [(code, severity, message)] = _findings(package)
    assert (code, severity) == ("initial-value-type", "ERROR")
    assert message.startswith("the initial value of data field 'f' ")
    assert "beyond a FLOAT's range" in message and "infinity" in message


@pytest.mark.parametrize(
    ("initial", "script", "name"),
    [("NaN", "text/javascript", "JavaScript's 'NaN'"), ("Math.PI", "text/javascript", "'Math'")],
)
def test_an_unprovided_global_is_named_as_one(initial: str, script: str, name: str) -> None:
    kind = "INTEGER" if initial == "NaN" else "FLOAT"  # (NaN is no INTEGER literal)
    [(code, severity, message)] = _findings(_package(initial, script, kind))
    assert (code, severity) == ("expression-foreign", "ERROR")
    assert name in message and "does not provide" in message
    assert "no data field" not in message


@pytest.mark.parametrize("text", ["1e400", "-1e400", "9" * 400, "1" + "0" * 5000])
def test_text_beyond_range_given_at_run_time_is_refused(text: str) -> None:
    with pytest.raises(DataTypeError, match=r"data field 'f': expected FLOAT \(a number of"):
        _started(_package(None), {"f": text})
    with pytest.raises(ValueError, match=r"at most about 1\.8e\+308 in size"):
        coerce(text, BasicTypeKind.FLOAT)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("inf", math.inf), ("-Infinity", -math.inf), (math.inf, math.inf), ("1e308", 1e308)],
)
def test_infinity_named_or_given_is_taken(given: object, expected: float) -> None:
    assert _started(_package(None), {"f": given}) == expected


@pytest.mark.parametrize("text", ["ınf", "ınfınıty", "nAn", "-INF"])
def test_one_pattern_reads_the_infinities_for_literals_and_run_time_text(text: str) -> None:
    """A FLOAT literal and a FLOAT given as text take the same spellings of NaN and the
    infinities, by one ASCII pattern: ``ınf`` (a dotless i, which Unicode case folding
    matched) is no spelling of either, and the literal reader says so as it says it of any
    other text, not with ``float()``'s own message."""
    from wfengine.definition.literals import parse_literal

    ascii_spelling = text.isascii()
    try:
        literal: float | None = parse_literal(text, BasicTypeKind.FLOAT)
    except ValueError as exc:
        assert not ascii_spelling
        assert str(exc) == f"{text!r} is not a FLOAT"
        literal = None
    try:
        given: float | None = coerce(text, BasicTypeKind.FLOAT)
    except ValueError:
        given = None
    assert (literal is None) == (given is None) == (not ascii_spelling)
    if literal is not None and given is not None:
        assert str(literal) == str(given)

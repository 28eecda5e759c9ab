"""A call with an actual parameter too few or too many is ``parameter-count``'s error alone.
Before, the actuals were also paired with the formals by position, and findings named pairs
never meant: a ``parameter-type`` warning passing one field for another's formal, a
``parameter-mode`` error, a ``read-only-assigned`` error for a field only read, a
``sensitive-mark`` hint naming a parameter the field is not passed as. (The engine binds no
actual of such a call: a tool call does not deploy, a subflow call is an incident.)"""

from __future__ import annotations

from wfengine import PackageBuilder, validate
from wfengine.definition.model import Package


def _codes(package: Package) -> list[str]:
    return sorted(d.code for d in validate(package) if d.code != "unreachable-activity")


def test_a_missing_application_actual_is_only_a_count_error() -> None:
    """The one actual, meant for the BOOLEAN ``approved``, would pair with ``name``."""
    pb = PackageBuilder("pkg")
    pb.application("notify", params=[("name", "IN", "STRING"), ("approved", "IN", "BOOLEAN")])
    p = pb.process("main")
    p.data_field("ok", "BOOLEAN", initial="True")
    p.activity("tell", tool="notify", args=["ok"])
    assert _codes(pb.build()) == ["parameter-count"]


def test_an_actual_meant_for_an_in_formal_is_not_taken_for_the_out_one_before_it() -> None:
    """``'text'`` would pair with the OUT ``result`` (parameter-mode), ``rate``, read-only,
    with the OUT ``result`` of the second call (read-only-assigned)."""
    pb = PackageBuilder("pkg")
    pb.application("calc", params=[("result", "OUT", "FLOAT"), ("given", "IN", "STRING")])
    p = pb.process("main")
    p.data_field("rate", "FLOAT", initial="0.19", read_only=True)
    p.activity("a", tool="calc", args=["'text'"])
    p.activity("b", tool="calc", args=["rate"]).sequence("a", "b")
    assert _codes(pb.build()) == ["parameter-count", "parameter-count"]


def test_a_subflow_with_an_actual_too_few_writes_no_read_only_field() -> None:
    pb = PackageBuilder("pkg")
    called = pb.process("called", params=[("total", "OUT", "FLOAT"), ("rate", "IN", "FLOAT")])
    called.activity("x")
    p = pb.process("p")
    p.data_field("rate", "FLOAT", initial="0.19", read_only=True)
    p.subflow("w", process="called", args=["rate"])
    assert _codes(pb.build()) == ["parameter-count"]


def test_a_sensitive_field_s_hint_names_no_parameter_of_a_call_whose_counts_differ() -> None:
    pb = PackageBuilder("pkg")
    pb.application(
        "charge",
        params=[("card", "IN", "STRING"), ("pan", "IN", "STRING")],
        extended={"wfengine:sensitive": "number"},
    )
    p = pb.process("main")
    p.data_field("number", "STRING")
    p.activity("pay", tool="charge", args=["number"])
    [found] = [d for d in validate(pb.build()) if d.code == "sensitive-mark"]
    assert "'number' is a DataField" in found.message
    assert "passed as here" not in found.message


def test_a_call_whose_counts_agree_is_still_checked_pair_by_pair() -> None:
    pb = PackageBuilder("pkg")
    pb.application("notify", params=[("name", "IN", "STRING"), ("approved", "IN", "BOOLEAN")])
    pb.application("calc", params=[("result", "OUT", "FLOAT")])
    p = pb.process("main")
    p.data_field("ok", "BOOLEAN", initial="True")
    p.data_field("rate", "FLOAT", initial="0.19", read_only=True)
    p.activity("tell", tool="notify", args=["ok", "ok"])
    p.activity("b", tool="calc", args=["rate"]).sequence("tell", "b")
    assert _codes(pb.build()) == ["parameter-type", "read-only-assigned"]

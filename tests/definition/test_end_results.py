"""``end-result``: an end event whose Result the engine does not carry out (Compensation,
Multiple) is warned of; an instance reaching it ends its thread there, as at a None end event."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, ProcessState, validate


def _process(result: str | None) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER")
    p.start("s").activity("a", script="x = 1").end("e", result=result)
    p.sequence("s", "a", "e")
    return pb


@pytest.mark.parametrize(
    ("result", "would"),
    [("Compensation", "compensates nothing"), ("Multiple", "throws none of its results")],
)
def test_a_result_the_engine_does_not_carry_out_is_warned_of(result: str, would: str) -> None:
    [d] = [d for d in validate(_process(result).build()) if d.code == "end-result"]
    assert d.element_id == "e" and d.severity.value == "warning"
    assert d.message.startswith(f"end event 'e' in process 'main' has result {result!r}")
    assert d.message.endswith(
        f"so it {would}: an instance reaching it ends its thread there, as at a None end event"
    )
    with Engine() as engine:  # and the run does what the warning says
        engine.deploy(_process(result).build())
        iid = engine.start_process("main")
        assert engine.instance(iid).state is ProcessState.COMPLETED
        assert engine.trace(iid) == ["s", "a", "e"]


@pytest.mark.parametrize("result", [None, "Terminate", "Signal", "Message"])
def test_results_the_engine_carries_out_are_not(result: str | None) -> None:
    assert "end-result" not in [d.code for d in validate(_process(result).build())]

"""What the audit trail keeps of an application call: secrets hidden however they are named or
echoed, and an answer recorded in a form every store can hold."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine.applications.redaction import REDACTED
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine

CARD = "4111111111111111"


def test_a_sensitive_field_named_by_its_name_is_redacted_as_by_its_id(engine: Engine) -> None:
    """Expressions may name a field by its Name: the value it passes is as secret."""
    pb = PackageBuilder("pkg")
    pb.application("charge", params=[("number", "IN", "STRING")])
    p = pb.process("main")
    p.data_field(
        "f_7c1e",
        "STRING",
        name="card",
        initial=f'"{CARD}"',
        extended={"wfengine:sensitive": "true"},
    )
    p.activity("by_id", tool="charge", args=["f_7c1e"])
    p.activity("by_name", tool="charge", args=["card"])
    p.activity("computed", tool="charge", args=['card + ""'])
    p.transition("by_id", "by_name").transition("by_name", "computed")
    seen: list[str] = []
    engine.applications.register("charge", lambda number: seen.append(number))
    iid = run(engine, pb)
    assert seen == [CARD] * 3
    invoked = [e for e in engine.audit(iid) if e.kind == "application.invoked"]
    assert [e.activity_id for e in invoked] == ["by_id", "by_name", "computed"]
    assert [e.detail["inputs"] for e in invoked] == [{"number": REDACTED}] * 3
    assert not any(CARD in str(e.detail) for e in engine.audit(iid))

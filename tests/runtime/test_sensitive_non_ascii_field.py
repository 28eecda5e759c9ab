"""A sensitive field whose Id holds a non-ASCII letter (``kartennummer_ä``), passed to an
application, was written to the audit trail in clear: the words of an actual parameter were
read ASCII-only, so the field was not seen among them."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder


@pytest.mark.parametrize(
    "field", ["pan", "kartennummer_ä", "Äpfel", "名前", "कार्ड", "บัตร", "நமஸ்தே"]
)
@pytest.mark.parametrize("actual", ["{}", "{} + ''"])
def test_a_sensitive_field_is_hidden_whatever_letters_its_id_has(field: str, actual: str) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field(field, "STRING", initial="'4111'", extended={"wfengine:sensitive": "true"})
    p.application("charge", params=[("card", "IN", "STRING")])
    p.activity("call", tool="charge", args=[actual.format(field)]).activity("after")
    p.transition("call", "after")
    with Engine() as engine:
        engine.applications.register("charge", lambda card: None)
        engine.deploy(pb.build())
        iid = engine.start_process("main")
        [invoked] = [e for e in engine.audit(iid) if e.kind == "application.invoked"]
        assert invoked.detail["inputs"] == {"card": "***"}

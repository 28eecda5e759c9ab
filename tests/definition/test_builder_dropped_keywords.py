"""Builder keywords that used to be accepted and then silently left out of the definition."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder, multi_instance
from wfengine.definition.builder import BuildError
from wfengine.definition.model import Event, MIFlowCondition, XmlNode
from wfengine.definition.namespaces import XPDL22_NS

_TIMER = XmlNode(
    tag="{" + XPDL22_NS + "}TriggerTimer",
    children=(XmlNode(tag="{" + XPDL22_NS + "}TimeDate", text="2030-01-01T00:00:00Z"),),
)


def test_an_event_keyword_with_detail_is_refused() -> None:
    with pytest.raises(BuildError, match=r"^event 'wait': give detail= or timer=, not both"):
        PackageBuilder("p").process("m").intermediate("wait", timer="PT1H", detail=[_TIMER])


def test_detail_alone_is_kept_verbatim() -> None:
    pkg = PackageBuilder("p").process("m").intermediate("w", trigger="Timer", detail=[_TIMER])
    body = pkg.build().process("m").activity("w").body
    assert isinstance(body, Event) and body.detail == (_TIMER,)


@pytest.mark.parametrize(
    ("kwargs", "trigger"),
    [({"timer": "PT1H", "throw": True}, "Timer"), ({"throw": True}, "None")],
)
def test_throw_on_an_event_with_no_throwing_form_is_refused(
    kwargs: dict[str, object], trigger: str
) -> None:
    with pytest.raises(BuildError) as caught:
        PackageBuilder("p").process("m").intermediate("x", **kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(
        "event 'x': throw=True belongs to a Message, Signal or Link event"
    )
    assert str(caught.value).endswith(f"not {trigger}")


def test_throw_on_a_signal_is_written() -> None:
    pkg = PackageBuilder("p").process("m").intermediate("x", signal="go", throw=True).build()
    body = pkg.process("m").activity("x").body
    assert isinstance(body, Event) and ("CatchThrow", "THROW") in body.detail[0].attrs


def test_a_complex_flow_condition_needs_the_complex_flow() -> None:
    with pytest.raises(BuildError, match="complex_flow_condition= belongs to flow='Complex'"):
        multi_instance("3", complex_flow_condition="n >= 2")
    loop = multi_instance("3", flow="complex", complex_flow_condition="n >= 2")
    assert loop.flow_condition is MIFlowCondition.COMPLEX

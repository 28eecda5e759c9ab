"""An e-mail agent's ``to``, ``cc`` or ``body`` given None (a STRING field with no value) is
no text, as an unset ``subject`` already was: a message for its ``cc`` only is sent, a message
with no address in either is the permanent "no recipient" error, an unset body is empty.

Before, ``to`` None failed with a raw ``TypeError: can only join an iterable`` and ``body``
None with ``KeyError: 'builtins.NoneType'``, both retried as if temporary, and a message for
its ``cc`` was never sent.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.applications.fake_smtp import recording_agent, whole_message
from wfengine.applications.registry import ApplicationFunc
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import BasicType, FormalParameter
from wfengine.definition.model_enums import BasicTypeKind, ParameterMode
from wfengine.errors import PermanentApplicationError
from wfengine.runtime.engine import Engine


def _agent() -> tuple[ApplicationFunc, list[Any]]:
    return recording_agent(whole_message)


def test_a_message_with_to_unset_is_sent_to_its_cc() -> None:
    send, sent = _agent()
    send(to=None, cc="a@x.org", subject="s", body="b")
    [message] = sent
    assert message["Cc"] == "a@x.org"
    assert message["To"] is None


def test_to_and_cc_unset_is_the_permanent_no_recipient_error() -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError, match=r"no recipient: to=None .* to or cc"):
        send(to=None, cc=None, subject="s", body="b")
    assert sent == []


def test_an_unset_body_and_subject_send_an_empty_message() -> None:
    send, sent = _agent()
    send(to="a@x.org", subject=None, body=None)
    [message] = sent
    assert message["Subject"] == ""
    assert message.get_content().strip() == ""


def test_an_engine_sends_a_cc_only_message_from_unset_fields_once() -> None:
    """Through the engine: a STRING field with no value bound to ``to`` and ``body``."""
    b = PackageBuilder("pk")
    params = [(n, "IN", "STRING") for n in ("to", "cc", "subject", "body")]
    b.application("mail", params=params)
    p = b.process("p")
    for name in ("t", "c", "s", "b"):
        p.data_field(name, "STRING")
    p.start("start")
    p.activity("send", tool="mail", args=["t", "c", "s", "b"])
    p.end("end")
    p.sequence("start", "send", "end")
    engine = Engine()
    send, sent = _agent()
    engine.applications.register("mail", send, retries=2, backoff=0)
    engine.deploy(b.build())
    iid = engine.start_process("p", {"c": "a@x.org", "s": "hi"})
    assert engine.instance(iid).state.value == "closed.completed"
    assert [m["Cc"] for m in sent] == ["a@x.org"]


@pytest.mark.parametrize(
    ("given", "to", "cc"),
    [
        ({"to": ["a@x.org", None]}, "a@x.org", None),
        ({"to": "a@x.org", "cc": ["b@x.org", None]}, "a@x.org", "b@x.org"),
        ({"to": [None, "a@x.org", None], "cc": [None]}, "a@x.org", None),
    ],
)
def test_an_unset_item_in_a_list_of_addresses_is_passed_over(
    given: dict[str, Any], to: str, cc: str | None
) -> None:
    """Before, a None item (an ARRAY of STRING field's unset item) failed with a raw
    ``TypeError: sequence item 1: expected str instance``, retried as if temporary."""
    send, sent = _agent()
    send(**given, subject="s", body="b")
    [message] = sent
    assert (message["To"], message["Cc"]) == (to, cc)


def test_a_list_of_unset_items_is_the_permanent_no_recipient_error() -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError, match=r"no recipient: to=\[None\] holds"):
        send(to=[None], subject="s", body="b")
    assert sent == []


def test_an_engine_sends_to_an_array_field_with_an_unset_item_once() -> None:
    """Through the engine: an ARRAY of STRING field holding an unset item bound to ``to``."""
    b = PackageBuilder("pk")
    to = FormalParameter(
        id="to",
        mode=ParameterMode.IN,
        data_type=BasicType(type=BasicTypeKind.STRING),
        is_array=True,
    )
    b.application("mail", params=[to, ("body", "IN", "STRING")])
    p = b.process("p")
    p.data_field("t", "STRING", is_array=True)
    p.data_field("b", "STRING")
    p.start("start")
    p.activity("send", tool="mail", args=["t", "b"])
    p.end("end")
    p.sequence("start", "send", "end")
    engine = Engine()
    send, sent = _agent()
    engine.applications.register("mail", send, retries=2, backoff=0)
    engine.deploy(b.build())
    iid = engine.start_process("p", {"t": ["a@x.org", None, "b@x.org"], "b": "hi"})
    assert engine.instance(iid).state.value == "closed.completed"
    assert [m["To"] for m in sent] == ["a@x.org, b@x.org"]

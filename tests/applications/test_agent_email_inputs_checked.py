"""The e-mail agent's IN parameters: a number, boolean, date, time or duration given as the
``subject`` or ``body`` is written as its text, in the forms the HTTP and subprocess agents send
such values in; a value with no one text (a NaN, a list), a ``to`` or ``cc`` that is not text,
and a parameter the agent does not take (``recipient`` for ``to``) fail at once with a
:class:`PermanentApplicationError` naming the parameter, nothing sent; and the binding check
(``engine.applications.check``) reports the parameter it does not take before any call.

Before (a QA pass, repro_mail.py): an INTEGER body failed with ``KeyError: 'builtins.int'``,
an INTEGER subject with ``TypeError: 'int' object is not subscriptable`` and a parameter named
``recipient`` with Python's "unexpected keyword argument", each an ordinary ApplicationError
retried to an incident; the binding check said nothing of an agent binding.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.applications.fake_smtp import recording_agent, recording_smtp, whole_message
from wfengine import Engine, PackageBuilder, email_agent_factory
from wfengine.applications.registry import ApplicationFunc
from wfengine.definition.model import Package
from wfengine.errors import PermanentApplicationError


def _agent() -> tuple[ApplicationFunc, list[Any]]:
    return recording_agent(whole_message)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (42, "42"),
        (-7, "-7"),
        (2.5, "2.5"),
        (Decimal("12.50"), "12.50"),
        (True, "true"),
        (False, "false"),
        (date(2026, 12, 7), "2026-12-07"),
        (datetime(2026, 12, 7, 9, 30), "2026-12-07T09:30:00"),
        (datetime(2026, 12, 7, 9, 30, tzinfo=UTC), "2026-12-07T09:30:00+00:00"),
        (time(9, 30), "09:30:00"),
        (timedelta(hours=1, minutes=30), "PT1H30M"),
    ],
)
@pytest.mark.parametrize("param", ["subject", "body"])
def test_a_value_that_is_not_text_is_written_as_its_text(
    param: str, value: object, written: str
) -> None:
    send, sent = _agent()
    given = {"subject": "s", "body": "b", param: value}
    send(to="ann@x.org", **given)
    [message] = sent
    shown = message["Subject"] if param == "subject" else message.get_content().strip()
    assert shown == written


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (math.nan, "a number with no value"),
        (math.inf, "a number with no value"),
        (Decimal("NaN"), "a number with no value"),
        (["secret-7731"], "a list, which has no one text"),
        ({"k": "secret-7731"}, "a dict, which has no one text"),
        (b"secret-7731", "a bytes, which has no one text"),
    ],
)
@pytest.mark.parametrize("param", ["subject", "body"])
def test_a_value_with_no_one_text_is_refused_naming_the_parameter_not_the_value(
    param: str, value: object, why: str
) -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError, match=rf"^{param}: .*{why}") as caught:
        send(to="ann@x.org", **{"subject": "s", "body": "b", param: value})
    assert "secret-7731" not in str(caught.value)
    assert sent == []


@pytest.mark.parametrize(
    ("param", "value", "said"),
    [
        ("to", 42, r"^to: an int \(42\) is no e-mail address"),
        ("cc", 4.5, r"^cc: a float \(4.5\) is no e-mail address"),
        ("to", ["ann@x.org", 7], r"^to: an item of the list is an int \(7\)"),
        ("cc", {"ann@x.org": 1}, r"^cc: a dict .* is no e-mail address"),
    ],
)
def test_to_or_cc_that_is_not_text_is_refused_naming_it(
    param: str, value: object, said: str
) -> None:
    send, sent = _agent()
    given: dict[str, object] = {"to": "bob@x.org", param: value}
    with pytest.raises(PermanentApplicationError, match=said):
        send(subject="s", body="b", **given)
    assert sent == []


def test_a_parameter_the_agent_does_not_take_is_refused_naming_it_and_those_it_takes() -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError) as caught:
        send(recipient="ann@x.org", subject="s", body="b")
    said = str(caught.value)
    assert "'recipient'" in said
    assert "to, subject, body and cc" in said
    assert sent == []


def _package(params: list[tuple[str, str, str]], args: list[str], timeout: bool = False) -> Package:
    pb = PackageBuilder("shop")
    settings = [("wfengine:agent", "email"), ("wfengine:retries", "2"), ("wfengine:backoff", "0")]
    if timeout:
        settings.append(("wfengine:timeout", "5"))
    pb.application("mail", params=params, extended=settings)
    p = pb.process("notify")
    p.data_field("amount", "INTEGER", initial="42")
    p.data_field("due", "DATE", initial="2026-12-24")
    p.start("s")
    p.activity("send", tool="mail", args=args)
    p.end("e")
    p.sequence("s", "send", "e")
    return pb.build()


def _engine() -> tuple[Engine, list[Any]]:
    smtp, sent = recording_smtp(whole_message)
    engine = Engine()
    engine.applications.allow_agent(
        "email", email_agent_factory("127.0.0.1", 2525, sender="wf@x.org", smtp_class=smtp)
    )
    return engine, sent


def test_an_integer_body_and_a_date_subject_are_mailed_as_their_text() -> None:
    """The QA pass's case through the engine: an INTEGER field mailed as the body."""
    engine, sent = _engine()
    package = _package(
        [("to", "IN", "STRING"), ("subject", "IN", "DATE"), ("body", "IN", "INTEGER")],
        ["'ann@x.org'", "due", "amount"],
    )
    assert engine.applications.check(package) == []
    engine.deploy(package)
    iid = engine.start_process("notify")
    assert engine.instance(iid).state.value == "closed.completed"
    [message] = sent
    assert (message["Subject"], message.get_content().strip()) == ("2026-12-24", "42")


_RECIPIENT = [("recipient", "IN", "STRING"), ("subject", "IN", "STRING"), ("body", "IN", "STRING")]
_ARGS = ["'ann@x.org'", "'s'", "'b'"]


def test_a_parameter_it_does_not_take_fails_the_call_once_for_good() -> None:
    engine, sent = _engine()
    engine.deploy(_package(_RECIPIENT, _ARGS))
    engine.start_process("notify")
    [incident] = engine.incidents()
    assert "PermanentApplicationError" in incident.message
    assert "'recipient'" in incident.message
    assert "attempt 1 of 3" in incident.message
    assert sent == []


@pytest.mark.parametrize("timeout", [False, True], ids=["agent", "agent-with-timeout"])
def test_the_binding_check_reports_a_parameter_the_agent_does_not_take(timeout: bool) -> None:
    engine, _ = _engine()
    findings = engine.applications.check(_package(_RECIPIENT, _ARGS, timeout=timeout))
    assert [d.code for d in findings] == ["application-signature"]
    said = findings[0].message
    assert "agent 'email' takes the parameters to, subject, body, cc" in said
    assert "(recipient, subject, body)" in said
    assert "'recipient'" in said


def test_the_binding_check_passes_an_agent_taking_any_parameters() -> None:
    """An agent taking ``**inputs`` (the HTTP and subprocess agents) is never reported."""
    engine = Engine()
    engine.applications.allow_agent("email", lambda settings: lambda **inputs: None)
    assert engine.applications.check(_package(_RECIPIENT, _ARGS)) == []


def test_the_agent_still_takes_the_idempotency_key() -> None:
    """The signature it shows names ``idempotency_key``: the registry still passes the key
    (the Message-ID is made from it)."""
    engine, _ = _engine()
    package = _package([("to", "IN", "STRING")], ["'ann@x.org'"])
    engine.deploy(package)
    binding = engine.applications.resolve(package.applications[0])
    assert binding is not None and binding.takes_key


@pytest.mark.parametrize("given", [("ann@x.org",), {"ann@x.org"}, iter(["ann@x.org"])])
def test_to_given_as_any_iterable_of_texts_is_still_sent(given: object) -> None:
    """A tuple, set or iterator of addresses was sent before the check; it still is."""
    send, sent = _agent()
    send(to=given, subject="s", body="b")
    [message] = sent
    assert message["To"] == "ann@x.org"

"""What a definition says about an application that its binding cannot use is found before
an instance reaches it: an agent-bound application's timeout, backoff and max-backoff are
checked by validation (only retries were), a refusal names the setting, settings a code
binding does not read are a finding, and a callable that cannot take the application's
parameters is one too (each call failed with a TypeError, routed as the service's failure)."""

from __future__ import annotations

import pytest

from wfengine.applications.agents.callables import callable_agent_factory
from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.definition.validation import validate


def _package(extended: dict[str, str]) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "FLOAT", initial="10.0")
    p.application("charge", params=[("amount", "IN", "FLOAT")], extended=extended)
    p.activity("pay", tool="charge", args=["amount"])
    return pb.build()


AGENT = {"wfengine:agent": "python", "wfengine:function": "charge"}


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ({"wfengine:timeout": "abc"}, "wfengine:timeout must be a number of seconds above 0"),
        ({"wfengine:timeout": "0"}, "wfengine:timeout must be a number of seconds above 0"),
        ({"wfengine:backoff": "1,5"}, "wfengine:backoff must be a number of seconds 0 or more"),
        ({"wfengine:max-backoff": "nan"}, "wfengine:max-backoff must be a number of seconds"),
        (
            {"wfengine:backoff": "100", "wfengine:max-backoff": "50"},
            "wfengine:max-backoff (50 s) is below wfengine:backoff (100 s)",
        ),
    ],
)
def test_an_agents_unusable_seconds_are_found_and_named(
    settings: dict[str, str], said: str
) -> None:
    package = _package(AGENT | settings)
    found = [d for d in validate(package) if d.code == "application-setting"]
    assert len(found) == 1 and said in found[0].message
    registry = ApplicationRegistry()
    registry.allow_agent("python", callable_agent_factory({"charge": lambda amount: None}))
    [finding] = registry.check(package)
    assert finding.code == "application-setting"
    assert said in finding.message
    assert finding.message.count("'charge'") == 1  # the application named once


def test_usable_seconds_are_no_finding() -> None:
    settings = {"wfengine:timeout": "5", "wfengine:backoff": "1", "wfengine:max-backoff": "10"}
    assert not [d for d in validate(_package(AGENT | settings)) if d.code == "application-setting"]


def test_settings_a_code_binding_does_not_read_are_a_finding() -> None:
    registry = ApplicationRegistry()
    registry.register("charge", lambda amount: None)
    package = _package({"wfengine:retries": "3", "wfengine:timeout": "0.2"})
    [finding] = registry.check(package)
    assert finding.code == "application-setting"
    assert "wfengine:retries, wfengine:timeout" in finding.message
    assert not registry.check(_package({"wfengine:asynchronous": "true"}))  # read: no finding


def test_a_callable_that_cannot_take_the_parameters_is_a_finding() -> None:
    registry = ApplicationRegistry()

    def charge(amt: float) -> None:  # a typo: the formal parameter is 'amount'
        pass

    registry.register("charge", charge)
    [finding] = registry.check(_package({}))
    assert finding.code == "application-signature"
    assert "charge(amt" in finding.message and "(amount)" in finding.message
    registry.register("charge", lambda **inputs: None)  # takes anything
    assert not registry.check(_package({}))
    registry.register("charge", lambda amount, idempotency_key: None)
    assert not registry.check(_package({}))

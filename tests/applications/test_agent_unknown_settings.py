"""The built-in agents' factories (HTTP, subprocess, Python callable, e-mail) refuse a definition's
setting they do not take, naming it and the application and suggesting the nearest one: the
binding check reports it (``application-setting-unknown``), and a call of the application
stops with an incident instead of running without it.

Before (a QA pass, f5.py): ``wfengine:retires="3"`` and ``wfengine:metod="GET"`` on an HTTP
agent's Application passed validation and the binding check, and the call was one POST, not
retried. An agent the host registers itself keeps being given whatever the definition sets.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import httpx
import pytest

from wfengine import (
    Engine,
    PackageBuilder,
    callable_agent_factory,
    email_agent_factory,
    http_agent_factory,
    subprocess_agent_factory,
)
from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.model import Package

_URL = "http://svc.test/api"


def _package(kind: str, settings: Mapping[str, str]) -> Package:
    pb = PackageBuilder("pkg")
    attributes = {"wfengine:agent": kind, **{f"wfengine:{k}": v for k, v in settings.items()}}
    pb.application("app", extended=attributes)
    p = pb.process("p")
    p.start("s")
    p.activity("call", tool="app")
    p.end("e")
    p.sequence("s", "call", "e")
    return pb.build()


def _registry(requests: list[str] | None = None) -> ApplicationRegistry:
    def answer(request: httpx.Request) -> httpx.Response:
        if requests is not None:
            requests.append(request.method)
        return httpx.Response(200, json={})

    registry = ApplicationRegistry(sleep=lambda s: None)
    transport = httpx.MockTransport(answer)
    registry.allow_agent("http", http_agent_factory([_URL], transport=transport))
    registry.allow_agent("python", callable_agent_factory({"f": lambda: None}))
    registry.allow_agent("subprocess", subprocess_agent_factory({"t": [sys.executable, "-c", ""]}))
    registry.allow_agent("email", email_agent_factory("mail.test", sender="wf@mail.test"))
    return registry


@pytest.mark.parametrize(
    ("kind", "settings", "bad", "meant"),
    [
        ("http", {"url": _URL, "retires": "3"}, "retires", "retries"),
        ("http", {"url": _URL, "metod": "GET"}, "metod", "method"),
        ("http", {"url": _URL, "max-backof": "9"}, "max-backof", "max-backoff"),
        ("python", {"function": "f", "functon": "f"}, "functon", "function"),
        ("python", {"function": "f", "asynchronus": "true"}, "asynchronus", "asynchronous"),
        ("subprocess", {"command": "t", "comand": "t"}, "comand", "command"),
        ("subprocess", {"command": "t", "timout": "5"}, "timout", "timeout"),
        ("email", {"retires": "2"}, "retires", "retries"),
    ],
)
def test_the_binding_check_reports_a_built_in_agent_s_misspelt_setting(
    kind: str, settings: dict[str, str], bad: str, meant: str
) -> None:
    (finding,) = _registry().check(_package(kind, settings))
    assert finding.code == "application-setting-unknown"
    assert finding.element_id == "app"
    assert finding.message.startswith(f"application 'app': agent {kind!r} refused")
    assert f"'wfengine:{bad}' is no setting of the" in finding.message
    assert f"did you mean 'wfengine:{meant}'?" in finding.message


def test_a_call_stops_with_an_incident_naming_the_setting_and_is_never_made() -> None:
    requests: list[str] = []
    with Engine(applications=_registry(requests)) as engine:
        engine.deploy(_package("http", {"url": _URL, "retires": "3"}), check_bindings=False)
        iid = engine.start_process("p")
        (incident,) = engine.incidents(iid)
        assert "'wfengine:retires'" in incident.message
        assert "did you mean 'wfengine:retries'?" in incident.message
    assert requests == []


def test_the_settings_each_agent_reads_and_every_agent_s_are_taken() -> None:
    everyone = {"retries": "1", "timeout": "5", "backoff": "0", "max-backoff": "1"}
    everyone["asynchronous"] = "false"
    http = {"url": _URL, "method": "GET", "outputs": "a", "header:Accept": "text/plain"}
    owns = [("http", http), ("python", {"function": "f"}), ("subprocess", {"command": "t"})]
    owns.append(("email", {}))
    for kind, own in owns:
        assert _registry().check(_package(kind, {**own, **everyone})) == []


def test_an_agent_the_host_registered_is_given_what_the_definition_sets() -> None:
    given: list[dict[str, str]] = []

    def factory(settings: Mapping[str, str]) -> Any:
        given.append(dict(settings))
        return lambda: None

    registry = ApplicationRegistry()
    registry.allow_agent("mine", factory)
    assert registry.check(_package("mine", {"retires": "3", "colour": "red"})) == []
    assert given == [{"retires": "3", "colour": "red"}]

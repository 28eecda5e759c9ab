"""A ``wfengine:`` extended attribute whose prefix is in another case or has a space before it
(``WFEngine:sensitive``, ``Wfengine:reads``, `` wfengine:sensitive``) is one wfengine does
not read. Before, it was passed over as another vendor's: no finding at all, and a field so
marked sensitive went into the audit trail in clear. Now such a name is ``unknown-extension``
(a warning naming the name meant), and a ``wfengine:sensitive`` spelt so is
``sensitive-mark``, an error the deploy refuses: a secret must not reach the trail."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package
from wfengine.errors import DeployError


def _package(
    *, field: dict[str, str] | None = None, activity: dict[str, str] | None = None
) -> Package:
    pb = PackageBuilder("desk")
    pb.participant("clerk")
    p = pb.process("ticket")
    p.data_field("reason", "STRING", extended=field)
    p.activity("answer", performer="clerk", extended=activity)
    return pb.build()


def _app_package(name: str) -> Package:
    pb = PackageBuilder("desk")
    pb.application("charge", params=[("card", "IN", "STRING")], extended={name: "card"})
    p = pb.process("ticket")
    p.data_field("reason", "STRING")
    p.activity("pay", tool="charge", args=["reason"])
    return pb.build()


def _found(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.code in {"unknown-extension", "sensitive-mark"}]


@pytest.mark.parametrize(
    "name",
    [
        "WFEngine:sensitive",
        "Wfengine:sensitive",
        " wfengine:sensitive",
        "wfengine:sensitive ",
        "wfengine:Sensitive",
    ],
)
def test_a_sensitive_mark_spelt_otherwise_is_an_error_the_deploy_refuses(name: str) -> None:
    package = _package(field={name: "true"})
    [found] = _found(package)
    assert (found.code, found.severity, found.element_id) == (
        "sensitive-mark",
        Severity.ERROR,
        "reason",
    )
    assert repr(name) in found.message and "'wfengine:sensitive'" in found.message
    assert "in clear" in found.message
    with pytest.raises(DeployError, match="sensitive-mark"):
        Engine().deploy(package, check_bindings=False)


@pytest.mark.parametrize("name", ["WFEngine:sensitive", " wfengine:sensitive"])
def test_an_application_s_sensitive_mark_spelt_otherwise_is_an_error(name: str) -> None:
    [found] = _found(_app_package(name))
    assert (found.code, found.element_id) == ("sensitive-mark", "charge")
    assert repr(name) in found.message


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("WFEngine:reads", "'wfengine:reads'"),
        (" wfengine:milestone", "'wfengine:milestone'"),
        ("WFENGINE:cancelremaining", "'wfengine:cancelRemaining'"),
    ],
)
def test_an_activity_attribute_with_its_prefix_spelt_otherwise_names_the_one_meant(
    name: str, meant: str
) -> None:
    [found] = _found(_package(activity={name: "reason"}))
    assert (found.code, found.severity, found.element_id) == (
        "unknown-extension",
        Severity.WARNING,
        "answer",
    )
    assert f"did you mean {meant}?" in found.message


def test_a_name_meant_for_another_kind_of_element_says_where_it_is_read() -> None:
    [found] = _found(_package(field={"Wfengine:reads": "x"}))
    assert "wfengine reads 'wfengine:reads' on activities only" in found.message


def test_the_exact_names_and_other_vendors_attributes_stay_clean() -> None:
    package = _package(
        field={"wfengine:sensitive": "true", "jawe:sensitive": "x", "WFEngineX": "y"},
        activity={"wfengine:reads": "reason", "bizagi:wfengine:reads": "z"},
    )
    assert _found(package) == []
    assert _found(_app_package("wfengine:sensitive")) == []


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("WFEngine:asynchronous", "'wfengine:asynchronous'"),
        ("Wfengine:retries", "'wfengine:retries'"),
        (" wfengine:agent", "'wfengine:agent'"),
        ("wfengine:Retries", "'wfengine:retries'"),
        ("WFEngine:async", "'wfengine:async'"),
        ("wfengine:url ", "'wfengine:url'"),
        ("wfengine:Timeout", "'wfengine:timeout'"),
        ("wfengine:Max-Backoff", "'wfengine:max-backoff'"),
    ],
)
def test_an_application_setting_spelt_otherwise_names_the_one_meant(name: str, meant: str) -> None:
    """Neither wfengine nor an agent reads it (settings are read exactly as written): before,
    an Application's attributes were passed over, so ``WFEngine:asynchronous`` ran its calls
    synchronously and `` wfengine:agent`` left it unbound, with no finding."""
    [found] = _found(_app_package(name))
    assert (found.code, found.severity, found.element_id) == (
        "unknown-extension",
        Severity.WARNING,
        "charge",
    )
    assert repr(name) in found.message and f"did you mean {meant}?" in found.message


@pytest.mark.parametrize(
    "name", ["wfengine:asynchronous", "wfengine:url", "wfengine:header:Accept", "jawe:Retries"]
)
def test_an_application_s_agent_settings_written_exactly_stay_unchecked(name: str) -> None:
    assert _found(_app_package(name)) == []

"""An installed plug-in (entry-point group ``wfengine.applications``) binds the applications of
many packages: that is what the group is for. Before, ``wfengine run``, ``validate --apps`` and
the worker warned ``application-undeclared`` for every binding it made for another package, as
if ``--apps`` had made a typo. Now the registry remembers which bindings a plug-in made
(``Binding.source`` ``"entry point NAME"``) and only ``--apps``/code bindings are called
undeclared; a use that only a plug-in binds still counts as bound.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.databases import automatic, cli, write
from wfengine.applications.registry import ApplicationRegistry
from wfengine.cli.apps import NO_PLUGINS_ENVVAR

#: a company plug-in: binds ``add`` (used by the test package) and applications of its other
#: processes, which the test package does not declare
PLUGIN = """
def register(registry):
    registry.register("add", lambda v: {"v": v + 10})
    registry.register("send_invoice", lambda **kw: None)
    registry.register("check_stock", lambda **kw: None)
"""


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    where = tmp_path / "site"
    where.mkdir()
    (where / "wf_company_plugin.py").write_text(PLUGIN)
    info = where / "wf_company_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wf_company_plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[wfengine.applications]\ncompany = wf_company_plugin:register\n"
    )
    monkeypatch.syspath_prepend(str(where))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(where), *sys.path]))
    monkeypatch.delenv(NO_PLUGINS_ENVVAR, raising=False)
    yield "wf_company_plugin"
    sys.modules.pop("wf_company_plugin", None)


def test_the_registry_does_not_call_a_plug_ins_bindings_undeclared(
    tmp_path: Path, plugin: str
) -> None:
    registry = ApplicationRegistry()
    assert registry.load_entry_points() == ["company"]
    binding = registry.get("check_stock")
    assert binding is not None and binding.source == "entry point company"
    registry.register("typo", lambda: None)  # the host's own binding: still reported
    package = automatic().build()
    assert [(d.code, d.element_id) for d in registry.check(package)] == [
        ("application-undeclared", "typo")
    ]


def test_a_binding_replaced_in_code_is_the_codes_and_reported(plugin: str) -> None:
    registry = ApplicationRegistry()
    registry.load_entry_points()
    registry.register("send_invoice", lambda: None)
    assert registry.get("send_invoice").source == "code"  # type: ignore[union-attr]
    assert [(d.code, d.element_id) for d in registry.check(automatic().build())] == [
        ("application-undeclared", "send_invoice")
    ]


def test_validate_apps_reports_only_what_module_binds(tmp_path: Path, plugin: str) -> None:
    apps = tmp_path / "apps.py"
    apps.write_text("def register(r):\n    r.register('mistyped', lambda: None)\n")
    result = cli("validate", write(tmp_path, automatic()), "--apps", str(apps))
    assert result.exit_code == 0, result.output
    assert "'mistyped' is bound, but the package declares no application" in result.stdout
    for name in ("check_stock", "send_invoice"):
        assert name not in result.output
    # 'add' is used and only the plug-in binds it: bound, not reported unbound
    assert "application-unbound" not in result.output
    assert [line for line in result.stdout.splitlines() if "application-" in line] == [
        f"{tmp_path / 'p.xpdl'}: warning application-undeclared: application 'mistyped' is "
        "bound, but the package declares no application with that id [mistyped]"
    ]


def test_run_does_not_warn_about_a_plug_ins_other_applications(
    tmp_path: Path, plugin: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="wfengine.applications")
    result = cli("run", write(tmp_path, automatic()))
    assert result.exit_code == 0, result.output
    said = result.stderr + caplog.text
    assert "application-undeclared" not in said
    assert "check_stock" not in said and "send_invoice" not in said

"""``run FILE`` and ``instance start FILE`` start the version of the process FILE holds, the
one its ``--set`` data was checked against: never an earlier stored version in its place
(FILE's refused by the engine's validation, or not valid now by its ValidFrom)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder
from wfengine.definition.io import dump_xpdl
from wfengine.definition.model import Package


def _package(*, broken: bool = False, amount: str = "FLOAT", extra: bool = False) -> Package:
    pb = PackageBuilder("shop")
    p = pb.process("order")
    p.data_field("amount", amount)
    if extra:
        p.data_field("extra", "INTEGER")
    p.start("s").activity("first").end("e").sequence("s", "first", "e")
    if broken:  # a validation error: a condition that does not parse
        p.route("gw").activity("other").transition("first", "gw")
        p.transition("gw", "other", condition="amount >").transition("gw", "e", otherwise=True)
    helper = pb.process("helper")  # fine: the package deploys, 'order' alone is refused
    helper.start("hs").end("he").sequence("hs", "he")
    return pb.build()


def _valid_from(package: Package, when: str) -> Package:
    processes = []
    for process in package.workflow_processes:
        if process.id == "order":
            header = process.header.model_copy(update={"valid_from": when})
            process = process.model_copy(update={"header": header})
        processes.append(process)
    return package.model_copy(update={"workflow_processes": tuple(processes)})


def _file(tmp_path: Path, package: Package, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(dump_xpdl(package))
    return str(path)


def _versions(url: str) -> dict[str, int]:
    with Engine(db_url=url) as engine:
        return {s.id: s.version for s in engine.instance_summaries()}


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A database where version 1 of 'order' has one instance, pi-1."""
    db = sqlite_url(tmp_path)
    v1 = _file(tmp_path, _package(), "v1.xpdl")
    started = cli("instance", "start", v1, "--db", db, "--process", "order")
    assert started.exit_code == 0 and started.stdout == "pi-1\n", started.output
    return db


@pytest.mark.parametrize("command", ["run", "instance start"])
def test_a_refused_new_version_starts_nothing_not_the_old_one(
    tmp_path: Path, url: str, command: str
) -> None:
    v2 = _file(tmp_path, _package(broken=True), "v2.xpdl")
    started = cli(*command.split(), v2, "--db", url, "--process", "order")
    assert started.exit_code == 1, started.output
    assert "process 'order' cannot be deployed" in started.stderr
    assert "the stored version 1 was not started" in started.stderr
    assert started.stdout == ""
    assert _versions(url) == {"pi-1": 1}  # no instance of version 1 in its place


def test_run_starts_the_version_its_file_holds(tmp_path: Path, url: str) -> None:
    v2 = _file(tmp_path, _package(amount="STRING"), "v2.xpdl")
    ran = cli("run", v2, "--db", url, "--process", "order", "--set", "amount=high", "--json")
    assert ran.exit_code == 0, ran.output
    out = json.loads(ran.stdout)
    assert out["data"] == {"amount": "high"}
    assert _versions(url)[out["instance_id"]] == 2


@pytest.mark.parametrize("assignment", ["extra=5", "amount=high", None])
@pytest.mark.parametrize("command", ["run", "instance start"])
def test_a_file_not_valid_yet_starts_nothing_and_says_why(
    tmp_path: Path, url: str, command: str, assignment: str | None
) -> None:
    """FILE's version is valid from 2999: the data was checked against it, and an instance
    of version 1 (valid now) would take data it does not declare (extra) or of another type
    (amount STRING in FILE, FLOAT in version 1)."""
    future = _valid_from(_package(amount="STRING", extra=True), "2999-01-01")
    v2 = _file(tmp_path, future, "v2.xpdl")
    sets = ["--set", assignment] if assignment else []
    started = cli(*command.split(), v2, "--db", url, "--process", "order", *sets)
    assert started.exit_code == 1, started.output
    said = started.stderr
    assert "process 'order' version 2, as the file holds it, is valid from 2999-01-01" in said
    assert "nothing was started" in said and "pi-" not in said
    assert _versions(url) == {"pi-1": 1}
    with Engine(db_url=url) as engine:
        assert engine.store.versions("order") == [1, 2]  # deployed, for when it is valid

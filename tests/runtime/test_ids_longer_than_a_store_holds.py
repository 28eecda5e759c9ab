"""Ids longer than a store holds (200 characters, the SQL id columns' width) are refused on
every store alike, before anything is stored.

Why: memory and SQLite took them, PostgreSQL failed with a bare StringDataRightTruncation:
at deploy for a process Id, at the first start for an activity Id (from a worker, an
incident no retry could mend), and at start for a host's ``Engine(ids=...)`` making long
ids. Now a definition's long Id is an ``id-too-long`` error (validate says so, a deploy
refuses the process, naming the element) and a long generated id a ``ValueError``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package
from wfengine.definition.validation import validate, validate_process
from wfengine.errors import DeployError
from wfengine.runtime.checked_ids import MAX_DERIVING_ID_CHARS
from wfengine.runtime.engine import Engine

LONG = 201


def _package(process_id: str = "ticket", activity_id: str = "answer") -> Package:
    pb = PackageBuilder("desk")
    pb.process(process_id).activity(activity_id, performer="clerk")
    pb.process("other").activity("answer", performer="clerk")
    return pb.build()


def test_validate_reports_an_id_longer_than_a_store_holds_as_an_error() -> None:
    package = _package(activity_id="a" * LONG)
    [finding] = [d for d in validate(package) if d.code == "id-too-long"]
    assert finding.severity is Severity.ERROR
    assert finding.element_id == "a" * LONG
    assert "Activity Id" in finding.message and f"{LONG} characters" in finding.message
    # another process's long Id refuses that process, not this one
    other = package.workflow_processes[1]
    assert not [d for d in validate_process(package, other) if d.code == "id-too-long"]


def test_a_package_id_longer_than_a_store_holds_refuses_every_process() -> None:
    pb = PackageBuilder("p" * LONG)
    pb.process("ticket").activity("answer", performer="clerk")
    package = pb.build()
    findings = validate_process(package, package.workflow_processes[0])
    assert [d.element_id for d in findings if d.code == "id-too-long"] == ["p" * LONG]


def test_a_process_id_longer_than_a_store_holds_is_refused_at_deploy(engine: Engine) -> None:
    long_id = "p" * LONG
    deployed = engine.deploy(_package(process_id=long_id))
    assert [d.process_id for d in deployed] == ["other"]
    with pytest.raises(DeployError, match=r"id-too-long: WorkflowProcess Id"):
        engine.start_process(long_id)
    assert engine.store.deployed_process_ids() == ["other"]


def test_an_activity_id_longer_than_a_store_holds_is_refused_at_deploy(engine: Engine) -> None:
    package = _package(activity_id="a" * LONG)
    with pytest.raises(DeployError, match=r"process 'ticket' cannot be deployed: id-too-long"):
        engine.deploy(package, strict=True)
    assert engine.store.deployed_process_ids() == []
    engine.deploy(package)
    with pytest.raises(DeployError, match=r"Activity Id 'a+'\.\.\. is 201 characters long"):
        engine.start_process("ticket")
    assert engine.instance_summaries() == []
    engine.start_process("other")  # the package's other process deploys and runs


def test_ids_of_200_characters_run_on_every_store(engine: Engine) -> None:
    process_id, activity_id = "p" * (LONG - 1), "a" * (LONG - 1)
    engine.deploy(_package(process_id=process_id, activity_id=activity_id))
    instance_id = engine.start_process(process_id)
    [item] = engine.work_items(instance_id)
    assert item.activity_id == activity_id
    engine.complete_work_item(item.id)
    assert engine.instance(instance_id).state == "closed.completed"


class _LongIds:
    """A host's generator making ids one character longer than a store holds."""

    def __init__(self) -> None:
        self._n = itertools.count()

    def new(self, kind: str) -> str:
        return f"{kind}-{next(self._n)}".rjust(LONG, "x")


def test_a_host_generated_id_longer_than_a_store_holds_is_refused(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> None:
    url = store_url(request, store_kind, tmp_path)
    with Engine(db_url=url, ids=_LongIds()) as engine:
        engine.deploy(_package())
        with pytest.raises(ValueError, match=r"Engine\(ids=\.\.\.\).*201 characters long"):
            engine.start_process("ticket")
        assert engine.instance_summaries() == []


def test_a_long_type_declaration_is_named_once_not_at_each_reference() -> None:
    """A DeclaredType's Id names the declaration it uses: the declaration is the one to
    shorten, said once, not again at every field that refers to it."""
    long_type = "T" * LONG
    pb = PackageBuilder("desk")
    pb.type_declaration(long_type, "STRING")
    process = pb.process("ticket")
    process.data_field("f", long_type)
    process.data_field("g", long_type)
    process.activity("answer", performer="clerk")
    found = [d for d in validate(pb.build()) if d.code == "id-too-long"]
    assert [d.message.split(" Id ")[0] for d in found] == ["TypeDeclaration"]


class _SizedIds:
    """A host's generator making every id ``size`` characters long."""

    def __init__(self, size: int) -> None:
        self.size, self._n = size, itertools.count()

    def new(self, kind: str) -> str:
        return f"{kind}-{next(self._n)}".rjust(self.size, "x")


def _calls_package() -> Package:
    """Two asynchronous calls in a row (the second queued by the first one's job, its key made
    of the instance's id and that job's), then a clerk's work."""
    pb = PackageBuilder("desk")
    pb.application("app", params=[("x", "IN", "STRING")])
    p = pb.process("ticket")
    p.data_field("x", "STRING", initial="'v'")
    p.activity("first", tool="app", args=["x"])
    p.activity("second", tool="app", args=["x"])
    p.activity("answer", performer="clerk")
    p.sequence("first", "second", "answer")
    return pb.build()


def test_ids_an_instance_and_a_job_may_have_run_on_every_store(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> None:
    """At the most characters a process instance's and a job's ids may have, what the engine
    makes of them (activity instances' ids, calls' keys) fits every store: PostgreSQL refused
    a 199-character instance's activity instance id with a bare DataError."""
    url = store_url(request, store_kind, tmp_path)
    with Engine(db_url=url, ids=_SizedIds(MAX_DERIVING_ID_CHARS)) as engine:
        engine.applications.register("app", lambda x: None, asynchronous=True)
        engine.deploy(_calls_package())
        instance_id = engine.start_process("ticket")
        assert len(instance_id) == MAX_DERIVING_ID_CHARS
        while engine.run_due_jobs():
            pass
        [item] = engine.work_items(instance_id)
        engine.complete_work_item(item.id)
        assert engine.instance(instance_id).state == "closed.completed"
        assert max(len(a.id) for a in engine.activity_instances(instance_id)) > 100


@pytest.mark.parametrize("kind", ["pi", "job"])
def test_a_longer_instance_or_job_id_is_refused_before_anything_is_stored(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path, kind: str
) -> None:
    url = store_url(request, store_kind, tmp_path)

    class Ids(_SizedIds):
        def new(self, asked: str) -> str:
            made = super().new(asked)
            return made.rjust(MAX_DERIVING_ID_CHARS + 1, "y") if asked == kind else made

    with Engine(db_url=url, ids=Ids(20)) as engine:
        engine.applications.register("app", lambda x: None, asynchronous=True)
        engine.deploy(_calls_package())
        message = rf"Engine\(ids=\.\.\.\).*new\('{kind}'\).*101 characters long, more than the 100"
        with pytest.raises(ValueError, match=message):
            engine.start_process("ticket")
        assert engine.instance_summaries() == []

"""A deploy validates the package once, not once per process.

Deploying a package of N processes ran :func:`validate_process` for each, and each run walked
the whole package (its texts, Ids, types, extended attributes): N times the package's size, so
400 small processes (150 KB) took 74 s to deploy and 1.3 s to validate.
:func:`validate_each_process` works the package-wide findings out once and selects each
process's from them. These tests count those walks (no timing), and check that each process
still gets exactly the findings :func:`validate_process` gives it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.conftest import conformance_root
from tests.strategies import packages
from wfengine import PackageBuilder
from wfengine.definition.checks import identity, references, writability
from wfengine.definition.io import load_xpdl
from wfengine.definition.model import ExtendedAttribute, Package
from wfengine.definition.validation import validate_each_process, validate_process
from wfengine.errors import DeployError
from wfengine.runtime.engine import Engine

ROOT = conformance_root()
FILES = sorted((ROOT / "xpdl").rglob("*.xpdl")) if ROOT is not None else []
PROCESSES = 6


def _package(*, form_feed: bool = False) -> Package:
    """:data:`PROCESSES` processes with what package-wide checks report: an Id too long for
    a store (in ``p3``), an extended attribute named twice, Ids repeated across processes (a
    package built in code); with ``form_feed``, a name no XML can hold (in ``p2``)."""
    b = PackageBuilder("pk")
    for i in range(PROCESSES):
        p = b.process(f"p{i}", name="bad\fname" if form_feed and i == 2 else None)
        p.data_field("n", "INTEGER", initial="0")
        if i == 3:
            p.activity("x" * 210, script="n = 2")
        p.start("start").activity("work", script="n = 1").end("end")
        p.sequence("start", "work", "end")
    package = b.build()
    twice = (ExtendedAttribute(name="a", value="1"), ExtendedAttribute(name="a", value="2"))
    return package.model_copy(update={"extended_attributes": twice})


def _same_as_each_alone(package: Package) -> None:
    found = validate_each_process(package)
    assert [p for p, _ in found] == list(package.workflow_processes)
    for process, findings in found:
        assert findings == validate_process(package, process), process.id


def _spy(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, calls: list[str]) -> None:
    real: Callable[..., Iterator[Any]] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


#: the functions walking the whole package for a check, whichever process it validates
WALKS = [
    (writability, "unwritable_texts"),
    (writability, "_id_findings"),
    (writability, "_type_findings"),
    (writability, "_key_holders"),
    (writability, "_pool_findings"),
    (identity, "_package_level"),
    (references, "_type_cycles"),
]


def test_a_deploy_walks_the_package_once_whatever_its_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = _package()
    calls: list[str] = []
    for module, name in WALKS:
        _spy(monkeypatch, module, name, calls)
    deployed = [d.process_id for d in Engine().deploy(package, check_bindings=False)]
    assert deployed == ["p0", "p1", "p2", "p4", "p5"]  # p3 (its long Id) refused
    assert sorted(calls) == sorted(name for _, name in WALKS)  # each once, not once a process


def test_each_process_gets_what_validate_process_finds_for_it() -> None:
    package = _package(form_feed=True)
    _same_as_each_alone(package)
    found = dict((p.id, {d.code for d in f}) for p, f in validate_each_process(package))
    # what the package-wide checks found is there, for the processes it concerns
    assert "xml-character" in found["p0"]  # (a deploy of any process names the form feed)
    assert "id-too-long" in found["p3"] and "id-too-long" not in found["p0"]
    assert "duplicate-id-package" in found["p5"]
    assert "duplicate-extended-attribute" in found["p1"]


def test_the_refusals_say_what_they_said() -> None:
    package = _package(form_feed=True)
    engine = Engine()
    with pytest.raises(DeployError):  # every process is refused: none can be written
        engine.deploy(package, check_bindings=False)
    for process in package.workflow_processes:
        errors = [d for d in validate_process(package, process) if d.severity.name == "ERROR"]
        refusal = engine.refusal(process.id)
        assert (refusal is None) == (not errors), process.id
        if refusal is None:
            continue
        shown = "; ".join(f"{d.code}: {d.message}" for d in errors[:5])
        assert str(refusal) == f"process {process.id!r} cannot be deployed: {shown}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packages())
def test_random_packages_get_the_same_findings(package: Package) -> None:
    _same_as_each_alone(package)
    _same_as_each_alone(package.model_copy(update={"source_version": None}))


@pytest.mark.skipif(not FILES, reason="conformance corpus not found at ../shared/conformance")
def test_the_corpus_gets_the_same_findings() -> None:
    for path in FILES:
        _same_as_each_alone(load_xpdl(path))

"""``AdHocOrdering`` as tools write it: XPDL's enumeration is ``Sequential`` / ``Parallel``,
read whatever its case, and TIBCO Business Studio names the attribute ``AdhocOrdering``. Both
ran a set made sequential in parallel, without a word; a value that is neither is a warning
(``adhoc-unused``: the engine ignores it, and the set runs in parallel)."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, dump_xpdl, load_xpdl, validate
from wfengine.definition.model import Package
from wfengine.errors import IllegalStateError


def _package(ordering: bytes, *, adhoc: bool = True) -> Package:
    """An ad-hoc set of two persons' tasks a and b, its ordering attribute written
    ``ordering``; ``adhoc=False``: without ``AdHoc="true"``."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    s = p.activity_set("checks", adhoc="Sequential")
    s.activity("a", performer="clerk").activity("b", performer="clerk")
    p.block("review", activity_set="checks")
    xml = dump_xpdl(pb.build()).replace(b'AdHocOrdering="Sequential"', ordering)
    return load_xpdl(xml if adhoc else xml.replace(b'AdHoc="true"', b""))


def _runs_one_at_a_time(package: Package) -> bool:
    """Is b refused its start while a's work runs?"""
    with Engine(clock=VirtualClock()) as e:
        e.deploy(package)
        iid = e.start_process("main")
        a, b = sorted(e.work_items(iid), key=lambda w: w.activity_id)
        e.claim_work_item(a.id, "clerk")
        e.start_work_item(a.id, "clerk")
        e.claim_work_item(b.id, "clerk")
        try:
            e.start_work_item(b.id, "clerk")
        except IllegalStateError as exc:
            assert "'a' of its ad-hoc set is in progress" in str(exc)
            return True
        return False


def _adhoc_findings(package: Package) -> list[str]:
    return [d.message for d in validate(package) if d.code == "adhoc-unused"]


@pytest.mark.parametrize(
    "ordering",
    [
        b'AdHocOrdering="Sequential"',
        b'AdHocOrdering="sequential"',
        b'AdHocOrdering="SEQUENTIAL"',
        b'AdhocOrdering="Sequential"',  # TIBCO Business Studio's spelling
        b'AdhocOrdering="sequential"',
    ],
)
def test_a_sequential_ordering_in_any_case_or_tibcos_spelling_runs_one_at_a_time(
    ordering: bytes,
) -> None:
    package = _package(ordering)
    assert _runs_one_at_a_time(package)
    assert _adhoc_findings(package) == []


@pytest.mark.parametrize("ordering", [b'AdHocOrdering="parallel"', b'AdhocOrdering="Parallel"'])
def test_a_parallel_ordering_in_any_spelling_runs_at_once(ordering: bytes) -> None:
    package = _package(ordering)
    assert not _runs_one_at_a_time(package)
    assert _adhoc_findings(package) == []


@pytest.mark.parametrize(
    ("ordering", "shown"),
    [
        (b'AdHocOrdering="Serial"', "AdHocOrdering 'Serial'"),
        (b'AdhocOrdering="one by one"', "AdhocOrdering 'one by one'"),
    ],
)
def test_an_ordering_that_is_neither_is_a_warning_and_runs_in_parallel(
    ordering: bytes, shown: str
) -> None:
    package = _package(ordering)
    [message] = _adhoc_findings(package)
    assert f"activity set 'checks' of process 'main' has {shown}" in message
    assert "neither Sequential nor Parallel" in message
    assert not _runs_one_at_a_time(package)


def test_tibcos_sequential_ordering_without_adhoc_is_named_as_written() -> None:
    [message] = _adhoc_findings(_package(b'AdhocOrdering="Sequential"', adhoc=False))
    assert "has AdhocOrdering 'Sequential' but is not ad hoc" in message

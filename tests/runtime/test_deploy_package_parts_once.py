"""A deploy reads the package's own parts once, not once per process.

Each process's fingerprint dumped and hashed the package's type declarations, participants,
applications and data fields again (six times: once per form a release stored), and
validation walked them again for each process: a 239 KB package of 400 processes and 400 of
each of those took 73 s to deploy and 1.6 s to validate. The dumps are now made once per
package; the fingerprints stay what every release stored. These tests count the reads of
those parts (no timing) and check the fingerprints against the way they were computed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.strategies import packages
from wfengine.definition.io import load_xpdl
from wfengine.definition.model import DataField, Package, Participant, TypeDeclaration
from wfengine.runtime.engine import Engine
from wfengine.runtime.fingerprints import (
    _ALL_LATER,
    LATER_KEYS,
    _lane_performers,
    _strip,
    fingerprint_forms,
)

#: the package's own parts whose dumps a fingerprint hashes
DUMPED = (TypeDeclaration, Participant, DataField)


def _package(processes: int, declared: int) -> Package:
    """``processes`` processes, each calling the next, in a package declaring ``declared``
    types, participants and data fields."""
    procs = "".join(
        f'<WorkflowProcess Id="p{i}"><Activities>'
        '<Activity Id="st"><Event><StartEvent Trigger="None"/></Event></Activity>'
        + (
            f'<Activity Id="c"><Implementation><SubFlow Id="p{i + 1}"/></Implementation></Activity>'
            if i + 1 < processes
            else '<Activity Id="c"><Route/></Activity>'
        )
        + '<Activity Id="e"><Event><EndEvent/></Event></Activity></Activities><Transitions>'
        '<Transition Id="t1" From="st" To="c"/><Transition Id="t2" From="c" To="e"/>'
        "</Transitions></WorkflowProcess>"
        for i in range(processes)
    )
    types = "".join(
        f'<TypeDeclaration Id="T{i}"><BasicType Type="STRING"/></TypeDeclaration>'
        for i in range(declared)
    )
    fields = "".join(
        f'<DataField Id="f{i}"><DataType><BasicType Type="INTEGER"/></DataType></DataField>'
        for i in range(declared)
    )
    people = "".join(
        f'<Participant Id="u{i}"><ParticipantType Type="HUMAN"/></Participant>'
        for i in range(declared)
    )
    text = (
        '<Package xmlns="http://www.wfmc.org/2002/XPDL1.0" Id="pk">'
        f"<TypeDeclarations>{types}</TypeDeclarations><Participants>{people}</Participants>"
        f"<DataFields>{fields}</DataFields><WorkflowProcesses>{procs}</WorkflowProcesses>"
        "</Package>"
    )
    return load_xpdl(text.encode())


def _dumps_deploying(processes: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many dumps of the package's types, participants and data fields a deploy of
    ``processes`` processes in a package declaring 10 of each made."""
    package = _package(processes, 10)
    dumps = 0
    for kind in DUMPED:

        def counted(self: Any, *args: Any, real: Any = kind.model_dump, **kwargs: Any) -> Any:
            nonlocal dumps
            dumps += 1
            return real(self, *args, **kwargs)

        monkeypatch.setattr(kind, "model_dump", counted)
    assert len(Engine().deploy(package, check_bindings=False)) == processes
    monkeypatch.undo()
    return dumps


def test_deploying_more_processes_dumps_the_package_parts_no_more_often(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _dumps_deploying(20, monkeypatch) == _dumps_deploying(5, monkeypatch) == 30


def _as_before(package: Package, process: Any) -> tuple[str, ...]:
    """The fingerprint forms as they were computed: the JSON of one dict of everything."""
    context: dict[str, Any] = {
        "package": package.id,
        "script": package.script.model_dump(mode="json") if package.script else None,
        "applications": [a.model_dump(mode="json") for a in package.applications],
        "participants": [p.model_dump(mode="json") for p in package.participants],
        "data_fields": [d.model_dump(mode="json") for d in package.data_fields],
        "types": [t.model_dump(mode="json") for t in package.type_declarations],
        "process": process.model_dump(mode="json"),
    }
    lanes = _lane_performers(package, process)
    if lanes:
        context["lanes"] = lanes

    def digest(left_out: frozenset[str]) -> str:
        text = json.dumps(_strip(context, left_out), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    forms = [digest(_ALL_LATER)]
    left = set(_ALL_LATER)
    for _, keys in LATER_KEYS:
        left -= keys
        if digest(frozenset(left)) not in forms:
            forms.append(digest(frozenset(left)))
    return tuple(forms)


def test_the_fingerprints_are_what_they_were() -> None:
    package = _package(3, 3)
    for process in package.workflow_processes:
        assert fingerprint_forms(package, process) == _as_before(package, process)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packages())
def test_random_packages_keep_their_fingerprints(package: Package) -> None:
    for process in package.workflow_processes:
        assert fingerprint_forms(package, process) == _as_before(package, process)

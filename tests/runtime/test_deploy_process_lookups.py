"""A deploy looks a package's processes up by Id in an index, not by walking them each time.

Compiling each subflow call walked ``package.workflow_processes`` to find the called
process, and so did telling a redeployed process's calls from its stored version's and a
refused ``strict=True`` deploy's reading of each other process: a package of N processes
calling each other cost N squared (3,000 processes: 2.3 s of a deploy in that walk alone).
These tests count the walks (no timing): they must not grow with the number of processes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wfengine.definition.io import load_xpdl
from wfengine.definition.model import Package, WorkflowProcess
from wfengine.errors import DeployError
from wfengine.runtime.engine import Engine


class _Counted(tuple[WorkflowProcess, ...]):
    """A package's processes that count how often they are walked."""

    walks = 0

    def __iter__(self) -> Iterator[WorkflowProcess]:
        _Counted.walks += 1
        return super().__iter__()


def _chain(processes: int, *, broken: bool = False) -> str:
    """XPDL text: ``processes`` processes, each calling the next as a subflow; with
    ``broken``, the last one's Route is a Tool naming no application (a deploy refuses it)."""
    parts = []
    for i in range(processes):
        last = i + 1 == processes
        body = (
            f'<Implementation><SubFlow Id="p{i + 1}"/></Implementation>'
            if not last
            else ('<Implementation><Tool Id="nothing"/></Implementation>' if broken else "<Route/>")
        )
        parts.append(
            f'<WorkflowProcess Id="p{i}"><Activities>'
            '<Activity Id="st"><Event><StartEvent Trigger="None"/></Event></Activity>'
            f'<Activity Id="c">{body}</Activity>'
            '<Activity Id="e"><Event><EndEvent/></Event></Activity></Activities><Transitions>'
            '<Transition Id="t1" From="st" To="c"/><Transition Id="t2" From="c" To="e"/>'
            "</Transitions></WorkflowProcess>"
        )
    return (
        '<Package xmlns="http://www.wfmc.org/2002/XPDL1.0" Id="pk"><WorkflowProcesses>'
        f"{''.join(parts)}</WorkflowProcesses></Package>"
    )


def _counted(text: str) -> Package:
    package = load_xpdl(text.encode())
    return package.model_copy(update={"workflow_processes": _Counted(package.workflow_processes)})


def _walks_deploying(processes: int) -> tuple[int, int]:
    """How often a deploy of the chain walked its processes: a first deploy, then the same
    package again (each process kept: its calls compared with its stored version's)."""
    engine = Engine()
    package = _counted(_chain(processes))
    _Counted.walks = 0
    assert len(engine.deploy(package, check_bindings=False)) == processes
    first, _Counted.walks = _Counted.walks, 0
    again = engine.deploy(_counted(_chain(processes)), check_bindings=False)
    assert [d.version for d in again] == [1] * processes  # kept, not new versions
    return first, _Counted.walks


def test_deploying_more_processes_walks_them_no_more_often() -> None:
    assert _walks_deploying(20) == _walks_deploying(5)


def _walks_refusing(processes: int) -> int:
    """How often a refused strict deploy of a changed chain walked its processes."""
    engine = Engine()
    engine.deploy(load_xpdl(_chain(processes).encode()), check_bindings=False)
    package = _counted(_chain(processes, broken=True))
    _Counted.walks = 0
    with pytest.raises(DeployError, match="cannot be deployed"):
        engine.deploy(package, strict=True, check_bindings=False)
    return _Counted.walks


def test_a_refused_strict_deploy_walks_them_no_more_often() -> None:
    assert _walks_refusing(20) == _walks_refusing(5)

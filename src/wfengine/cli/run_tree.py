"""The processes a ``wfengine run`` of one process can have instances of (its call tree in the
file). Why a module of its own: the command checks ``--script`` steps against it before the
run, and the runner words its refusals by it during the run, and the command imports the
runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wfengine.definition.model import Package, WorkflowProcess


def run_processes(package: Package, process: WorkflowProcess) -> set[str]:
    """The ids of the processes a run of ``process`` can have instances of: itself and the
    processes of ``package`` its SubFlow activities call, and theirs, and so on (the file's
    call graph; a callee another package holds is not run). Why: the runner delivers a
    message only to an instance of the run's tree, so a process of the file that is never
    called takes nothing the run sends."""
    from wfengine.definition.model_activities import SubFlowImplementation

    by_id = {p.id: p for p in package.workflow_processes}
    found = {process.id}
    todo = [process]
    while todo:
        current = todo.pop()
        nested = (a for activity_set in current.activity_sets for a in activity_set.activities)
        for activity in (*current.activities, *nested):
            body = activity.body
            if not isinstance(body, SubFlowImplementation):
                continue
            if body.package_ref and body.package_ref != package.id:
                continue
            callee = by_id.get(body.process_id)
            if callee is not None and callee.id not in found:
                found.add(callee.id)
                todo.append(callee)
    return found

"""Which processes a deploy refuses, and why (:meth:`~wfengine.runtime.engine.Engine.deploy`).

Why a module of its own: a refusal outlives the deploy (a refused process does not start by
its id in place of what the host tried to deploy: :meth:`EngineBase.deployed
<wfengine.runtime.engine_base.EngineBase.deployed>`), so which processes a refused deploy
leaves refused is a rule of its own, beside the validation that refuses one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package, WorkflowProcess
from wfengine.definition.validation import validate_each_process
from wfengine.errors import DeployError
from wfengine.runtime.deployment import DeployedProcess, same_calls
from wfengine.runtime.fingerprints import fingerprint_forms


def refusals(package: Package) -> list[tuple[WorkflowProcess, DeployError | None]]:
    """Each process of ``package``, in order, with why it cannot deploy: its error findings
    of :func:`~wfengine.definition.validation.validate_process` (None when it can). They are
    found by :func:`~wfengine.definition.validation.validate_each_process`, which walks the
    whole package once, not once per process."""
    return [
        (process, _refusal(process, findings))
        for process, findings in validate_each_process(package)
    ]


def _refusal(process: WorkflowProcess, findings: list[Diagnostic]) -> DeployError | None:
    errors = [d for d in findings if d.severity is Severity.ERROR]
    if not errors:
        return None
    shown = "; ".join(f"{d.code}: {d.message}" for d in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return DeployError(f"process {process.id!r} cannot be deployed: {shown}{more}")


def refused_with_the_package(
    package: Package,
    refused: Mapping[str, DeployError],
    latest: Callable[[str], DeployedProcess | None],
) -> dict[str, DeployError]:
    """The other processes of ``package`` a ``strict=True`` deploy refuses with it, since
    ``refused`` were: each that would have become a new version (a first one, or one whose
    definition differs from the version a deploy would keep (its latest, or the version
    starting now), which ``latest`` reads (``deploy_kept.kept_or_latest``); one whose latest
    stored version no longer compiles too). Why: the host's latest deploy of such a
    process was refused as well, and starting its older stored version by id would run a
    definition the host replaced (a process identical to its latest version is what the
    host deployed: it keeps starting)."""
    why = ", ".join(map(repr, refused))
    found: dict[str, DeployError] = {}
    for process in package.workflow_processes:
        if process.id in refused:
            continue
        try:
            stored = latest(process.id)
        except DeployError:
            stored = None
        if (
            stored is None
            or stored.fingerprint not in fingerprint_forms(package, process)
            or not same_calls(stored, package, process)
        ):
            found[process.id] = DeployError(
                f"process {process.id!r} was not deployed: deploy(strict=True) refused "
                f"package {package.id!r}, since it cannot deploy {why}"
            )
    return found


__all__ = ["refusals", "refused_with_the_package"]

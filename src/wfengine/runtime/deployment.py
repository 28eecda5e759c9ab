"""Deployed process definitions and their versions.

A process is identified by its Id; each deployment of a *changed* definition makes a new
version, and an identical redeployment keeps the version it had, so deploying on every
application start is safe. "Identical" is decided by a fingerprint of the process and of the
package parts it depends on (applications, participants, data fields, type declarations),
computed from the model with source line numbers left out, so reformatting a file does not
make a new version.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from wfengine.definition.io import load_xpdl
from wfengine.definition.model import Package, WorkflowProcess
from wfengine.errors import DeployError, StoreError
from wfengine.runtime.compile_activity import stored_deployment
from wfengine.runtime.compiler import CompiledProcess, compile_process

_log = logging.getLogger("wfengine.deploy")


@dataclass(frozen=True, slots=True, eq=False)
class DeployedProcess:
    """One version of one deployed process."""

    process_id: str
    version: int
    package_id: str
    fingerprint: str
    definition: WorkflowProcess
    package: Package
    compiled: CompiledProcess

    def __repr__(self) -> str:
        return f"DeployedProcess({self.process_id!r}, version={self.version})"


def deployed_version(
    package: Package, process: WorkflowProcess, version: int, fingerprint_: str | None = None
) -> DeployedProcess:
    """``process`` of ``package`` as version ``version``, compiled: the one place a
    :class:`DeployedProcess` is made, whether the engine deploys it or a store reads it back."""
    return DeployedProcess(
        process_id=process.id,
        version=version,
        package_id=package.id,
        fingerprint=fingerprint_ if fingerprint_ is not None else fingerprint(package, process),
        definition=process,
        package=package,
        compiled=compile_process(package, process),
    )


class DeploymentCache:
    """Deployed versions a store has read back from their stored XPDL text, compiled once.

    A store that keeps definitions as text (the SQL store) asks here; a version is compiled
    the first time anyone needs it and each package text is read once, however many of its
    processes are used. Versions never change once stored, so nothing is ever evicted.

    A stored version was deployed by whichever wfengine ran then: it is compiled under
    :func:`~wfengine.runtime.compile_activity.stored_deployment`, where the rules that only
    guard new definitions bend with a warning. One that still does not compile raises a
    :class:`~wfengine.errors.DeployError` naming it, each time it is asked for (compiled once):
    only what needs that version fails.
    """

    def __init__(self) -> None:
        self._versions: dict[tuple[str, int], DeployedProcess] = {}
        self._packages: dict[str, Package] = {}
        self._broken: dict[tuple[str, int], str] = {}

    def get(self, process_id: str, version: int) -> DeployedProcess | None:
        return self._versions.get((process_id, version))

    def keep(self, deployed: DeployedProcess) -> None:
        """A version this process has just stored, compiled already: the first command after
        a deploy does not read its text back and compile it again."""
        self._versions.setdefault((deployed.process_id, deployed.version), deployed)

    def from_text(
        self,
        process_id: str,
        version: int,
        fingerprint_: str,
        xpdl: str,
        xpdl_sha256: str,
        where: str,
        *,
        model: str | None = None,
    ) -> DeployedProcess:
        """Version ``version`` of ``process_id`` from its package's stored text; ``where``
        names the store in the error raised when the package lacks the process. ``model``:
        the package's model as JSON, of the running model's format, read instead of the
        text (a model that does not read back falls back to the text, with a warning)."""
        found = self._versions.get((process_id, version))
        if found is not None:
            return found
        broken = self._broken.get((process_id, version))
        if broken is not None:
            raise DeployError(broken)
        package = self._packages.get(xpdl_sha256)
        if package is None:
            package = self._packages[xpdl_sha256] = _package(xpdl, model, where)
        process = next((p for p in package.workflow_processes if p.id == process_id), None)
        if process is None:
            raise StoreError(
                f"deployment {process_id} v{version} in {where}: its stored package "
                f"{package.id!r} has no process {process_id!r}"
            )
        try:
            with stored_deployment():
                deployed = deployed_version(package, process, version, fingerprint_)
        except DeployError as exc:
            text = self._broken[(process_id, version)] = (
                f"process {process_id!r} v{version}, deployed in {where}, does not compile "
                f"in this wfengine: {exc}"
            )
            raise DeployError(text) from exc
        self._versions[(process_id, version)] = deployed
        return deployed


def _package(xpdl: str, model: str | None, where: str) -> Package:
    """The package a store keeps: from its model's JSON when there is one, else its XPDL."""
    if model is not None:
        try:
            return Package.model_validate_json(model)
        except ValueError as exc:  # pydantic's ValidationError is one
            _log.warning(
                "a stored package model in %s does not read back (%s); read its XPDL",
                where,
                str(exc).splitlines()[0],
            )
    return load_xpdl(xpdl.encode("utf-8"), schema=False)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "line"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def fingerprint(package: Package, process: WorkflowProcess) -> str:
    """A stable hash of what the process means (not where its lines were)."""
    context = {
        "package": package.id,
        "script": package.script.model_dump(mode="json") if package.script else None,
        "applications": [a.model_dump(mode="json") for a in package.applications],
        "participants": [p.model_dump(mode="json") for p in package.participants],
        "data_fields": [d.model_dump(mode="json") for d in package.data_fields],
        "types": [t.model_dump(mode="json") for t in package.type_declarations],
        "process": process.model_dump(mode="json"),
    }
    text = json.dumps(_strip_lines(context), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()

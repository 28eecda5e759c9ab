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
from dataclasses import dataclass
from typing import Any

from wfengine.definition.model import Package, WorkflowProcess
from wfengine.runtime.compiler import CompiledProcess


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

"""A deployed process's fingerprint, and every form of it an earlier release stored.

A deploy keeps a stored version whose fingerprint matches the process deployed
(:mod:`~wfengine.runtime.deploy_kept`), so that a host may deploy all its files at every
start. The fingerprint hashes the model's dump, and each field the model gains adds a key to
that dump: without care every stored version's fingerprint would differ from today's for an
unchanged file, and the first deploy after an upgrade would make a new version of each process
(one that, newest and valid now, also replaces a version scheduled with ``ValidFrom``).

So a field added after the first release that stored fingerprints enters :data:`LATER_KEYS`:
while it holds its empty default it is left out of the hash (:func:`fingerprint`, what a new
version stores), so the file hashes as before the field existed. The releases between a key's
arrival and this rule hashed it even when empty: :func:`fingerprint_forms` gives each such
release's form too, and a deploy compares a stored fingerprint with all of them.

A new model field is added at the end of :data:`LATER_KEYS`, with its commit
(``tests/runtime/test_fingerprint_forms.py`` fails until it is).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from wfengine.definition.lanes import LanePerformers
from wfengine.definition.model import Package, WorkflowProcess
from wfengine.runtime.package_memo import package_memo

#: the keys of the model's dump that later releases added, grouped by the commit each came
#: in, oldest first: (commit, keys). The key names are the model fields' (every dict in the
#: dump is a model's, so a name stands for its fields alone). Only an empty value (``[]``)
#: is left out: a field that holds something is part of what the process means.
LATER_KEYS: tuple[tuple[str, frozenset[str]], ...] = (
    # an expression's own ScriptType (DataField/FormalParameter InitialValue, loop conditions)
    (
        "47bd2e18",
        frozenset(
            {
                "initial_value_attrs",
                "condition_attrs",
                "mi_condition_attrs",
                "complex_flow_condition_attrs",
            }
        ),
    ),
    ("05a6665b", frozenset({"expression_extras"})),  # vendor elements in a <Condition>
    ("e702ded1", frozenset({"namespaces"})),  # namespace declarations below the root
    ("8069a091", frozenset({"duration_extras"})),  # child elements of a DeadlineDuration
    ("bc03ccca", frozenset({"actual_parameter_attrs"})),  # an ActualParameter's ScriptType
)

_ALL_LATER = frozenset(k for _, keys in LATER_KEYS for k in keys)


def fingerprint(package: Package, process: WorkflowProcess) -> str:
    """A stable hash of what the process means (not where its lines were, nor fields later
    releases added while they are empty): what a new version stores."""
    return _hash(package, _own(package, process), _ALL_LATER)


def fingerprint_forms(package: Package, process: WorkflowProcess) -> tuple[str, ...]:
    """Every fingerprint a release computed for ``process`` of ``package``: first
    :func:`fingerprint`'s, then, per commit of :data:`LATER_KEYS`, the form of the releases
    from it up to this rule (the keys it and earlier commits added hashed even when empty),
    the last that of every key hashed. A stored version whose fingerprint is any of them is
    identical to it. Duplicates (a process none of the keys occur in) are left out."""
    own = _own(package, process)
    forms = [_hash(package, own, _ALL_LATER)]
    left = set(_ALL_LATER)
    for _, keys in LATER_KEYS:
        left -= keys
        found = _hash(package, own, frozenset(left))
        if found not in forms:
            forms.append(found)
    return tuple(forms)


def _shared(package: Package) -> dict[str, Any]:
    """What the fingerprint hashes of the package's parts a process depends on."""
    return {
        "package": package.id,
        "script": package.script.model_dump(mode="json") if package.script else None,
        "applications": [a.model_dump(mode="json") for a in package.applications],
        "participants": [p.model_dump(mode="json") for p in package.participants],
        "data_fields": [d.model_dump(mode="json") for d in package.data_fields],
        "types": [t.model_dump(mode="json") for t in package.type_declarations],
    }


def _own(package: Package, process: WorkflowProcess) -> dict[str, Any]:
    """What the fingerprint hashes of the process itself: it, and the lanes it is drawn in."""
    own: dict[str, Any] = {"process": process.model_dump(mode="json")}
    lanes = _lane_performers(package, process)
    if lanes:  # only then: a process drawn in no such lane keeps the fingerprint it had
        own["lanes"] = lanes
    return own


def _hash(package: Package, own: dict[str, Any], left_out: frozenset[str]) -> str:
    """The SHA-256 of the JSON text (keys sorted, no spaces) of the package's parts
    (:func:`_shared`) and ``own`` together, stripped (:func:`_strip`).

    The JSON text of each package part is worked out once per package and form
    (:func:`~wfengine.runtime.package_memo.package_memo`) and joined with the process's
    as ``json.dumps`` of the whole would write it, so that the hash is the one every release
    stored: dumping the package's parts again for each process made a deploy of N processes
    cost N times the package's size."""
    dumped = package_memo(package, _shared, lambda: _shared(package))
    shared = package_memo(package, (_hash, left_out), lambda: _texts(dumped, left_out))
    texts = {**shared, **_texts(own, left_out)}
    text = ",".join(f"{json.dumps(key)}:{texts[key]}" for key in sorted(texts))
    return hashlib.sha256(("{" + text + "}").encode()).hexdigest()


def _texts(parts: dict[str, Any], left_out: frozenset[str]) -> dict[str, str]:
    """Each of ``parts``' values as JSON text, stripped (its keys are none of ``left_out``)."""
    return {
        key: json.dumps(_strip(value, left_out), sort_keys=True, separators=(",", ":"))
        for key, value in parts.items()
    }


def _strip(value: Any, left_out: frozenset[str]) -> Any:
    """``value`` without source line numbers, nor the keys ``left_out`` that are empty."""
    if isinstance(value, dict):
        return {
            k: _strip(v, left_out)
            for k, v in value.items()
            if k != "line" and not (k in left_out and v == [])
        }
    if isinstance(value, list):
        return [_strip(v, left_out) for v in value]
    return value


def _lane_performers(package: Package, process: WorkflowProcess) -> list[list[Any]]:
    """Per activity of ``process`` drawn in a pool lane that names performers: its id, that
    lane's id and those performers, as the runtime compiler reads them
    (:class:`~wfengine.definition.lanes.LanePerformers`). The pools live outside the process,
    so without this a changed lane performer would not make a new version. Only what the
    compiler reads counts: a lane's name, its graphics or a lane no activity is in do not."""
    lanes = package_memo(package, LanePerformers, lambda: LanePerformers(package))
    found: list[list[Any]] = []
    for activity in (
        *process.activities,
        *(a for s in process.activity_sets for a in s.activities),
    ):
        lane = lanes.lane_of(activity)
        if lane is not None:
            found.append([activity.id, lane[0], list(lane[1])])
    return found


__all__ = ["LATER_KEYS", "fingerprint", "fingerprint_forms"]

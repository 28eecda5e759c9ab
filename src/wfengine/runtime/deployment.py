"""Deployed process definitions and their versions.

A process is identified by its Id; a deployment identical to its latest version, or to the
version that starts instances now (a newer one may wait for its ``ValidFrom``), keeps that
version (:mod:`~wfengine.runtime.deploy_kept`), so deploying on every application start is
safe; any other makes a new version. "Identical" is decided by a fingerprint of the process
and of the package parts it depends on (the package id and script, applications,
participants, data fields, type declarations, and the pool lanes its activities are drawn in
with the performers those lanes give them), computed from the model with source line numbers
left out, so reformatting a file does not make a new version; beside it, the Modes of the
formal parameters of the processes of its package it calls, as its subflows bind them, must
be the same too (:func:`same_calls`: not in the fingerprint, so that fingerprints stay as
earlier releases stored them). Fields the model gained later are left out of the fingerprint
while empty, and a stored version is compared with every form a release computed
(:mod:`~wfengine.runtime.fingerprints`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast, overload

from wfengine.definition.io import load_xpdl
from wfengine.definition.model import (
    Activity,
    BlockActivity,
    Package,
    SubFlowImplementation,
    WorkflowProcess,
)
from wfengine.definition.validity import UnreadBound, empty_period, read_bound
from wfengine.errors import DefinitionError, DeployError, StoreError
from wfengine.runtime.compile_activity import stored_deployment
from wfengine.runtime.compile_subflow import _bound_formals, package_process
from wfengine.runtime.compiler import (
    ActivityKind,
    CActivity,
    CGraph,
    CompiledProcess,
    JoinKind,
    SplitKind,
    compile_process,
)
from wfengine.runtime.fingerprints import fingerprint
from wfengine.runtime.start_points import signal_start_names

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
    #: the process's ``ValidFrom`` / ``ValidTo`` (its ProcessHeader), read once when the
    #: version is made: new instances start only within ``[valid_from, valid_to)``; None:
    #: no bound (a date without a time is that day's start, or for ``valid_to`` its end)
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    #: the signals that start an instance of this version (its top-level Signal start
    #: events' names, :func:`~wfengine.runtime.start_points.signal_start_names`): read by
    #: every broadcast for every stored version, so made once here. Empty for most
    signal_start_names: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f"DeployedProcess({self.process_id!r}, version={self.version})"

    def valid_at(self, moment: datetime) -> bool:
        """May an instance of this version start at ``moment`` (its validity period)?"""
        start, end = self.valid_from, self.valid_to
        return (start is None or start <= moment) and (end is None or moment < end)

    def window(self) -> str:
        """The validity period as an error names it."""
        start, end = self.valid_from, self.valid_to
        since = f"from {start.isoformat()}" if start is not None else ""
        until = f"until {end.isoformat()}" if end is not None else ""
        window = " ".join(filter(None, ("valid", since, until)))
        if empty_period(start, end):  # (a refusal naming it alone left one puzzling)
            window += (
                ": an empty period, its ValidFrom not before its ValidTo, so no instance of "
                "it ever starts"
            )
        return window


def deployed_version(
    package: Package, process: WorkflowProcess, version: int, fingerprint_: str | None = None
) -> DeployedProcess:
    """``process`` of ``package`` as version ``version``, compiled: the one place a
    :class:`DeployedProcess` is made, whether the engine deploys it or a store reads it back."""
    header = process.header
    compiled = compile_process(package, process)
    return DeployedProcess(
        process_id=process.id,
        version=version,
        package_id=package.id,
        fingerprint=fingerprint_ if fingerprint_ is not None else fingerprint(package, process),
        definition=process,
        package=package,
        compiled=compiled,
        valid_from=_bound(process.id, "ValidFrom", header.valid_from, end=False),
        valid_to=_bound(process.id, "ValidTo", header.valid_to, end=True),
        signal_start_names=signal_start_names(compiled),
    )


def _bound(process_id: str, name: str, text: str | None, *, end: bool) -> datetime | None:
    """A ``ValidFrom`` / ``ValidTo`` text as a moment
    (:func:`~wfengine.definition.validity.read_bound`, which validation reads it with too).
    A text that is no ISO 8601 date or date-time (XPDL leaves it free) bounds nothing: a
    warning says so (validation's ``validity-unread``)."""
    try:
        return read_bound(text, end=end)
    except UnreadBound as exc:
        _log.warning(
            "process %r: %s %s; it does not limit when instances start",
            *(process_id, name, exc),
        )
        return None


class DeploymentCache:
    """Deployed versions a store has read back from their stored XPDL text, compiled once.

    A store that keeps definitions as text (the SQL store) asks here; a version is compiled
    the first time anyone needs it and each package text is read once, however many of its
    processes are used. Versions never change once stored, so nothing is ever evicted.

    A stored version was deployed by whichever wfengine ran then: it is compiled under
    :func:`~wfengine.runtime.compile_activity.stored_deployment`, where the rules that only
    guard new definitions bend with a warning, and its expressions read as then when the store
    marks it stored before their readings changed. One that still does not compile raises a
    :class:`~wfengine.errors.DeployError` naming it, each time it is asked for (compiled once):
    only what needs that version fails. Within :func:`standing_in` (closing an instance) it is
    read on a :func:`stand_in` instead, never kept.
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
        reads_as_before: bool = False,
    ) -> DeployedProcess:
        """Version ``version`` of ``process_id`` from its package's stored text; ``where``
        names the store in the error raised when the package lacks the process. ``model``:
        the package's model as JSON, of the running model's format, read instead of the
        text (a model that does not read back falls back to the text, with a warning).
        ``reads_as_before``: the store's mark of a version deployed before the expressions'
        readings changed (read as then, with warnings); else read as a new deploy reads it."""
        found = self._versions.get((process_id, version))
        if found is not None:
            return found
        key = (process_id, version)
        broken = self._broken.get(key)
        if broken is not None:
            return _refused(key, fingerprint_, broken, self._packages.get(xpdl_sha256), None)
        package = self._packages.get(xpdl_sha256)
        if package is None:
            try:
                package = self._packages[xpdl_sha256] = _package(xpdl, model, where)
            except (DefinitionError, ValueError) as exc:  # edited by hand, or another format
                text = self._broken[key] = (
                    f"process {process_id!r} v{version}, deployed in {where}: its stored "
                    f"package does not read in this wfengine: {exc}"
                )
                return _refused(key, fingerprint_, text, None, exc)
        process = package_process(package, process_id)
        if process is None:
            raise StoreError(
                f"deployment {process_id} v{version} in {where}: its stored package "
                f"{package.id!r} has no process {process_id!r}"
            )
        try:
            with stored_deployment(reads_as_before=reads_as_before):
                deployed = deployed_version(package, process, version, fingerprint_)
        except DeployError as exc:
            text = self._broken[key] = (
                f"process {process_id!r} v{version}, deployed in {where}, does not compile "
                f"in this wfengine: {exc}"
            )
            return _refused(key, fingerprint_, text, package, exc)
        self._versions[key] = deployed
        return deployed


# --------------------------------------------------------------------------- stand-ins


def _refused(
    key: tuple[str, int],
    fingerprint_: str,
    text: str,
    package: Package | None,
    cause: Exception | None,
) -> DeployedProcess:
    """A stored version this wfengine cannot use: a stand-in while terminate or abort closes
    an instance on it (:func:`standing_in`), else the :class:`DeployError` ``text`` says."""
    if _standing_in.get():
        return stand_in(key[0], key[1], fingerprint_, package)
    raise DeployError(text) from cause


#: set while a command may read a stored version that does not compile on a stand-in
_standing_in: ContextVar[bool] = ContextVar("wfengine_standing_in", default=False)


@contextmanager
def standing_in() -> Iterator[None]:
    """Within it, a stored version that does not compile (or whose package does not even
    read) is read on a stand-in of its graph (:func:`stand_in`) instead of raising its
    :class:`~wfengine.errors.DeployError`: what terminating or aborting its instances needs,
    and only that (the engine closes them so; every other command still fails)."""
    token = _standing_in.set(True)
    try:
        yield
    finally:
        _standing_in.reset(token)


def stand_in(
    process_id: str, version: int, fingerprint_: str, package: Package | None
) -> DeployedProcess:
    """Version ``version`` of ``process_id`` without its compiled process: graphs that hold
    only what an instance document points at (each activity's id, by its index, and the
    block a block activity runs), read from ``package``'s model where it has the process,
    else placeholder activities named by their index (``#3``). Nothing runs on it: it lets
    an instance be loaded and closed (its open activities, work items, timers and jobs)."""
    process = None
    if package is not None:
        process = package_process(package, process_id)
    if process is None:
        process = WorkflowProcess(id=process_id)
        package = Package(id=package.id if package is not None else "?", workflow_processes=())
    assert package is not None
    name = f"process {process_id!r} (a stand-in)"
    graph = _graph(process, process.activities, name, ()) if process.activities else None
    compiled = CompiledProcess(
        process_id=process_id,
        package_id=package.id,
        graph=graph if graph is not None else _placeholder_graph(name),
        data_fields=(),
        formal_parameters=(),
        # unknown: a commit of a closed instance then drops whatever correlation rows it had
        correlation_keys=("",),
    )
    return DeployedProcess(
        process_id, version, package.id, fingerprint_, process, package, compiled
    )


def _graph(
    process: WorkflowProcess, activities: Sequence[Activity], name: str, sets: tuple[str, ...]
) -> CGraph:
    """The stand-in graph of ``activities`` (the top level or an activity set)."""
    acts: list[CActivity] = []
    for index, a in enumerate(activities):
        block: CGraph | None = None
        if isinstance(a.body, BlockActivity):
            set_id = a.body.activity_set_id
            found = next((s for s in process.activity_sets if s.id == set_id), None)
            inner = f"{name}, activity set {set_id!r}"
            if found is not None and set_id not in sets and len(sets) < 64:
                block = _graph(process, found.activities, inner, (*sets, set_id))
            else:
                block = _placeholder_graph(inner)
        kind = ActivityKind.BLOCK if block is not None else ActivityKind.NONE
        acts.append(_activity(index, a, kind, block))
    by_id = {a.id: a.index for a in acts}
    return CGraph(name, tuple(acts), by_id, (), (), tracks_places=False)


def _activity(index: int, model: Activity, kind: ActivityKind, block: CGraph | None) -> CActivity:
    return CActivity(
        index, model.id, model, kind, (), (), JoinKind.PASS, 0, SplitKind.ALL, block=block
    )


class _Placeholders(Sequence[CActivity]):
    """The activities of a graph nothing is known of: made as an instance document asks for
    them by index, each named by its index and running a block of the same kind."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._made: dict[int, CActivity] = {}

    @overload
    def __getitem__(self, index: int) -> CActivity: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[CActivity]: ...
    def __getitem__(self, index: int | slice) -> CActivity | Sequence[CActivity]:
        if isinstance(index, slice):
            return [self._made[i] for i in sorted(self._made)][index]
        if type(index) is not int or index < 0:
            raise IndexError(index)
        found = self._made.get(index)
        if found is None:
            block = _placeholder_graph(f"{self._name}, block #{index}")
            model = Activity(id=f"#{index}")
            found = self._made[index] = _activity(index, model, ActivityKind.BLOCK, block)
        return found

    def __len__(self) -> int:
        return len(self._made)


def _placeholder_graph(name: str) -> CGraph:
    activities = cast("tuple[CActivity, ...]", _Placeholders(name))
    return CGraph(name, activities, {}, (), (), tracks_places=False)


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


def same_calls(stored: DeployedProcess, package: Package, process: WorkflowProcess) -> bool:
    """Are the called formals' Modes ``process`` of ``package`` is compiled with those of
    ``stored`` (a fingerprint match leaves only them to tell apart)?"""
    return _called_modes(stored.package, stored.definition) == _called_modes(package, process)


def _called_modes(package: Package, process: WorkflowProcess) -> list[list[Any]]:
    """Per subflow activity of ``process`` calling another process of ``package``: its id
    and the Modes of the called formals its actuals bind to, as the compiler reads them into
    the call (:func:`~wfengine.runtime.compile_subflow._bound_formals`, for a positional
    call and for one whose DataMappings name the formals alike). The call is checked
    against them when it starts, so without this, changing only a called formal's Mode kept
    the caller's version and each new call of it was refused as an incident. A call binding
    no Mode (no actuals, or a count the formals do not fit) adds nothing, and neither does
    a call of the process itself (its formals are in its own definition)."""
    found: list[list[Any]] = []
    for activity in (
        *process.activities,
        *(a for s in process.activity_sets for a in s.activities),
    ):
        body = activity.body
        if not isinstance(body, SubFlowImplementation) or body.process_id == process.id:
            continue
        if package_process(package, body.process_id) is None:
            continue
        if body.package_ref is not None and body.package_ref != package.id:
            continue
        modes = _bound_formals(package, body)[1]
        if modes:
            found.append([activity.id, [m.value if m is not None else None for m in modes]])
    return found

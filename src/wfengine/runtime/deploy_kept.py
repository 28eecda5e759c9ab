"""Which stored version a deploy keeps instead of making a new one.

A deployed process identical (same fingerprint) to its latest version, or to the version
that starts instances now (the one :meth:`~wfengine.runtime.engine.Engine.startable` picks
at the engine's clock), keeps that version; any other becomes a new version. So a host
that deploys its current file at every start, ahead of a version scheduled with
``ValidFrom``, keeps the current version (a new copy of it would be the newest version
valid now, and would start instances in place of the scheduled one once its period
holds), while redeploying an older file after a newer one took over (a rollback) still
makes a new version of it, which starts instances from then on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from wfengine.definition.model import Package, WorkflowProcess
from wfengine.errors import DeployError
from wfengine.runtime.clock import Clock
from wfengine.runtime.compile_subflow import package_process
from wfengine.runtime.deployment import DeployedProcess, same_calls
from wfengine.runtime.fingerprints import fingerprint_forms
from wfengine.runtime.store import Store


def kept_version(
    store: Store,
    latest: DeployedProcess,
    forms: Collection[str],
    clock: Clock,
    package: Package,
    process: WorkflowProcess,
) -> DeployedProcess | None:
    """The stored version of ``latest``'s process that a deploy of ``process`` of
    ``package``, whose fingerprint a release computed as any of ``forms``
    (:func:`~wfengine.runtime.fingerprints.fingerprint_forms`: a version an earlier release
    stored is kept too), keeps (``latest``: its latest stored version), or None for
    a new one. A version kept is also compiled with the Modes of the same-package processes
    its subflows call that ``process`` is (:func:`~wfengine.runtime.deployment.same_calls`):
    the fingerprint leaves them out, so that a caller deployed before they counted keeps its
    version when nothing changed.

    The latest identical costs nothing more (a host deploys at every start); else only a
    latest whose validity period does not hold now has older versions looked at, newest
    first, as a start by process id looks at them (this engine's refusals aside: a deploy
    that succeeds lifts them)."""
    if latest.fingerprint in forms:
        return latest if same_calls(latest, package, process) else None
    now = clock.now()
    if latest.valid_at(now):  # (no period, or one holding now: the latest starts instances)
        return None
    for older in reversed(store.versions(latest.process_id)):
        if older >= latest.version:
            continue
        try:
            found = store.deployment(latest.process_id, older)
        except DeployError:  # stored by an earlier wfengine: nothing starts on it
            continue
        if found is not None and found.valid_at(now):
            return (
                found
                if found.fingerprint in forms and same_calls(found, package, process)
                else None
            )
    return None


def kept_or_latest(
    store: Store, package: Package, clock: Clock
) -> Callable[[str], DeployedProcess | None]:
    """For a refused ``strict=True`` deploy of ``package``: by process id, the version a
    deploy of its process would keep, else its latest stored version (None: not stored; a
    latest that no longer compiles raises its DeployError), so that a process identical to
    the version starting now keeps starting, as one identical to its latest does."""

    def read(process_id: str) -> DeployedProcess | None:
        latest = store.deployment(process_id)
        process = package_process(package, process_id)
        assert process is not None  # (asked only about the package's processes)
        if latest is None:
            return None
        return (
            kept_version(
                store, latest, fingerprint_forms(package, process), clock, package, process
            )
            or latest
        )

    return read

"""Which instances a broadcast signal reaches: those with an activity open that takes it, in
the order the broadcast reaches them.

A broadcast looks at every stored version of every deployed process (an instance runs the
version it started with). What each version's activities take is computed once per version
(:func:`signal_index`, kept by process, version and fingerprint: a version's content never
changes), so a broadcast passes over a version that no catch of the signal has with one
lookup: it walked each version's every activity and attached event, and every event
sub-process, for every broadcast (400 processes on SQLite: some 90 ms a broadcast). The
signal-start names are kept the same way, on the deployed version
(:attr:`~wfengine.runtime.deployment.DeployedProcess.signal_start_names`).
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from wfengine.errors import DeployError
from wfengine.runtime.compiled import CActivity, CompiledProcess
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.snapshots import InstanceSummary
from wfengine.runtime.states import ProcessState


class SignalReads(Protocol):
    """What finding a signal's waiting instances reads of a store."""

    def deployed_versions(self) -> dict[str, list[int]]: ...

    def deployment(self, process_id: str, version: int | None = None) -> DeployedProcess | None: ...

    def open_at(self, process_id: str, activity_ids: Collection[str]) -> list[str]: ...

    def instance_summary(self, instance_id: str) -> InstanceSummary: ...


def catches_signal(ca: CActivity, name: str) -> bool:
    """Does ``ca`` (a catch event, or an activity with a signal boundary event) take ``name``?"""
    return ca.signal == name or any(b.trigger == "Signal" and b.name == name for b in ca.boundaries)


@dataclass(frozen=True, slots=True)
class SignalIndex:
    """What a process version's activities take of signals, computed once per version."""

    #: signal name -> the activities open at which an instance may take it: its catches and
    #: the activities they are attached to
    catches: Mapping[str, frozenset[str]]
    #: the signals an event sub-process waits for: while its scope runs, any open activity
    #: shows it, so for those names every activity counts
    everywhere: frozenset[str]
    #: every activity of the version (what ``everywhere``'s names reach)
    activities: frozenset[str]

    def takes(self, name: str) -> frozenset[str]:
        """The activities open at which an instance may take signal ``name`` (empty: none)."""
        if name in self.everywhere:
            return self.activities
        return self.catches.get(name, _NONE)


_NONE: frozenset[str] = frozenset()


def index_signals(compiled: CompiledProcess) -> SignalIndex:
    """The :class:`SignalIndex` of ``compiled`` (a walk of all its activities). Every graph
    once (:meth:`~wfengine.runtime.compiled.CompiledProcess.graphs`), not those
    ``activity_graph`` names: it keeps the first graph of each Id, so an activity set whose
    every Id another set repeats (TIBCO files) is in none of its entries, and a signal only
    it catches reached no instance."""
    graphs = compiled.graphs()
    catches: dict[str, set[str]] = {}
    activities: set[str] = set()
    for graph in graphs:
        for a in graph.activities:
            activities.add(a.id)
            names = {b.name for b in a.boundaries if b.trigger == "Signal"}
            if a.signal is not None:
                names.add(a.signal)
            for name in names:
                if name is not None:
                    catches.setdefault(name, set()).add(a.id)
    everywhere = frozenset(
        s.trigger.name
        for graph in graphs
        for s in graph.event_subs
        if s.trigger.trigger == "Signal" and s.trigger.name is not None
    )
    return SignalIndex(
        {name: frozenset(ids) for name, ids in catches.items()},
        everywhere,
        frozenset(activities),
    )


#: the index of each version seen, by (process id, version, fingerprint): one version's
#: content never changes, and the fingerprint tells apart two databases' versions of one
#: number in a program that opens both
_INDEXES: dict[tuple[str, int, str], SignalIndex] = {}
_INDEXES_LOCK = threading.Lock()
#: versions kept at most (a program deploying for ever does not grow without bound)
_MOST_KEPT = 20_000


def signal_index(deployed: DeployedProcess) -> SignalIndex:
    """The :class:`SignalIndex` of ``deployed``, computed the first time it is asked for."""
    key = (deployed.process_id, deployed.version, deployed.fingerprint)
    found = _INDEXES.get(key)
    if found is None:
        found = index_signals(deployed.compiled)
        with _INDEXES_LOCK:
            if len(_INDEXES) >= _MOST_KEPT:
                _INDEXES.clear()
            _INDEXES[key] = found
    return found


def signal_taken(store: SignalReads, name: str) -> bool:
    """Does a stored version of a deployed process take signal ``name`` at all: a catch, an
    attached event, an event sub-process, a Signal start event (whether or not an instance
    waits now)? Asked when a broadcast reached no one, of its name spelt otherwise
    (:func:`~wfengine.runtime.trigger_names.respelt`)."""
    for process_id, versions in store.deployed_versions().items():
        for version in versions:
            try:
                deployed = store.deployment(process_id, version)
            except DeployError:
                continue
            if deployed is not None and (
                signal_index(deployed).takes(name) or name in deployed.signal_start_names
            ):
                return True
    return False


def signal_waiters(store: SignalReads, name: str) -> list[str]:
    """The ids of running instances with an activity open that takes signal ``name`` (found
    through the store's activity mirror: an index range per process). Every deployed version
    counts: an instance runs the version it started with, whose activities may differ from
    the latest's. A suspended instance is left out: it takes no signal (a signal is not
    kept), so it is not reached, and its process's declarations did not refuse the data of
    a broadcast that the running instances of another process take.

    In the order a broadcast reaches them, the same on every store: by creation, a caller
    before the subflow instances it started (their creation time, then how deep they are
    nested, then their ids as listings order them). Why callers first: a signal reaches all
    its catches at one moment, and within one instance an enclosing scope's interrupting
    event (an event attached to a block, an event sub-process) goes before the catches
    inside it, which it withdraws; a synchronous subflow is the called activity's inside as a
    block's activity set is, so an interrupting signal event attached to the subflow activity
    goes first, the subflow instance is closed with the activity, and its own catch of the
    signal takes nothing (a non-interrupting one leaves it running, and the catch takes it
    too). Before, the order followed the store's list of processes, which differs between
    the memory and SQL stores, so the same program ended otherwise on each."""
    found: list[str] = []
    for process_id, versions in store.deployed_versions().items():  # (one read for them all)
        ids: set[str] = set()
        for version in versions:
            try:
                deployed = store.deployment(process_id, version)
            except DeployError:  # a stored version this wfengine cannot compile runs nowhere
                continue
            if deployed is not None:
                ids |= signal_index(deployed).takes(name)
        if ids:
            found.extend(store.open_at(process_id, ids))
    if not found:
        return found
    summary = _Summaries(store)
    running = [i for i in found if summary(i).state is ProcessState.RUNNING]
    return _in_broadcast_order(summary, running)


class _Summaries:
    """``store``'s instance summaries, each read once (the state and the order read them)."""

    def __init__(self, store: SignalReads) -> None:
        self._store = store
        self._read: dict[str, InstanceSummary] = {}

    def __call__(self, instance_id: str) -> InstanceSummary:
        found = self._read.get(instance_id)
        if found is None:
            found = self._read[instance_id] = self._store.instance_summary(instance_id)
        return found


def _in_broadcast_order(summary: _Summaries, instance_ids: list[str]) -> list[str]:
    """``instance_ids`` by creation time, then nesting depth (a caller and the subflow it
    started in one command share a time), then id as listings order them (``pi-9`` before
    ``pi-10``): callers before their subflows, the same on every store."""
    if len(instance_ids) < 2:
        return instance_ids

    def depth(instance_id: str) -> int:
        levels, parent = 0, summary(instance_id).parent_instance_id
        while parent is not None and levels < 1_000:  # (a bound against a broken record)
            levels += 1
            parent = summary(parent).parent_instance_id
        return levels

    def key(instance_id: str) -> tuple[datetime, int, int, str]:
        return (summary(instance_id).created_at, depth(instance_id), len(instance_id), instance_id)

    return sorted(instance_ids, key=key)

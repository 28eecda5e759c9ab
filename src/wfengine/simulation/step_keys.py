"""The keys a scenario's ``activities`` section names the run's steps by, and the labels the
report lists them under.

A run runs the process and the processes its subflows call (in its package), and two of them
may each have an activity of one id. The report keeps such a called process's step apart as
``PROCESS/ACTIVITY`` (:func:`labels_of`); a scenario could not time it, though: its bare id
was refused as ambiguous, and the report's own label as "no such activity". So a scenario
names a step by its id where only one of the run's processes has it, and by
``PROCESS/ACTIVITY`` always (the only way where the id is shared: the ambiguity error names
those keys). Kept out of :mod:`wfengine.simulation.binding`, which checks everything else a
scenario names and is near its size limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from wfengine.definition.model import Activity, WorkflowProcess
from wfengine.simulation.distributions import ScenarioError


def process_activities(process: WorkflowProcess) -> list[Activity]:
    """Every activity of ``process``, those of its activity sets too."""
    found = list(process.activities)
    for activity_set in process.activity_sets:
        found.extend(activity_set.activities)
    return found


def labels_of(processes: Sequence[WorkflowProcess]) -> dict[tuple[str, str], str]:
    """(called process, activity id) -> ``PROCESS/ACTIVITY`` for the steps of a called
    process (``processes[1:]``) whose id another of ``processes`` uses too: the report keeps
    them apart (an id no other process repeats, and the first process's own steps, stay as
    they are)."""
    ids = {p.id: {a.id for a in process_activities(p)} for p in processes}
    return {
        (p.id, act): f"{p.id}/{act}"
        for p in processes[1:]
        for act in sorted(ids[p.id])
        if any(act in ids[other.id] for other in processes if other is not p)
    }


@dataclass(frozen=True)
class Step:
    """One step of the run, as a scenario key names it."""

    #: the label the run knows it by (the report's row, the key of ``Bound.activities``)
    label: str
    process_id: str
    activity: Activity
    #: the activities of its process by id (a Reference is judged by the one it names there)
    named: Mapping[str, Activity]


class RunSteps:
    """The steps of the run's ``processes`` (the run's process first) by their keys."""

    def __init__(self, processes: Sequence[WorkflowProcess]) -> None:
        self.processes = [p.id for p in processes]
        self.labels = labels_of(processes)
        #: activity id -> the processes having an activity of that id
        self.owners: dict[str, list[str]] = {}
        #: ``PROCESS/ACTIVITY`` -> its step
        self._qualified: dict[str, Step] = {}
        #: process id -> its activities' ids
        self._ids: dict[str, list[str]] = {}
        for proc in processes:
            named = {a.id: a for a in process_activities(proc)}
            self._ids[proc.id] = sorted(named)
            for act in named.values():
                self.owners.setdefault(act.id, []).append(proc.id)
                label = self.labels.get((proc.id, act.id), act.id)
                self._qualified[f"{proc.id}/{act.id}"] = Step(label, proc.id, act, named)

    def label(self, process_id: str, activity_id: str) -> str:
        """The label of ``process_id``'s activity ``activity_id``."""
        return self.labels.get((process_id, activity_id), activity_id)

    def resolve(self, source: str, section: str, keys: Iterable[str]) -> dict[str, Step]:
        """The step each of ``keys`` names (a key naming none is left out, for the section's
        reader to refuse as unknown). Refused, naming the key: an id more than one process
        of the run has (naming the keys that tell them apart), ``PROCESS/ACTIVITY`` naming no
        step of the run, and two keys naming one step."""
        found: dict[str, Step] = {}
        by_label: dict[str, str] = {}
        for key in keys:
            where = f"{source}: {section}.{key}"
            owners = self.owners.get(key, ())
            if len(owners) > 1:
                use = " or ".join(f"{p}/{key}" for p in owners)
                raise ScenarioError(
                    f"{where}: processes {', '.join(map(repr, owners))} each have an activity "
                    f"of that id; name the one you mean as {use}"
                )
            if owners:
                step = self._qualified[f"{owners[0]}/{key}"]
            elif key in self._qualified:
                step = self._qualified[key]
            elif "/" in key:
                raise ScenarioError(f"{where}: {self._no_step(key)}")
            else:
                continue
            if step.label in by_label:
                raise ScenarioError(
                    f"{where}: names activity {step.activity.id!r} of process "
                    f"{step.process_id!r}, as {by_label[step.label]!r} does; give each once"
                )
            by_label[step.label] = key
            found[key] = step
        return found

    def _no_step(self, key: str) -> str:
        """Why ``PROCESS/ACTIVITY`` ``key`` names no step of the run."""
        for process_id, ids in self._ids.items():
            if key.startswith(f"{process_id}/"):
                return (
                    f"process {process_id!r} has no activity {key[len(process_id) + 1 :]!r} "
                    f"(its activities: {', '.join(ids)})"
                )
        return (
            f"{key.partition('/')[0]!r} is none of the run's processes ("
            f"{', '.join(self.processes)}: the process and those its subflows call), so "
            f"{key!r} names no step"
        )

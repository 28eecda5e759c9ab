"""The per-activity durations process metrics are made of, as every store answers them (the
SQL store in :mod:`wfengine.runtime.sql.metrics_sql`, the memory store's trail in
:func:`wfengine.audit.metrics.activity_durations_of`): a module of its own so that the
metrics of a memory store need not import SQLAlchemy."""

from __future__ import annotations

from datetime import datetime


class ActivityDurations(dict[str, list[tuple[float, float, bool]]]):
    """activity id -> (waiting, processing, late) of each of its completed instances; and in
    :attr:`ended`, activity id -> how many of its instances a deadline ended instead.

    Why a second figure: a synchronous deadline (taken the exception way) interrupts a late
    activity instance, which closes ``closed.terminated``, never ``closed.completed``: counted
    with the completed ones only, an activity whose every late instance was interrupted
    showed an overdue share of 0 beside its ``deadline.fired`` events. An ended instance
    has no completion to measure a processing time to, so it counts in the activity's
    count and overdue share (:mod:`wfengine.audit.metrics`), not in its durations; kept
    apart here so that what reads only the durations (plots, simulation) is unchanged."""

    def __init__(self) -> None:
        super().__init__()
        #: activity id -> instances closed ``closed.terminated`` after a deadline fired on
        #: them (or on their multi-instance container), in the window by when they closed
        self.ended: dict[str, int] = {}
        #: activity id -> when each of its instances that waits now was created: open (in an
        #: open process instance, suspended ones too) and not started. Why: work piling up
        #: at an activity nobody has done yet counted nowhere, so the bottlenecks named only
        #: activities whose work was done (whatever the window: work as it stands)
        self.waiting_since: dict[str, list[datetime]] = {}

"""``activity_instances`` rows a read goes on past: one whose time was edited by hand to hold
something that is not a time is left out and logged on the ``wfengine.store`` logger, naming
its id and why, as a listing leaves out a ``process_instances`` row it cannot read
(:func:`~wfengine.runtime.sql.rows.skipped`); the other rows are still read.

Why: ``status`` and ``instance show`` read an instance's closed activities from these rows
(:meth:`~wfengine.runtime.sql.store.SqlStore.activity_history`), and ``stats`` their times;
one such row ended each with a traceback, exit 1."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import sqlalchemy as sa

from wfengine.runtime.snapshots import ActivityInstanceSnapshot
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.rows import UNREADABLE, Row, activity_snapshot
from wfengine.runtime.sql.undecoded import each_readable

_log = logging.getLogger("wfengine.store")


def activity_snapshots(found: Iterable[Row], dialect: sa.Dialect) -> list[ActivityInstanceSnapshot]:
    """The activity instances of the ``activity_instances`` rows ``found`` (read
    :func:`~wfengine.runtime.sql.undecoded.undecoded`), leaving out (and logging) a row that
    cannot be read as one."""
    columns = t.activity_instances.c
    return each_readable(found, columns, dialect, activity_snapshot, UNREADABLE, skipped_activity)


def skipped_activity(activity_instance_id: object, why: object) -> None:
    """Log an ``activity_instances`` row a read leaves out, naming it and ``why``."""
    _log.warning(
        "skipped the activity_instances row with id %r: it cannot be read as an activity "
        "instance (%s)",
        activity_instance_id,
        why,
    )

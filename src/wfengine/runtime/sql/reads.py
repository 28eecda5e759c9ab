"""The reads every command makes, built once (building a statement costs more than running it
on SQLite): an instance, its summary, a work item or a job (alone, or with its instance's whole
row), the open work items in creation order (of an instance, which also tells whether it
exists).

A work item is read with its instance's row version from the same statement: the version that
stands for the item's (see :meth:`~wfengine.runtime.sql.unit.UnitOfWork.remember_work_item`);
and with its instance's state (``instance_state``), so that marking the work of a suspended
instance (:mod:`~wfengine.runtime.work_item_marks`) costs the listing no second statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from wfengine.runtime.sql import rows
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.bytewise import bytewise
from wfengine.runtime.states import WorkItemState

_p, _w, _j = t.process_instances, t.work_items, t.jobs

#: the ``state`` values of work items still waiting for someone
OPEN_ITEM_STATES = tuple(s.value for s in WorkItemState if s.is_open)
#: ``state IN`` them, written into the statement when it is compiled (an IN of parameters
#: is expanded at every execution: a fifth of a read's time on SQLite)
_OPEN = _w.c.state.in_([sa.literal_column(f"'{v}'") for v in OPEN_ITEM_STATES])

INSTANCE = sa.select(_p).where(_p.c.id == sa.bindparam("instance_id"))
SUMMARY = sa.select(*rows.SUMMARY_COLUMNS).where(_p.c.id == sa.bindparam("instance_id"))

#: the instance's columns read with each of its work items
_WITH_ITEM = (_p.c.version.label("instance_version"), _p.c.state.label("instance_state"))
_ITEM_WITH_VERSION = sa.select(_w, *_WITH_ITEM).join(_p, _p.c.id == _w.c.instance_id)
ITEM = _ITEM_WITH_VERSION.where(_w.c.id == sa.bindparam("work_item_id"))
#: the listing order (ids by code point on every database: see bytewise)
_ITEM_ORDER = (_w.c.created_at, sa.func.length(_w.c.id), bytewise(_w.c.id))
OPEN_ITEMS = _ITEM_WITH_VERSION.where(_OPEN).order_by(*_ITEM_ORDER)
#: the open items of one instance, from the instance's row: no row when there is no such
#: instance, one row of NULL item columns when it has no open item (one statement tells both)
OPEN_ITEMS_OF = (
    sa.select(_w, *_WITH_ITEM)
    .select_from(_p)
    .outerjoin(_w, sa.and_(_w.c.instance_id == _p.c.id, _OPEN))
    .where(_p.c.id == sa.bindparam("instance_id"))
    .order_by(*_ITEM_ORDER)
)

#: a work item with its instance's whole row, its columns prefixed (a command that reads an
#: item reads its instance next: one statement for both, and one moment)
_PREFIX = "pi_"
_INSTANCE_ROW = tuple(c.label(f"{_PREFIX}{c.name}") for c in _p.c)
ITEM_AND_INSTANCE = (
    sa.select(_w, *_INSTANCE_ROW)
    .join(_p, _p.c.id == _w.c.instance_id)
    .where(_w.c.id == sa.bindparam("work_item_id"))
)

JOB = sa.select(_j).where(_j.c.id == sa.bindparam("job_id"))
#: a job with its instance's whole row (a command that runs a job reads its instance next)
JOB_AND_INSTANCE = (
    sa.select(_j, *_INSTANCE_ROW)
    .join(_p, _p.c.id == _j.c.instance_id)
    .where(_j.c.id == sa.bindparam("job_id"))
)
#: the jobs a claim took, each with its instance's whole row (read in the claim's transaction:
#: the commands that run them find them there, see ``SqlStore.claim_jobs``)
JOBS_AND_INSTANCES = (
    sa.select(_j, *_INSTANCE_ROW)
    .join(_p, _p.c.id == _j.c.instance_id)
    .where(_j.c.id.in_(sa.bindparam("job_ids", expanding=True)))
)


def instance_part(row: Mapping[Any, Any]) -> dict[str, Any]:
    """The ``process_instances`` row inside a row of :data:`ITEM_AND_INSTANCE` or
    :data:`JOB_AND_INSTANCE`."""
    return {c.name: row[f"{_PREFIX}{c.name}"] for c in _p.c}


def instance_version(row: Mapping[Any, Any]) -> int:
    """The row version of the instance inside a row of :data:`ITEM_AND_INSTANCE`."""
    version: int = row[f"{_PREFIX}version"]
    return version

"""``commit(step)`` on the SQL store: a step turned into rows, then written in one transaction.

The rows are made before the transaction opens (:class:`StepPlan`), so a value that cannot be
stored raises :class:`~wfengine.errors.DataNotStorableError` before anything is written. The
transaction (:class:`StepWriter`) then writes every kind of row with one statement (many rows
at once):

* the job carried out is deleted (or given back, due again, when the step says so) by a
  statement that must change its row; the cancelled timers and the jobs of closed instances
  by one more;
* each touched instance row is updated with ``WHERE id = ? AND version = <row version read>``
  (new ones inserted), setting only the columns that can change, and its state only when it
  did (see :data:`SET_ONCE`); a row that moved on, or a job carried out already, raises
  :class:`~wfengine.errors.ConcurrencyError`, which rolls everything back and makes the engine
  re-run the command (these statements are sent
  :meth:`~wfengine.runtime.sql.dialects.Dialect.checked`);
* the audit events are inserted; changed activity instances and work items are upserted
  (closed activity instances the step takes out of their instance's document,
  :func:`~wfengine.runtime.instance.retire`, with them), new work items inserted (an id in
  use is refused, not replaced); the trace entries the document held are inserted when
  there are more than :data:`TRACE_KEPT`; the token mirror of an instance is rewritten
  whole when it changed, the incident rows the step opened inserted and those it resolved
  upserted (:func:`~wfengine.runtime.sql.rows.incidents_touched`); jobs and outbox entries
  are inserted.

Every statement is built once per store and goes to the driver with its rows rendered once in
the driver's form (:mod:`~wfengine.runtime.sql.wire`), without SQLAlchemy's per-row processing.

Should the COMMIT's answer never come (the connection cut while it was on its way), the plan
says how to find out whether it was stored (:meth:`StepWriter.landed`, a row only this step
writes): the store asks before it tries the transaction again (:mod:`~wfengine.runtime.sql.
retry`), so a start stored before the cut is not stored twice, nor a completion refused.

After the commit the unit of work knows the new row versions (:meth:`StepPlan.done`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect as SaDialect

from wfengine.errors import ConcurrencyError
from wfengine.runtime.instance import ProcessInstance, WorkItem, retire
from wfengine.runtime.jobs import JOB_REMINDER, reminder_key_prefix, reminds_of, timer_job
from wfengine.runtime.sql import repeated_ids, rows
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.audit_writes import audit_sql, audit_tuples, outbox_sql, outbox_tuples
from wfengine.runtime.sql.closing_reminders import like_prefix, reminded
from wfengine.runtime.sql.dialects import Dialect
from wfengine.runtime.sql.driver import Run, note_check
from wfengine.runtime.sql.unit import UnitOfWork
from wfengine.runtime.sql.wire import Wire
from wfengine.runtime.states import WorkItemState
from wfengine.runtime.store import Step

Rows = list[dict[str, Any]]

#: how many trace entries a document keeps before a commit moves them to ``trace_entries``:
#: most instances never write a trace row (no statement), and a loop's document stays small
TRACE_KEPT = 256


_OFFERED = WorkItemState.OFFERED

#: the ``process_instances`` columns set when the instance is made and never after, which an
#: update leaves out. Why: SQLite rewrites the index entries of every column an UPDATE sets,
#: even to the value it had, and each index so touched is one more page the commit writes;
#: the process, creation time and state indexes would each cost one per command. The state
#: is set only by the update of a command that changed it.
SET_ONCE = frozenset(
    (
        "id",
        "process_id",
        "definition_version",
        "parent_instance_id",
        "parent_activity_instance_id",
        "created_at",
    )
)


class StepPlan:
    """The rows of one step, and which instance rows it inserts and which it updates."""

    def __init__(self, step: Step, unit: UnitOfWork, writer: StepWriter) -> None:
        self.step = step
        self.unit = unit
        now = datetime.now(UTC)
        self.inserts: Rows = []
        #: (row, the row version it was read at, whether its state changed)
        self.updates: list[tuple[dict[str, Any], int, bool]] = []
        #: audit rows in the driver's form (:mod:`~wfengine.runtime.sql.audit_writes`)
        self.audit: list[tuple[Any, ...]] = []
        self.activities: Rows = []
        self.trace: Rows = []
        self.token_reset: list[str] = []
        self.tokens: Rows = []
        self.correlation_reset: list[str] = []
        self.correlations: Rows = []
        #: incident rows: new ones (inserted: an id in use is refused), and those of
        #: incidents stored open that the step resolved (upserted)
        self.incidents: Rows = []
        self.incidents_changed: Rows = []
        touched = rows.incidents_touched(step.outbox)
        self.closed: list[str] = []
        #: closed instances stored before this step (only those can have stored jobs)
        self.closed_stored: list[str] = []
        #: (instance, work item) of items stored open and closed by this step: their
        #: reminder and escalation jobs go with them
        self.items_closed: list[tuple[str, str]] = []
        #: instance id -> (row version, audit seq, audit head, tokens, state) once committed
        self.written: dict[str, tuple[int, int, str | None, tuple[tuple[Any, ...], ...], str]] = {}
        #: rows a long command set aside before its commit (:meth:`StepWriter.set_aside`)
        self.audit_aside: list[tuple[Any, ...]] = []
        self.activities_aside: list[tuple[Any, ...]] = []
        #: what only this step writes, to tell whether it is stored when its COMMIT's answer
        #: never came (:meth:`StepWriter.landed`): an instance's last new audit event
        #: ("audit", id, seq, hash), else an instance row ("row", id, version, updated_at)
        self.marker: tuple[str, str, int, Any] | None = None
        for inst in step.instances.values():
            known = unit.stored(inst)
            read_version, audit_seq, head = (
                (0, 0, None)
                if known is None
                else (known.row_version, known.audit_seq, known.audit_head)
            )
            first = audit_seq + 1
            changed: set[str] = set()
            aside = unit.take_aside(inst)
            if aside is not None:
                first, head, changed = aside.next_seq, aside.head, aside.changed
                self.audit_aside.extend(aside.audit)
                self.activities_aside.extend(aside.activities)
            audit, head = audit_tuples(inst, first, head, writer._wire)
            last_seq = first - 1 + len(inst.changes)
            self.audit.extend(audit)
            # history leaves the document before it is rendered: the closed activity
            # instances, and the trace entries once there are more than a few, go to their
            # tables (the unit forgets the instance if the transaction fails, so taking them
            # out here is safe)
            if len(inst.trace) > TRACE_KEPT:
                self.trace.extend(rows.trace_rows(inst))
                inst.trace_base += len(inst.trace)
                inst.trace = []
            changed.update(ai_id for _, _, ai_id, _, _ in inst.changes if ai_id is not None)
            retired = retire(inst)
            live = inst.activities
            self.activities.extend(
                rows.activity_rows(inst, [live[i] for i in sorted(changed) if i in live])
            )
            self.activities.extend(rows.activity_rows(inst, retired))
            tokens = rows.token_rows(inst)
            token_key = rows.token_key(tokens)
            state = inst.state.value
            self.written[inst.id] = (read_version + 1, last_seq, head, token_key, state)
            if last_seq > audit_seq and (self.marker is None or self.marker[0] == "row"):
                self.marker = ("audit", inst.id, last_seq, head)
            elif self.marker is None:
                self.marker = ("row", inst.id, read_version + 1, now)
            row = rows.instance_row(
                inst,
                row_version=read_version + 1,
                audit_seq=last_seq,
                audit_head=head,
                updated_at=now,
            )
            if known is None:
                self.inserts.append(row)
            else:
                if unit.stale_items(inst.id, read_version):
                    raise ConcurrencyError(
                        f"a work item of process instance {inst.id!r} was changed by another "
                        f"engine (the instance read at row version {read_version})"
                    )
                self.updates.append((row, read_version, state != known.state))
            if known is None:
                self.tokens.extend(tokens)
            elif token_key != known.tokens:  # the mirror is rewritten only when it changed
                self.token_reset.append(inst.id)
                self.tokens.extend(tokens)
            if known is None:
                self.incidents.extend(rows.incident_row(i) for i in inst.incidents.values())
            else:  # only what the step opened or resolved: the other rows are as stored
                for incident_id, opened in touched.get(inst.id, {}).items():
                    row = rows.incident_row(inst.incidents[incident_id])
                    (self.incidents if opened else self.incidents_changed).append(row)
            if inst.state.is_closed:
                self.closed.append(inst.id)
                if known is not None:
                    self.closed_stored.append(inst.id)
            if inst.compiled.correlation_keys:  # rewritten whole, for the few that have keys
                self.correlation_reset.append(inst.id)
                if inst.state.is_open:
                    self.correlations.extend(rows.correlation_rows(inst))
        self.items: dict[str, WorkItem] = {w.id: w for w in step.work_items}
        #: items stored before (upserted) and new ones (inserted: an id in use is refused)
        self.item_rows: Rows = []
        self.new_items: Rows = []
        #: the worklist index: offer rows to insert, for items offered now and not before (new
        #: or released), and ids of items whose rows go, offered before and not now (claimed,
        #: completed...); an item offered to other users (escalation, four eyes) is in both,
        #: its rows deleted and written again
        self.offers: list[dict[str, Any]] = []
        self.unoffered: list[str] = []
        for item in self.items.values():
            stored = unit.stored_state(item.id)
            (self.new_items if stored is None else self.item_rows).append(rows.work_item_row(item))
            offered = item.state is _OFFERED
            if offered != (stored is _OFFERED):
                if offered:
                    self.offers.extend(rows.offer_rows(item))
                else:
                    self.unoffered.append(item.id)
            elif offered and item.assignees != unit.stored_assignees(item.id):
                self.unoffered.append(item.id)  # deleted before the inserts run
                self.offers.extend(rows.offer_rows(item))
        cancelled = set(step.timers_cancelled)
        self.cancelled = sorted(cancelled)
        jobs = [timer_job(x) for x in step.timers_set if x.id not in cancelled]
        jobs.extend(step.jobs)
        closing = [w for w in self.items.values() if not w.state.is_open and reminded(step, w)]
        self.items_closed = [
            (w.instance_id, w.id)
            for w in closing
            if (stored := unit.stored_state(w.id)) is not None and stored.is_open
        ]
        self.jobs = [
            rows.new_job_row(j)
            for j in jobs
            if j.instance_id not in self.closed and not any(reminds_of(j, w.id) for w in closing)
        ]
        self.outbox = outbox_tuples(step.outbox, now, writer._wire)

    def done(self) -> None:
        """After the commit: the unit knows the new row versions; changes are audit now."""
        for inst in self.step.instances.values():
            inst.changes = []
            self.unit.remember(inst, *self.written[inst.id])
        for item in self.items.values():
            self.unit.remember_work_item(item)


class StepWriter:
    """Writes :class:`StepPlan` s. Its statements are built once per store and go to the driver
    with their rows rendered once (:class:`~wfengine.runtime.sql.wire.Wire`); deleting rows by
    a list of ids is one ``executemany`` of a delete by one id."""

    def __init__(self, dialect: Dialect, sa_dialect: SaDialect) -> None:
        self._dialect = dialect
        self._wire = Wire(dialect, sa_dialect)
        #: new work items are inserted (an id the id generator repeated is refused, not
        #: another instance's item replaced); those stored before, and the activity
        #: mirrors, are upserted (inserted when new, updated when changed) by one statement
        self._insert_items = t.work_items.insert()
        self._upsert_items = dialect.upsert(
            t.work_items,
            ["id"],
            replace=(
                "assignees",
                "performers",
                "state",
                "completed_at",
                "holder",
                "owner",
                "started_at",
            ),
        )
        self._upsert_activities = dialect.upsert(
            t.activity_instances,
            ["id"],
            replace=(
                "state",
                "started_at",
                "completed_at",
                "running_at",
                "late",
                "performer",
                "iterations",
                "mi_index",
                "mi_parent_id",
                "work_item_id",
                "subflow_instance_id",
                "incident_id",
            ),
        )
        self._insert_trace = t.trace_entries.insert()
        self._insert_instances = t.process_instances.insert()
        self._insert_audit = audit_sql(self._wire, t.audit_events.insert())
        self._insert_tokens = t.tokens.insert()
        self._insert_incidents = t.incidents.insert()
        self._upsert_incidents = dialect.upsert(
            t.incidents, ["id"], replace=[c.name for c in t.incidents.c if c.name != "id"]
        )
        self._insert_correlations = t.correlation_keys.insert()
        self._insert_offers = t.work_item_offers.insert()
        self._insert_jobs = t.jobs.insert()
        self._insert_outbox = outbox_sql(self._wire, t.outbox.insert())
        o, k, c = t.work_item_offers, t.tokens, t.correlation_keys
        self._unoffer = o.delete().where(o.c.work_item_id == sa.bindparam("id"))
        self._reset_tokens = k.delete().where(k.c.instance_id == sa.bindparam("id"))
        self._reset_correlations = c.delete().where(c.c.instance_id == sa.bindparam("id"))
        j = t.jobs
        #: the job carried out, deleted or given back to run again (checked: it must exist)
        self._delete_job = j.delete().where(j.c.id == sa.bindparam("w_id"))
        #: cancelled timers (by id) and the jobs of closed instances (by instance)
        self._delete_jobs = j.delete().where(
            sa.or_(j.c.id == sa.bindparam("w_id"), j.c.instance_id == sa.bindparam("w_instance"))
        )
        #: the reminder and escalation jobs of a work item that closed (found by their key)
        self._delete_reminders = j.delete().where(
            j.c.instance_id == sa.bindparam("w_instance"),
            j.c.kind == sa.literal_column(f"'{JOB_REMINDER}'"),
            j.c.idempotency_key.like(sa.bindparam("w_prefix"), escape="\\"),
        )
        self._job_again = (
            j.update()
            .where(j.c.id == sa.bindparam("w_id"))
            .values(
                due_at=sa.bindparam("due_at", type_=t.UtcDateTime),
                lock_owner=sa.null(),
                lock_expires_at=sa.null(),
            )
        )
        p = t.process_instances
        #: whether the state changed -> the instance row's update and the row keys it sets
        self._update_instance: dict[bool, tuple[sa.Update, list[str]]] = {}
        for with_state in (True, False):
            keys = [
                c.name for c in p.c if c.name not in SET_ONCE and (with_state or c.name != "state")
            ]
            update = (
                p.update()
                .where(p.c.id == sa.bindparam("w_id"), p.c.version == sa.bindparam("w_read"))
                .values({n: sa.bindparam(n) for n in keys})
            )
            self._update_instance[with_state] = (update, keys)
        a = t.audit_events
        #: the reads of :meth:`landed`, by the kind of marker
        self._landed = {
            "audit": sa.select(a.c.seq).where(
                a.c.instance_id == sa.bindparam("m_id"),
                a.c.seq == sa.bindparam("m_n"),
                a.c.hash == sa.bindparam("m_v", type_=a.c.hash.type),
            ),
            "row": sa.select(p.c.version).where(
                p.c.id == sa.bindparam("m_id"),
                p.c.version == sa.bindparam("m_n"),
                p.c.updated_at == sa.bindparam("m_v", type_=t.UtcDateTime),
            ),
        }

    def set_aside(self, unit: UnitOfWork, inst: ProcessInstance) -> None:
        """Take out of ``inst`` now, in the middle of a long command, what its commit would:
        its audit events and its retired activity instances, as rows in the driver's form
        that the commit writes first (:class:`~wfengine.runtime.sql.unit.Aside`).

        Why: until the commit they are live objects (change tuples, their details, activity
        instances); in a stretch of thousands of steps the garbage collector promotes them
        to its old generation, and every full pass rescans what is there. Rendered rows are
        plain tuples the collector stops following. The unit forgets what was set aside
        when the command fails, as it forgets the instance.
        """
        aside = unit.aside(inst)
        changes = inst.changes
        if changes:
            audit, aside.head = audit_tuples(inst, aside.next_seq, aside.head, self._wire)
            aside.next_seq += len(changes)
            aside.audit.extend(audit)
            aside.changed.update(ai_id for _, _, ai_id, _, _ in changes if ai_id is not None)
            changes.clear()
        retired = retire(inst)
        if retired:
            made = rows.activity_rows(inst, retired)
            aside.activities.extend(self._wire.render(self._upsert_activities, made))

    def write(self, conn: sa.Connection, plan: StepPlan) -> None:
        """Everything of ``plan``, on ``conn`` inside its transaction.

        Every statement goes out in one :meth:`~wfengine.runtime.sql.dialects.Dialect.batched`
        block (on PostgreSQL one round trip for the transaction's BEGIN, all its rows and its
        COMMIT). The statements whose outcome decides whether the step may commit (the job
        carried out still existed, each instance row was still at the version read) are sent
        :meth:`~wfengine.runtime.sql.dialects.Dialect.checked`: SQLite's row counts are read
        once the block has ended, before the COMMIT; on PostgreSQL such a statement that
        changed no row fails in the server, which aborts the transaction before its COMMIT,
        and which of them failed is not told apart (the message names each).
        """
        if plan.marker is not None:  # should the COMMIT's answer never come
            note_check(partial(self.landed, plan=plan))
        wire, aside = self._wire, plan.audit_aside
        #: (what the statement's Run returned, what it means when it changed no row)
        checks: list[tuple[Any, str]] = []
        try:
            with self._dialect.batched(conn) as run:
                self._jobs_done(run, plan, checks)
                wire.many(run, self._insert_instances, plan.inserts)
                for row, read_version, state_changed in plan.updates:
                    update, keys = self._update_instance[state_changed]
                    values = {k: row[k] for k in keys}
                    values.update(w_id=row["id"], w_read=read_version)
                    checks.append(
                        (
                            wire.one(run, update, values, checked=True),
                            f"process instance {row['id']!r} was changed by another engine "
                            f"(read at row version {read_version})",
                        )
                    )
                wire.many_made(run, self._insert_audit, aside + plan.audit if aside else plan.audit)
                wire.many(run, self._upsert_activities, plan.activities, plan.activities_aside)
                wire.many(run, self._insert_trace, plan.trace)
                wire.many(run, self._reset_tokens, [{"id": x} for x in plan.token_reset])
                wire.many(run, self._insert_tokens, plan.tokens)
                wire.many(run, self._insert_incidents, plan.incidents)
                wire.many(run, self._upsert_incidents, plan.incidents_changed)
                wire.many(
                    run, self._reset_correlations, [{"id": x} for x in plan.correlation_reset]
                )
                wire.many(run, self._insert_correlations, plan.correlations)
                wire.many(run, self._insert_items, plan.new_items)
                wire.many(run, self._upsert_items, plan.item_rows)
                wire.many(run, self._unoffer, [{"id": x} for x in plan.unoffered])
                wire.many(run, self._insert_offers, plan.offers)
                wire.many(run, self._insert_jobs, plan.jobs)
                wire.many_made(run, self._insert_outbox, plan.outbox)
        except sa.exc.IntegrityError as exc:
            # another engine committed the same instance first: on PostgreSQL the batch went
            # on past its instance row and failed on a row both wrote (an audit event's
            # number, the instance row itself when both inserted it)
            self._check(checks, exc)
            table = self._dialect.violated_table(exc)
            refused = repeated_ids.refusal(exc, table, plan)
            if refused is not None:
                raise refused from exc
            raise
        except sa.exc.DBAPIError as exc:
            if self._dialect.check_failed(exc):  # a checked statement changed no row
                raise ConcurrencyError("; or ".join(message for _, message in checks)) from exc
            raise
        # SQLite: the row counts decide, before the COMMIT; PostgreSQL's checked statements
        # answered one row each (a count of 0 failed above, and the COMMIT did not happen)
        self._check(checks, None)
        repeated_ids.committed()

    def landed(self, conn: sa.Connection, plan: StepPlan) -> bool:
        """Whether ``plan`` is stored (read on ``conn``, outside a transaction): asked when
        the COMMIT of a transaction that wrote it went unanswered
        (:mod:`~wfengine.runtime.sql.retry`). Its marker (:attr:`StepPlan.marker`) is a row
        only this step writes: an audit event of the number and hash it gave it (another
        engine's event of that number has another hash, and events are never changed), or,
        for a step that records none, its instance row at the new version and update time
        (gone again once another command changed the instance: the step then counts as not
        stored, and trying it again meets the newer row as a lost race)."""
        marker = plan.marker
        assert marker is not None  # registered only for a plan with one
        kind, key, number, value = marker
        params = {"m_id": key, "m_n": number, "m_v": value}
        return conn.execute(self._landed[kind], params).first() is not None

    def _check(self, checks: list[tuple[Any, str]], cause: BaseException | None) -> None:
        """Raise :class:`ConcurrencyError` for the first checked statement that changed no
        row (one whose answer has not come, after a failed batch, is passed over)."""
        changed = self._dialect.changed
        for result, message in checks:
            if changed(result) == 0:
                raise ConcurrencyError(message) from cause

    def _jobs_done(
        self,
        run: Run,
        plan: StepPlan,
        checks: list[tuple[Any, str]],
    ) -> None:
        """Delete (or give back) the job carried out, then the cancelled timers and the jobs
        of closed instances; the job carried out must still exist (``checks``)."""
        step = plan.step
        done = step.job_done
        if done is not None:
            gone = f"job {done!r} was already carried out"
            if step.job_again_at is not None:  # given back to run again later (a retry)
                again = {"due_at": step.job_again_at, "w_id": done}
                result = self._wire.one(run, self._job_again, again, checked=True)
            else:
                result = self._wire.one(run, self._delete_job, {"w_id": done}, checked=True)
            checks.append((result, gone))
        # one statement for both (a row names a job or an instance); an instance made and
        # closed in this step has no stored job
        deleted = [{"w_id": x, "w_instance": None} for x in plan.cancelled]
        deleted += [{"w_id": None, "w_instance": x} for x in plan.closed_stored]
        self._wire.many(run, self._delete_jobs, deleted)
        if plan.items_closed:
            reminders = [
                {"w_instance": i, "w_prefix": like_prefix(reminder_key_prefix(w))}
                for i, w in plan.items_closed
                if i not in plan.closed_stored
            ]
            self._wire.many(run, self._delete_reminders, reminders)

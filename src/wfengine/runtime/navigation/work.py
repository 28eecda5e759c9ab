"""Work that is not the engine's alone: a person's work item, and the applications of a Tool
activity.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wfengine.applications.calling import ToolFailure
from wfengine.runtime.compiler import (
    KIND_TASK,
    CActivity,
)
from wfengine.runtime.history import (
    ApplicationQueued,
    EventKind,
    WorkItemCompleted,
    WorkItemOffered,
    change,
    marker,
)
from wfengine.runtime.instance import (
    ActivityInstance,
    WorkItem,
)
from wfengine.runtime.jobs import JOB_INVOKE, Job
from wfengine.runtime.navigation.base import (
    _RUNNING,
    NavigatorBase,
    _Failure,
    _tool_failure,
)
from wfengine.runtime.outbox import OutboxKind, work_item_entry
from wfengine.runtime.states import ActivityState, WorkItemState
from wfengine.runtime.tools import resume_tools, run_tools

_OFFERED = OutboxKind.WORK_ITEM_OFFERED
_COMPLETED = OutboxKind.WORK_ITEM_COMPLETED


class Work(NavigatorBase):
    """Work that is not the engine's alone."""

    def _offer(self, ai: ActivityInstance) -> None:
        inst = ai.scope.instance
        directory = self.ctx.directory
        assignees: list[str] = []
        act = ai.act
        for p, declared in zip(act.performers, act.participants, strict=True):
            for m in directory.members(p, declared):
                if m not in assignees:
                    assignees.append(m)
        item = WorkItem(
            id=self.ctx.ids.new("wi"),
            instance_id=inst.id,
            activity_instance_id=ai.id,
            activity_id=ai.act.id,
            performers=ai.act.performers,
            assignees=tuple(assignees),
            state=WorkItemState.OFFERED,
            created_at=self.now,
            mi_index=ai.mi_index,
        )
        ai.work_item = item.id
        self._new_items[item.id] = item
        self.step.work_items.append(item)
        self.step.outbox.append(work_item_entry(_OFFERED, item, self.now))
        inst.changes.append(change(self.now, WorkItemOffered(item.id), ai.id, ai.act.id))

    def complete_work_item(
        self, item: WorkItem, data: Mapping[str, Any] | None, user: str | None = None
    ) -> None:
        inst = self.instance(item.instance_id)
        ai = inst.activities[item.activity_instance_id]
        self.touch(inst)
        item.state = WorkItemState.COMPLETED
        item.completed_at = self.now
        self.step.work_items.append(item)
        self.step.outbox.append(work_item_entry(_COMPLETED, item, self.now))
        ai.work_item = None
        if data:
            inst.data.update(data)
        inst.changes.append(change(self.now, WorkItemCompleted(item.id, user), ai.id, ai.act.id))
        if ai.state is ActivityState.NOT_STARTED:
            ai.state = _RUNNING
            inst.changes.append(marker(self.now, EventKind.ACTIVITY_STARTED, ai.id, ai.act.id))
        if ai.act.kind == KIND_TASK and ai.act.offer_first:
            self._run_task(ai)  # a Manual start: the person came first, now the applications
        else:
            self._body_done(ai)

    def send_back(self, item: WorkItem, target: CActivity) -> None:
        """Close the item's activity instance (terminated, its item withdrawn) and begin
        ``target`` again in the same scope, as if the thread had gone back there."""
        inst = self.instance(item.instance_id)
        ai = inst.activities[item.activity_instance_id]
        self.touch(inst)
        scope = ai.scope
        self._cancel_activity(ai, ActivityState.TERMINATED, count=False)
        self._ready(scope, target)
        self._release(scope, ai.act.index)

    def _run_task(
        self,
        ai: ActivityInstance,
        resume: tuple[Mapping[str, Any], Any] | None = None,
        failure: ToolFailure | None = None,
    ) -> None:
        """Run the activity's applications, or carry on after an asynchronous one answered
        (``resume``: its job payload and result) or failed (``failure``); then finish the
        work, unless the activity now waits for an ``invoke`` job."""
        try:
            if failure is not None:
                raise _tool_failure(failure)
            waiting = self._call_tools(ai, resume)
        except _Failure as exc:
            self._fail(ai, "run", exc)
            return
        if waiting:
            return
        if ai.act.offer_after:
            self._offer(ai)  # a Manual finish: a person confirms what the applications did
        else:
            self._body_done(ai)

    def invocation_done(
        self,
        ai: ActivityInstance,
        payload: Mapping[str, Any],
        result: Any,
        failure: ToolFailure | None,
    ) -> None:
        """An ``invoke`` job's call finished (its retries spent, if it failed): continue the
        waiting activity exactly as a synchronous call would have."""
        self.touch(ai.scope.instance)
        self._run_task(ai, None if failure is not None else (payload, result), failure)

    def _call_tools(
        self, ai: ActivityInstance, resume: tuple[Mapping[str, Any], Any] | None = None
    ) -> bool:
        """Run the activity's applications (see :mod:`wfengine.runtime.tools`); True when
        an asynchronous one was reached and the activity now waits for its ``invoke`` job."""
        self.watch.calls += 1  # the world an application talks to may have changed

        def evaluate(expr: Any, staged: Mapping[str, Any]) -> Any:
            return self._evaluate(ai, expr, staged or None)

        try:
            if resume is None:
                request = run_tools(self.ctx.applications, ai, self.now, evaluate)
            else:
                request = resume_tools(self.ctx.applications, ai, self.now, evaluate, *resume)
        except ToolFailure as exc:
            raise _tool_failure(exc) from exc
        if request is None:
            return False
        ctx = self.ctx
        job = Job(
            id=ctx.ids.new("job"),
            kind=JOB_INVOKE,
            instance_id=ai.scope.instance.id,
            due=self.now,
            seq=ctx.next_timer_seq(),
            payload=request.payload,
            key=request.key,
        )
        # held with the deadline timers: closing the activity (a deadline, termination)
        # deletes the job, and a result that comes back for it is discarded
        ai.timers.append(job.id)
        self.step.jobs.append(job)
        queued = ApplicationQueued(request.payload["application_id"], job.key, job.id)
        ai.scope.instance.changes.append(change(self.now, queued, ai.id, ai.act.id))
        return True

"""Operator commands on one activity instance: cancelling it (WfMC's change of an activity
instance's state to aborted; the cancel-activity pattern, WCP19)."""

from __future__ import annotations

from wfengine.errors import IllegalStateError, NotFoundError
from wfengine.runtime.engine_base import EngineBase
from wfengine.runtime.states import ProcessState


class ActivityCommands(EngineBase):
    """Commands on activity instances (:class:`~wfengine.runtime.engine.Engine` mixes this
    in)."""

    def cancel_activity(self, instance_id: str, activity_instance_id: str) -> None:
        """Cancel an open activity instance: it closes as ``closed.aborted`` (audited), its
        open work item is withdrawn, whatever runs under it (a block's activities, a
        synchronous subflow, a multi-instance activity's instances) is cancelled too, and its
        branch ends there: its outgoing transitions are not followed. An instance of a
        multi-instance activity cancels the whole activity. The instance carries on with its
        other branches (and completes if none is left)."""

        def body() -> None:
            inst = self.store.instance(instance_id)
            ai = inst.activities.get(activity_instance_id)
            if ai is None:
                raise NotFoundError(
                    "activity instance", activity_instance_id, f"in instance {instance_id!r}"
                )
            if ai.mi_parent is not None:
                ai = ai.mi_parent
            subject = f"activity instance {ai.id!r} ({ai.act.id!r}) of instance {inst.id!r}"
            if ai.state.is_closed:
                raise IllegalStateError(subject, ai.state.value, "cancel")
            if inst.state is not ProcessState.RUNNING:
                raise IllegalStateError(
                    subject, f"in an instance that is {inst.state.value}", "cancel"
                )
            nav = self._nav()
            nav.touch(inst)
            nav.cancel_activity(ai)
            self._commit(nav)

        self._command(body)


__all__ = ["ActivityCommands"]

"""Script tasks: their assignments evaluated in order, applied to the data all together
(:mod:`wfengine.definition.scripts` says what a script may hold)."""

from __future__ import annotations

from collections import ChainMap
from typing import Any

from wfengine.applications.redaction import audit_values
from wfengine.errors import DataNotStorableError, DataTypeError, ExpressionEvaluationError
from wfengine.runtime.evaluation import CompiledExpression
from wfengine.runtime.history import ScriptAssigned, change
from wfengine.runtime.instance import ActivityInstance
from wfengine.runtime.loop_counters import own_variables
from wfengine.runtime.navigation.base import NavigatorBase
from wfengine.runtime.values import check_storable


class Scripts(NavigatorBase):
    """A script task's own work."""

    def _run_script(self, ai: ActivityInstance) -> None:
        """Run the assignments; then a Manual finish offers a work item to confirm them
        (a Manual start offered one before: :meth:`Work.complete_work_item` calls here)."""
        if self._set_fields(ai, ai.act.script, "run"):
            if ai.act.offer_after:
                self._offer(ai)
            else:
                self._body_done(ai)

    def _set_fields(
        self,
        ai: ActivityInstance,
        statements: tuple[tuple[str, CompiledExpression], ...],
        operation: str,
    ) -> bool:
        """Evaluate ``statements`` in order (each sees those before it), then apply them all
        (``activity.script``); on a failure nothing is applied and an incident whose retry
        (``operation``) redoes them all is opened: False.

        Each value is converted to its field's type as its statement runs, not only when all
        are stored: a later statement sees what the field will hold (Java's ``x = 7; half =
        x / 2`` with ``x`` a FLOAT divides 7.0, as it does when 7 came from the data; an
        INTEGER ``n = '5'`` is 5 to ``n + 1``)."""
        inst = ai.scope.instance
        assigned: dict[str, Any] = {}
        # (its loop counter, in an instance of a multi-instance activity: its own index)
        variables = ChainMap(assigned, own_variables(ai, inst.data))
        context = f"instance {inst.id!r}"
        where = f"{ai.place()}, script"
        for name, expr in statements:
            try:
                value = expr.evaluate(variables, self._clock, context)
                # a value its field's type does not take (an enumeration's "zz"), or a
                # read-only field, as a person's answer would be
                assigned.update(inst.compiled.checked({name: value}, where))
            except (ExpressionEvaluationError, DataTypeError, DataNotStorableError) as exc:
                self._incident(inst, ai, ai.act.id, operation, str(exc))
                return False  # nothing assigned: the retry redoes all
        try:  # a value no store can hold (a set, a dict with number keys, nested too deep)
            check_storable(assigned, where)
        except DataNotStorableError as exc:
            self._incident(inst, ai, ai.act.id, operation, str(exc))
            return False
        shown = audit_values(assigned, inst.sensitive_fields)
        inst.data.update(assigned)
        inst.changes.append(change(self.now, ScriptAssigned(shown), ai.id, ai.act.id))
        return True

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
from wfengine.runtime.navigation.base import NavigatorBase
from wfengine.runtime.values import check_storable


class Scripts(NavigatorBase):
    """A script task's own work."""

    def _run_script(self, ai: ActivityInstance) -> None:
        if self._set_fields(ai, ai.act.script, "run"):
            self._body_done(ai)

    def _set_fields(
        self,
        ai: ActivityInstance,
        statements: tuple[tuple[str, CompiledExpression], ...],
        operation: str,
    ) -> bool:
        """Evaluate ``statements`` in order (each sees those before it), then apply them all
        (``activity.script``); on a failure nothing is applied and an incident whose retry
        (``operation``) redoes them all is opened: False."""
        inst = ai.scope.instance
        assigned: dict[str, Any] = {}
        variables = ChainMap(assigned, inst.data)
        context = f"instance {inst.id!r}"
        for name, expr in statements:
            try:
                assigned[name] = expr.evaluate(variables, self._clock, context)
            except ExpressionEvaluationError as exc:  # nothing assigned: the retry redoes all
                self._incident(inst, ai, ai.act.id, operation, str(exc))
                return False
        try:  # a value no store can hold (a set, a dict with number keys, nested too deep),
            # or one its field's type does not take (an enumeration's "zz"), as a person's
            assigned = dict(inst.compiled.checked(assigned, f"{ai.place()}, script"))
            check_storable(assigned, f"{ai.place()}, script")
        except (DataNotStorableError, DataTypeError) as exc:
            self._incident(inst, ai, ai.act.id, operation, str(exc))
            return False
        shown = audit_values(assigned, inst.sensitive_fields)
        inst.data.update(assigned)
        inst.changes.append(change(self.now, ScriptAssigned(shown), ai.id, ai.act.id))
        return True

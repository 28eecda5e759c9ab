"""Script tasks: their assignments evaluated in order, applied to the data all together
(:mod:`wfengine.definition.scripts` says what a script may hold).

A script is charged as one evaluation: its statements share one work budget
(``RuntimeLimits.max_script_work``, :mod:`wfengine.expressions.shared_budget`), since one
command runs them all and a budget per statement let a script's length, not a limit, bound
what one command cost. An activity's assignments at its start or end are charged the same."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from wfengine.applications.redaction import audit_values
from wfengine.errors import DataNotStorableError, DataTypeError, ExpressionEvaluationError
from wfengine.expressions.shared_budget import SharedBudget
from wfengine.runtime.evaluation import CompiledExpression
from wfengine.runtime.history import ScriptAssigned, change
from wfengine.runtime.instance import ActivityInstance
from wfengine.runtime.loop_counters import own_variables
from wfengine.runtime.navigation.base import NavigatorBase
from wfengine.runtime.values import MAX_DEPTH, check_storable


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
        depths: _Depths | None = None
        failure: str | None = None
        # one budget for all the statements (their values' sizes measured once, too)
        with SharedBudget(self.ctx.limits.max_script_work, _SCRIPT_BUDGET):
            for number, (name, expr) in enumerate(statements, 1):
                try:
                    value = expr.evaluate(variables, self._clock, context)
                    if value.__class__ not in _FLAT and not _shallow(value):
                        depths = depths or _Depths()
                        depths.check(value, where, number, name)
                    # a value its field's type does not take (an enumeration's "zz"), or a
                    # read-only field, as a person's answer would be
                    assigned.update(inst.compiled.checked({name: value}, where))
                except (ExpressionEvaluationError, DataTypeError, DataNotStorableError) as exc:
                    failure = str(exc)
                    break
        if failure is not None:  # (the incident is recorded outside the script's budget)
            self._incident(inst, ai, ai.act.id, operation, failure)
            return False  # nothing assigned: the retry redoes all
        try:  # a value no store can hold (a set, a dict with number keys)
            check_storable(assigned, where)
        except DataNotStorableError as exc:
            self._incident(inst, ai, ai.act.id, operation, str(exc))
            return False
        shown = audit_values(assigned, inst.sensitive_fields)
        inst.data.update(assigned)
        inst.changes.append(change(self.now, ScriptAssigned(shown), ai.id, ai.act.id))
        return True


#: how a statement that finds the script's budget spent names it
_SCRIPT_BUDGET = (
    "what the script's earlier statements left of its budget ({total:,} elements and "
    "characters for all its statements together: RuntimeLimits.max_script_work)"
)


#: the containers whose nesting a store counts (:data:`wfengine.runtime.values.MAX_DEPTH`)
_NESTING = (list, tuple, Mapping)
#: the same, as expressions make them (a faster test than ``isinstance`` of a Mapping)
_PLAIN_NESTING = frozenset({list, tuple, dict})
#: values that nest nothing: skipped without the slower ``isinstance`` of ``_NESTING``
_FLAT = frozenset({str, int, float, bool, type(None)})


def _shallow(value: Any) -> bool:
    """Whether ``value`` is a short list, tuple or dict of flat values (most containers a
    script makes: ``[a, b, 3]``): one level, seen without measuring (and caching) it."""
    kind = value.__class__
    if kind is dict:
        items: Any = value.values()
    elif kind is list or kind is tuple:
        items = value
    else:
        return False
    return len(items) <= _SHORT and _FLAT.issuperset(map(type, items))


#: the longest container :func:`_shallow` looks through (a longer one is measured once)
_SHORT = 64


class _Depths:
    """The nesting depth of the values a script assigns, refused past
    :data:`~wfengine.runtime.values.MAX_DEPTH` right after the statement that made one.

    Why here and not only in the final :func:`check_storable`: ``a = [a]`` 4,000 times grew a
    value 4,000 deep before anything looked at its depth. Each container is measured once (by
    identity; held, so its id is not reused), so a value grown statement by statement costs
    one step per statement, not a walk of all of it each time. Only depth is checked here: a
    value no store takes for another reason (a set) may still be overwritten by a later
    statement, as before; what remains at the end is checked whole."""

    __slots__ = ("_known",)

    def __init__(self) -> None:
        #: id -> (the container, its depth)
        self._known: dict[int, tuple[Any, int]] = {}

    def check(self, value: Any, where: str, statement: int, field: str) -> None:
        """Raise :class:`DataNotStorableError` naming the statement and the field if ``value``
        (assigned to ``field`` by ``statement``, counted from 1) nests deeper than a store
        keeps."""
        if value.__class__ not in _PLAIN_NESTING and not isinstance(value, _NESTING):
            return
        try:
            self._depth(value, 1)
        except _TooDeep:
            deep = f"a value nested deeper than {MAX_DEPTH} levels cannot be stored"
            place = f"{where}, statement {statement}, data[{field!r}]"
            raise DataNotStorableError(place, value, deep) from None

    def _depth(self, value: Any, level: int) -> int:
        """The depth of container ``value`` (1: it holds no container) found ``level`` deep
        in the value checked; recursion stops past the depth a store keeps."""
        known = self._known.get(id(value))
        if known is not None:
            if level - 1 + known[1] > MAX_DEPTH:
                raise _TooDeep
            return known[1]
        if level > MAX_DEPTH:
            raise _TooDeep
        deepest = 0
        kind = value.__class__
        mapping = kind is dict or (kind is not list and isinstance(value, Mapping))
        for item in value.values() if mapping else value:
            if item.__class__ not in _FLAT and (
                item.__class__ in _PLAIN_NESTING or isinstance(item, _NESTING)
            ):
                deepest = max(deepest, self._depth(item, level + 1))
        self._known[id(value)] = (value, deepest + 1)
        return deepest + 1


class _TooDeep(Exception):
    """Internal: a value nests deeper than a store keeps."""

"""Ad-hoc attributes on a scope that is not ad hoc.

XPDL 2.x gives an activity set (and a process) ``AdHoc``, ``AdHocOrdering`` and
``AdHocCompletionCondition``; the engine reads the last two only when ``AdHoc`` is true
(:meth:`wfengine.runtime.compiler` builds the scope's graph so). A tool that leaves ``AdHoc``
out, or writes it false, yet gives a completion condition or a sequential ordering, means an
ad-hoc set: run as an ordinary one, its condition never ends it and its activities run at
once. The builder refuses ``completion=`` without ``adhoc=``; this says the same to a document:

* ``adhoc-unused`` (warning): the scope, and the attributes the engine ignores.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Scope
from wfengine.definition.diagnostics import Diagnostic, make


def adhoc_findings(scope: Scope) -> Iterator[Diagnostic]:
    """``adhoc-unused`` for ``scope`` when it carries ad-hoc attributes without being ad hoc.
    ``AdHocOrdering="Parallel"`` is not one: it is the schema's default, which tools write on
    every set, and what an ordinary set does anyway."""
    attrs = dict((scope.activity_set or scope.process).extra_attrs)
    if attrs.get("AdHoc", "false").strip().lower() == "true":
        return
    ignored: list[str] = []
    condition = attrs.get("AdHocCompletionCondition", "").strip()
    if condition:
        ignored.append(f"AdHocCompletionCondition {condition!r}")
    ordering = attrs.get("AdHocOrdering", "").strip()
    if ordering.lower() == "sequential":
        ignored.append(f"AdHocOrdering {ordering!r}")
    if not ignored:
        return
    yield make(
        "adhoc-unused",
        f'{scope.where} has {" and ".join(ignored)} but is not ad hoc (no AdHoc="true"): the '
        'engine ignores them; add AdHoc="true" or remove them',
        element_id=scope.element_id,
        line=scope.line,
    )

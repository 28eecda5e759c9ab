"""Ad-hoc attributes the engine ignores, and how it reads a scope's ``AdHocOrdering``.

XPDL 2.x gives an activity set (and a process) ``AdHoc``, ``AdHocOrdering`` and
``AdHocCompletionCondition``; the engine reads the last two only when ``AdHoc`` is true
(:meth:`wfengine.runtime.compiler` builds the scope's graph so). A tool that leaves ``AdHoc``
out, or writes it false, yet gives a completion condition or a sequential ordering, means an
ad-hoc set: run as an ordinary one, its condition never ends it and its activities run at
once. The builder refuses ``completion=`` without ``adhoc=``; this says the same to a document.

``AdHocOrdering`` is XPDL's enumeration ``Sequential`` / ``Parallel`` (``Parallel`` when
absent); :func:`adhoc_ordering` reads its value whatever its case, and under TIBCO Business
Studio's spelling ``AdhocOrdering`` too (the attribute's name whatever its case). Why: an
ordering read only as written ``AdHocOrdering="Sequential"`` ran a set its modeller made
sequential in parallel, without a word. A value that is neither is taken as ``Parallel``:

* ``adhoc-unused`` (warning): the scope, and the attributes the engine ignores (a completion
  condition or a sequential ordering without ``AdHoc="true"``, an ordering that is neither
  ``Sequential`` nor ``Parallel``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from wfengine.definition.checks.context import Scope
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model_nodes import Attrs

#: the ordering attribute's name in lower case: ``AdHocOrdering`` (XPDL), ``AdhocOrdering``
#: (TIBCO Business Studio)
_ORDERING = "adhocordering"
_CANONICAL_NAME = "AdHocOrdering"
#: the values of XPDL's ``AdHocOrdering`` enumeration, in lower case
SEQUENTIAL, PARALLEL = "sequential", "parallel"


def adhoc_ordering(attrs: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The ordering attribute among a scope's ``attrs`` (its ``extra_attrs``): its name as
    written and its value, or None when it has none (the first, should a tool write two)."""
    for name, value in attrs:
        if name.lower() == _ORDERING:
            return name, value
    return None


def canonical_ordering(attrs: Attrs) -> Attrs:
    """``attrs`` with the ordering attribute as XPDL 2.2 spells it (``AdHocOrdering``,
    ``Sequential`` or ``Parallel``) when its value is one of those in any case: the writer's
    form. Why: TIBCO's ``AdhocOrdering="sequential"`` copied as written is invalid in 2.2,
    and other tools run the set it orders in parallel. A value that is neither, or a second
    ordering attribute beside the first (which would clash with the renamed one), is kept
    as written: validation names it (``adhoc-unused``)."""
    found = adhoc_ordering(attrs)
    if found is None:
        return attrs
    name, value = found
    canonical = {SEQUENTIAL: "Sequential", PARALLEL: "Parallel"}.get(value.strip().lower())
    others = [n for n, _ in attrs if n.lower() == _ORDERING and n != name]
    if canonical is None or others or (name, value) == (_CANONICAL_NAME, canonical):
        return attrs
    return tuple((_CANONICAL_NAME, canonical) if n == name else (n, v) for n, v in attrs)


def is_sequential(attrs: Iterable[tuple[str, str]]) -> bool:
    """Does the scope with ``attrs`` say its ad-hoc activities run one at a time
    (``AdHocOrdering`` ``Sequential``, in any case, or TIBCO's ``AdhocOrdering``)?"""
    found = adhoc_ordering(attrs)
    return found is not None and found[1].strip().lower() == SEQUENTIAL


def adhoc_findings(scope: Scope) -> Iterator[Diagnostic]:
    """``adhoc-unused`` for ``scope`` when it carries ad-hoc attributes the engine ignores:
    without being ad hoc (``AdHocOrdering="Parallel"`` is not one: it is the schema's default,
    which tools write on every set, and what an ordinary set does anyway), or an ordering
    that is neither value."""
    extra = (scope.activity_set or scope.process).extra_attrs
    attrs = dict(extra)
    found = adhoc_ordering(extra)
    name, ordering = (found[0], found[1].strip()) if found is not None else ("", "")
    if found is not None and ordering.lower() not in (SEQUENTIAL, PARALLEL):
        yield make(
            "adhoc-unused",
            f"{scope.where} has {name} {ordering!r}, which is neither Sequential nor Parallel: "
            "the engine ignores it (an ad-hoc set's activities then run in parallel, the "
            "default); write Sequential or Parallel",
            element_id=scope.element_id,
            line=scope.line,
        )
    if attrs.get("AdHoc", "false").strip().lower() == "true":
        return
    ignored: list[str] = []
    condition = attrs.get("AdHocCompletionCondition", "").strip()
    if condition:
        ignored.append(f"AdHocCompletionCondition {condition!r}")
    if ordering.lower() == SEQUENTIAL:
        ignored.append(f"{name} {ordering!r}")
    if not ignored:
        return
    yield make(
        "adhoc-unused",
        f'{scope.where} has {" and ".join(ignored)} but is not ad hoc (no AdHoc="true"): the '
        'engine ignores them; add AdHoc="true" or remove them',
        element_id=scope.element_id,
        line=scope.line,
    )

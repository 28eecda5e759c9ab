"""Identity checks: Ids that must be unique, extended-attribute names that should be.

Uniqueness is checked where XPDL resolves a reference, because that is where a repeated Id makes
a definition ambiguous: processes within the package; activities and transitions within a scope
(a process's top level or one activity set, where transitions resolve them) and activity sets
within a process; an activity or transition Id repeated in another scope of the same process
(TIBCO writes them) is a warning, ``duplicate-id-scopes``, since the engine resolves each scope
on its own;
data fields, participants, applications and type declarations within the package and within
each process; formal parameters within a process or application. XPDL 1.0 files reuse activity
Ids across processes; that is legal and not reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import Extensible, Package, WorkflowProcess
from wfengine.definition.model_nodes import descendants

#: Extended attributes that Enhydra Shark and JaWE write several times on purpose, each entry
#: adding one item to a list (the variables a form shows, one entry per start or end bubble
#: drawn on the graph); repeating them is not a mistake.
LIST_VALUED_PREFIXES = (
    "VariableToProcess_",
    "JaWE_GRAPH_START_OF_WORKFLOW",
    "JaWE_GRAPH_END_OF_WORKFLOW",
)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def line(self) -> int | None: ...


def _duplicates(items: Iterable[_HasId], kind: str, where: str) -> Iterator[Diagnostic]:
    """One ``duplicate-id`` per item whose Id an earlier item of ``items`` already has."""
    first_line: dict[str, int | None] = {}
    for item in items:
        if item.id in first_line:
            seen = first_line[item.id]
            at = f" (first at line {seen})" if seen is not None else ""
            yield make(
                "duplicate-id",
                f"{where} has more than one {kind} with Id {item.id!r}{at}",
                element_id=item.id,
                line=item.line,
            )
        else:
            first_line[item.id] = item.line


def _package_level(package: Package) -> Iterator[Diagnostic]:
    where = f"package {package.id!r}"
    yield from _duplicates(package.workflow_processes, "process", where)
    yield from _duplicates(package.data_fields, "data field", where)
    yield from _duplicates(package.participants, "participant", where)
    yield from _duplicates(package.applications, "application", where)
    yield from _duplicates(package.type_declarations, "type declaration", where)
    for app in package.applications:
        yield from _duplicates(app.formal_parameters, "formal parameter", f"application {app.id!r}")


def _across_scopes(scopes: list[tuple[_HasId, ...]], kind: str, where: str) -> Iterator[Diagnostic]:
    """``duplicate-id-scopes`` for an Id that another scope of the process already uses."""
    owner: dict[str, int] = {}
    for index, items in enumerate(scopes):
        for item in items:
            first = owner.setdefault(item.id, index)
            if first != index:
                yield make(
                    "duplicate-id-scopes",
                    f"{where} uses the {kind} Id {item.id!r} in more than one scope (its top "
                    "level and activity sets); each scope resolves its own, but audit records "
                    "and look-ups by Id cannot tell them apart",
                    element_id=item.id,
                    line=item.line,
                )


def _process_level(process: WorkflowProcess) -> Iterator[Diagnostic]:
    where = f"process {process.id!r}"
    sets = process.activity_sets
    for scope_where, activities, transitions in (
        (where, process.activities, process.transitions),
        *((f"activity set {s.id!r} of {where}", s.activities, s.transitions) for s in sets),
    ):
        yield from _duplicates(activities, "activity", scope_where)
        yield from _duplicates(transitions, "transition", scope_where)
    yield from _across_scopes(
        [process.activities, *(s.activities for s in sets)], "activity", where
    )
    yield from _across_scopes(
        [process.transitions, *(s.transitions for s in sets)], "transition", where
    )
    yield from _duplicates(sets, "activity set", where)
    yield from _duplicates(process.data_fields, "data field", where)
    yield from _duplicates(process.formal_parameters, "formal parameter", where)
    yield from _duplicates(process.participants, "participant", where)
    yield from _duplicates(process.applications, "application", where)
    for app in process.applications:
        yield from _duplicates(app.formal_parameters, "formal parameter", f"application {app.id!r}")


def check_duplicate_ids(ctx: Context) -> Iterator[Diagnostic]:
    """``duplicate-id``: two elements of one kind share an Id in one scope."""
    yield from ctx.once(_package_level, lambda: list(_package_level(ctx.package)))
    for process in ctx.processes:
        yield from _process_level(process)


def _describe(node: Extensible) -> tuple[str, str | None]:
    """A message label (``Activity 'A'``) and the element Id, where the element has one."""
    element_id = getattr(node, "id", None)
    kind = type(node).__name__
    if isinstance(element_id, str):
        return f"{kind} {element_id!r}", element_id
    return kind, None


def check_duplicate_extended_attributes(ctx: Context) -> Iterator[Diagnostic]:
    """``duplicate-extended-attribute``: one element names an extended attribute twice.

    Only the first is what ``Extensible.extended_attribute`` returns, so a second one with a
    different value is silently ignored by anything that reads it; that deserves a warning but
    not a refusal (shoobx.wfmc refuses such files; their tools wrote them). Every element of
    the package counts, whichever process is validated: found once per package.
    """
    yield from ctx.once(_repeated_attributes, lambda: list(_repeated_attributes(ctx.package)))


def _repeated_attributes(package: Package) -> Iterator[Diagnostic]:
    for node in descendants(package):
        if not isinstance(node, Extensible):
            continue
        seen: set[str] = set()
        reported: set[str] = set()
        for ea in node.extended_attributes:
            if ea.name.startswith(LIST_VALUED_PREFIXES):
                continue
            if ea.name in seen and ea.name not in reported:
                reported.add(ea.name)
                label, element_id = _describe(node)
                yield make(
                    "duplicate-extended-attribute",
                    f"{label} has more than one extended attribute named {ea.name!r}; "
                    "only the first is used",
                    element_id=element_id,
                    line=ea.line if ea.line is not None else node.line,
                )
            seen.add(ea.name)

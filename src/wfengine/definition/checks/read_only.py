"""Read-only data fields: what a definition itself writes into a field declared ``ReadOnly``.

XPDL's ``ReadOnly="true"`` on a DataField makes the field a constant of the process: its
InitialValue is its value, and nothing may change it while an instance runs. The engine keeps
that at run time (a write from outside, a starter's data, ``set_data``, WAPI's assign, a
person's or a message's values, is refused before anything is stored:
:meth:`~wfengine.runtime.compiled.CompiledProcess.checked`); what the definition itself writes
is found here, where it is read, so that such a definition never runs:

* ``read-only-assigned`` (error): an activity writes a read-only field whenever it runs: a
  script's assignment, an XPDL 2.x ``Assignment``, an OUT or INOUT actual parameter of a Tool
  or of a SubFlow (a called process of the package whose formal parameter is OUT or INOUT), a
  SubFlow's ``InstanceDataField``, a loop's counter. Deploy refuses the process. A deployment an
  earlier wfengine stored keeps running: the runtime compiler (:func:`field_writes` is its
  list too) lets those fields be written, with a warning on the ``wfengine.deploy`` logger;
* ``read-only-assigned`` as a warning: an activity lets the person working on it write a
  read-only field (``wfengine:writes``, ``VariableToProcess_UPDATE``): a completion that gives
  a value for it is refused, so the field should not be offered for writing.

A read-only field that is also a FormalParameter of its process is not a constant: the process's
caller gives its value (a starter's data, a calling SubFlow), so it is not read-only at start;
nothing of the process writes it afterwards either, which these checks say as for any other.
The process's own DataField hides the package's of the same Id (as when it is read).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from wfengine.definition.checks.context import Context, is_plain_name
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.field_names import package_read_only
from wfengine.definition.model import (
    Activity,
    Application,
    FormalParameter,
    Package,
    ParameterMode,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    WorkflowProcess,
)
from wfengine.definition.parameters import implied_formals, takes_actuals_as_given
from wfengine.definition.reading import name_aliases, package_language
from wfengine.definition.scripts import activity_assignments, parse_assignments
from wfengine.definition.work_rules import attribute_values

#: the extended attributes that list the fields a person's work item may write (the runtime
#: compiler reads them as :data:`wfengine.runtime.compile_people.UPDATE` and ``WRITES``)
_PERSON_WRITES = ("VariableToProcess_UPDATE", "wfengine:writes")


@dataclass(frozen=True, slots=True)
class FieldWrite:
    """One place where a process's definition writes a data field by name."""

    #: the field's Id (a Name that stands for a field is taken as its Id)
    field: str
    activity: Activity
    #: what writes it, as a message says it: ``its script``, ``the OUT parameter 'x' of
    #: application 'a'``...
    what: str
    line: int | None
    #: True: it writes whenever the activity runs; False: it lets a person write it
    certain: bool = True


def read_only_fields(package: Package, process: WorkflowProcess) -> frozenset[str]:
    """The Ids of ``process``'s read-only fields: its DataFields (and the package's it does
    not hide) declared ``ReadOnly``, less those that are also its formal parameters."""
    own = {f.id: f for f in process.data_fields}
    formals = {fp.id for fp in process.formal_parameters}
    # the package's read-only Ids worked out once: a scan of its fields per process cost N x N
    inherited = (i for i in package_read_only(package) if i not in own)
    return frozenset(
        i for i in (*inherited, *(i for i, f in own.items() if f.read_only)) if i not in formals
    )


def field_writes(package: Package, process: WorkflowProcess) -> Iterator[FieldWrite]:
    """Every place where ``process``'s activities write a data field by name, in definition
    order (the top level, then each activity set). A Reference activity runs as the activity
    it names, whose writes are listed there."""
    aliases = name_aliases(package, process)
    applications = {a.id: a for a in (*package.applications, *process.applications)}
    processes = {p.id: p for p in package.workflow_processes}
    activities = (*process.activities, *(a for s in process.activity_sets for a in s.activities))
    for activity in activities:
        for name, what, line, certain in _writes(activity, applications, processes, package):
            yield FieldWrite(aliases.get(name, name), activity, what, line, certain)


def _writes(
    activity: Activity,
    applications: dict[str, Application],
    processes: dict[str, WorkflowProcess],
    package: Package,
) -> Iterator[tuple[str, str, int | None, bool]]:
    """(name written, what writes it, line, certain) for one activity."""
    body = activity.body
    line = activity.line
    if isinstance(body, TaskImplementation):
        for tool in body.tools:
            app = applications.get(tool.application_id)
            formals = (
                implied_formals(tool.actual_parameters)
                if app is None or takes_actuals_as_given(app)
                else app.formal_parameters
            )
            where = tool.line if tool.line is not None else line
            for fp, actual in _pairs(formals, tool.actual_parameters):
                text = actual.strip()
                if fp.mode is not ParameterMode.IN and is_plain_name(text):
                    what = (
                        f"the {fp.mode} parameter {fp.id!r} of application {tool.application_id!r}"
                    )
                    yield text, what, where, True
        if body.task is TaskKind.SCRIPT and body.script:
            # as the compiler reads it: a comment in the package's language is never run
            for name, _ in parse_assignments(body.script, package_language(package)) or ():
                yield name, "its script", body.line if body.line is not None else line, True
    elif isinstance(body, SubFlowImplementation):
        where = body.line if body.line is not None else line
        keeps = (body.instance_data_field or "").strip()
        if keeps:
            yield keeps, "the called instance's id (InstanceDataField)", where, True
        called = processes.get(body.process_id)
        external = bool(body.package_ref) and body.package_ref != package.id
        if called is not None and not external:
            for fp, actual in _pairs(called.formal_parameters, body.actual_parameters):
                text = actual.strip()
                if fp.mode is not ParameterMode.IN and is_plain_name(text):
                    what = f"the {fp.mode} parameter {fp.id!r} of process {called.id!r}"
                    yield text, what, where, True
    for assignment in activity_assignments(activity):
        target = assignment.target.strip()
        if target:
            yield target, "an Assignment", assignment.line or line, True
    loop = activity.loop
    counter = loop.counter_field if loop is not None else None
    if counter is not None and all(f.id != counter for f in activity.data_fields):
        yield counter, "its loop counter", line, True
    for name in attribute_values(activity, *_PERSON_WRITES):
        yield name, "its work item (to the person who completes it)", line, False


def _pairs(
    formals: Sequence[FormalParameter], actuals: Sequence[str]
) -> Iterator[tuple[FormalParameter, str]]:
    """Each formal parameter with its actual, for a call whose counts agree; none for one
    whose counts differ: the engine binds none of its actuals (a tool call does not deploy,
    ``parameter-count``; a subflow's is an incident), so by position it writes nothing."""
    if len(formals) == len(actuals):
        yield from zip(formals, actuals, strict=True)


def check_read_only(ctx: Context) -> Iterator[Diagnostic]:
    """``read-only-assigned``: an activity writes (or lets a person write) a data field
    declared ReadOnly."""
    for process in ctx.processes:
        read_only = read_only_fields(ctx.package, process)
        if not read_only:
            continue
        for write in field_writes(ctx.package, process):
            if write.field not in read_only:
                continue
            activity = write.activity.id
            if write.certain:
                message = (
                    f"activity {activity!r} of process {process.id!r} writes {write.field!r} "
                    f"with {write.what}, but {write.field!r} is declared ReadOnly: a constant "
                    "of the process (its initial value), which nothing may change; drop "
                    "ReadOnly or write another field"
                )
            else:
                message = (
                    f"activity {activity!r} of process {process.id!r} offers {write.field!r} "
                    f"for writing to {write.what}, but {write.field!r} is declared ReadOnly: "
                    "a completion that gives a value for it is refused"
                )
            yield make(
                "read-only-assigned",
                message,
                element_id=activity,
                line=write.line,
                severity=None if write.certain else Severity.WARNING,
            )

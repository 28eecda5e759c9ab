"""XPDL 2.1/2.2 ``DataMappings``: a call's parameters by formal name, read as actual ones.

XPDL 2.1 added to TaskApplication and SubFlow a second way to pass parameters,
``<DataMappings><DataMapping Formal="who" Direction="IN"><Actual>customer</Actual>``, naming
the callee's formal parameter instead of relying on position (TIBCO Business Studio writes
it). The model keeps one form, positional ``actual_parameters``, which the engine and the
validation read; so once the whole package is read (a SubFlow may call a process further
down the file), each call's mappings are put in its callee's formal-parameter order. A call
whose mappings do not give exactly one actual per formal (a formal left out, a name no formal
has, a callee in another package, a call with ActualParameters too) keeps them as XML with a
warning, and passes no parameters from them.
"""

from __future__ import annotations

from collections.abc import Sequence

from wfengine.definition import diagnostics
from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.model import (
    XPDL_NAMESPACES,
    Activity,
    FormalParameter,
    Package,
    SubFlowImplementation,
    TaskImplementation,
    ToolCall,
    WorkflowProcess,
    XmlNode,
)


def _is(node: XmlNode, local: str) -> bool:
    """An XPDL element (or one in no namespace) named ``local``."""
    return node.local_name == local and node.namespace in (None, *XPDL_NAMESPACES)


def _actual_text(node: XmlNode) -> str:
    """An ``Actual``'s expression: its text, or a 2.2 FormalExpression/Source child's."""
    for child in node.children:
        if _is(child, "FormalExpression") or _is(child, "Source"):
            return (child.text or "").strip()
    return (node.text or "").strip()


def _mapped(
    mappings: XmlNode, formals: Sequence[FormalParameter]
) -> tuple[tuple[str, ...] | None, str]:
    """The actual parameters ``mappings`` give, in ``formals``' order, or None and why not."""
    given: dict[str, str] = {}
    for mapping in mappings.children:
        if not _is(mapping, "DataMapping"):
            continue
        formal = (mapping.get("Formal") or "").strip()
        if formal in given:
            return None, f"formal parameter {formal!r} is mapped twice"
        actual = next((c for c in mapping.children if _is(c, "Actual")), None)
        given[formal] = "" if actual is None else _actual_text(actual)
    names = [f.id for f in formals]
    unknown = sorted(set(given) - set(names))
    if unknown:
        return None, f"{', '.join(map(repr, unknown))} is no formal parameter of the callee"
    missing = [n for n in names if n not in given]
    if missing:
        return None, f"formal parameter {missing[0]!r} is not mapped"
    return tuple(given[n] for n in names), ""


def _split(extras: tuple[XmlNode, ...]) -> tuple[XmlNode | None, tuple[XmlNode, ...]]:
    found = next((x for x in extras if _is(x, "DataMappings")), None)
    return found, tuple(x for x in extras if x is not found)


class _Mapper:
    def __init__(self, package: Package, source: str | None) -> None:
        self.package = package
        self.source = source
        self.processes = {p.id: p for p in package.workflow_processes}
        self.findings: list[Diagnostic] = []

    def warn(self, activity: Activity, why: str, line: int | None) -> None:
        self.findings.append(
            diagnostics.make(
                "xpdl-unreadable",
                f"the DataMappings of activity {activity.id!r} are kept as XML and pass no "
                f"parameters: {why}",
                line=line if line is not None else activity.line,
                element_id=activity.id,
                file=self.source,
            )
        )

    def formals_of_application(
        self, process: WorkflowProcess, app_id: str
    ) -> Sequence[FormalParameter] | None:
        for app in (*process.applications, *self.package.applications):
            if app.id == app_id:
                return app.formal_parameters
        return None

    def tool(self, process: WorkflowProcess, activity: Activity, call: ToolCall) -> ToolCall:
        mappings, rest = _split(call.extras)
        if mappings is None:
            return call
        formals = self.formals_of_application(process, call.application_id)
        actuals, why = self.resolve(mappings, formals, bool(call.actual_parameters), "application")
        if actuals is None:
            self.warn(activity, why, mappings.line)
            return call
        return call.model_copy(update={"actual_parameters": actuals, "extras": rest})

    def subflow(self, activity: Activity, body: SubFlowImplementation) -> SubFlowImplementation:
        mappings, rest = _split(body.extras)
        if mappings is None:
            return body
        external = bool(body.package_ref) and body.package_ref != self.package.id
        callee = None if external else self.processes.get(body.process_id)
        formals = None if callee is None else callee.formal_parameters
        actuals, why = self.resolve(mappings, formals, bool(body.actual_parameters), "process")
        if actuals is None:
            self.warn(activity, why, mappings.line)
            return body
        return body.model_copy(update={"actual_parameters": actuals, "extras": rest})

    @staticmethod
    def resolve(
        mappings: XmlNode,
        formals: Sequence[FormalParameter] | None,
        positional: bool,
        callee: str,
    ) -> tuple[tuple[str, ...] | None, str]:
        if positional:
            return None, "the call has ActualParameters as well"
        if formals is None:
            return None, f"the called {callee} is not one of this package's"
        return _mapped(mappings, formals)

    def activity(self, process: WorkflowProcess, activity: Activity) -> Activity:
        body = activity.body
        if isinstance(body, TaskImplementation) and any(t.extras for t in body.tools):
            tools = tuple(self.tool(process, activity, t) for t in body.tools)
            return activity.model_copy(update={"body": body.model_copy(update={"tools": tools})})
        if isinstance(body, SubFlowImplementation) and body.extras:
            return activity.model_copy(update={"body": self.subflow(activity, body)})
        return activity

    def activities(
        self, process: WorkflowProcess, activities: tuple[Activity, ...]
    ) -> tuple[Activity, ...]:
        mapped = tuple(self.activity(process, a) for a in activities)
        same = all(m is a for m, a in zip(mapped, activities, strict=True))
        return activities if same else mapped  # untouched: no copies

    def process(self, process: WorkflowProcess) -> WorkflowProcess:
        activities = self.activities(process, process.activities)
        sets = tuple(
            s
            if (inner := self.activities(process, s.activities)) is s.activities
            else s.model_copy(update={"activities": inner})
            for s in process.activity_sets
        )
        if activities is process.activities and all(
            a is b for a, b in zip(sets, process.activity_sets, strict=True)
        ):
            return process
        return process.model_copy(update={"activities": activities, "activity_sets": sets})


def apply_data_mappings(package: Package, source: str | None) -> tuple[Package, list[Diagnostic]]:
    """``package`` with its calls' DataMappings read as actual parameters (see the module
    notes), and a warning for each call whose mappings could not be."""
    mapper = _Mapper(package, source)
    processes = tuple(mapper.process(p) for p in package.workflow_processes)
    if all(a is b for a, b in zip(processes, package.workflow_processes, strict=True)):
        return package, mapper.findings
    return package.model_copy(update={"workflow_processes": processes}), mapper.findings

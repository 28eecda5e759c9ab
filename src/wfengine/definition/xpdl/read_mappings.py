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

A positional actual passes its formal every way the formal's Mode says, so a mapping's
``Direction`` must agree: an INOUT formal mapped IN and OUT apart (as the schema allows) is one
actual when both name the same one; a Direction narrower than the Mode (IN only for an INOUT
formal), or a different actual each way, cannot be said, and keeps the mappings as XML with a
warning. A mapping without Direction (the schema's default is IN) is taken as the Mode's, as
tools that leave it out mean it. An Actual's attributes (its ScriptType: the expression's own
language) are the actual parameter's. What an actual parameter has no place for (a TestValue,
vendor content) is warned about by name, so a loss is never silent.

A SubFlow whose actuals were read from mappings keeps the names of the formals they were
mapped to, in order, as its attribute
:data:`~wfengine.definition.namespaces.MAPPED_FORMALS` (written by the XPDL 2.2 writer on the
SubFlow, in wfengine's namespace, which the schema admits there, and read back from
there): the caller starts the called process's newest version, whose formals may be in
another order or renamed, so the engine binds such a call by those names, and refuses (an
incident) a name the started version no longer has. Positional ActualParameters (1.0's,
the builder's) carry no names and keep binding by position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wfengine.definition import diagnostics
from wfengine.definition.checks.readings import listed, quote
from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.element_texts import list_item
from wfengine.definition.model import (
    XPDL_NAMESPACES,
    Activity,
    FormalParameter,
    Package,
    ParameterMode,
    SubFlowImplementation,
    TaskImplementation,
    ToolCall,
    WorkflowProcess,
    XmlNode,
)
from wfengine.definition.model_nodes import Attrs
from wfengine.definition.namespaces import MAPPED_FORMALS
from wfengine.definition.xpdl.read_activity_body import Actuals


def _is(node: XmlNode, local: str) -> bool:
    """An XPDL element (or one in no namespace) named ``local``."""
    return node.local_name == local and node.namespace in (None, *XPDL_NAMESPACES)


def _actual_text(node: XmlNode) -> str:
    """An ``Actual``'s expression: its text, or a 2.2 FormalExpression/Source child's."""
    return list_item(_actual_element(node).text or "")


def _actual_element(node: XmlNode) -> XmlNode:
    """The element holding an ``Actual``'s expression: a FormalExpression/Source child, or
    the Actual itself."""
    for child in node.children:
        if _is(child, "FormalExpression") or _is(child, "Source"):
            return child
    return node


#: which ways a DataMapping's ``Direction`` passes data
_DIRECTIONS: dict[str, frozenset[str]] = {
    "IN": frozenset({"IN"}),
    "OUT": frozenset({"OUT"}),
    "INOUT": frozenset({"IN", "OUT"}),
}
_NEEDED = {mode: _DIRECTIONS[mode.value] for mode in ParameterMode}


@dataclass(frozen=True)
class _Given:
    """One DataMapping of a formal: the ways it passes data (None: no Direction written,
    taken as the formal's own Mode) and its actual's text."""

    ways: frozenset[str] | None
    text: str
    #: the Actual's attributes (ScriptType...: the expression's own language), with those of
    #: a 2.2 FormalExpression inside it
    attrs: Attrs = ()


def _ways(mapping: XmlNode, formal: str) -> tuple[frozenset[str] | None, str]:
    raw = (mapping.get("Direction") or "").strip()
    if not raw:
        return None, ""
    ways = _DIRECTIONS.get(raw.upper())
    if ways is None:
        why = f"the DataMapping of {quote(formal)} has Direction={quote(raw)}, not IN, OUT or INOUT"
        return None, why
    return ways, ""


def _direction(ways: frozenset[str]) -> str:
    return "INOUT" if len(ways) == 2 else next(iter(ways))


def _merged(formal: FormalParameter, given: list[_Given]) -> tuple[_Given | None, str, str]:
    """The one positional actual ``given`` amounts to for ``formal``, or None and why not;
    and a note to warn of when it was taken wider than written.

    A Direction narrower than the formal's Mode (IN only for an INOUT formal, OUT for an IN
    one) cannot be said positionally: a positional actual passes the formal every way its
    Mode does. When the actual is a data field's name (tools write "IN" for a field they
    only pass in), it is taken as written, with a warning that the field is passed the other
    way too: dropping every mapping of the call for it refused files that ran. An expression
    (``n + 10``) cannot receive a value back, and is refused. An INOUT formal mapped IN and
    OUT apart (as the schema allows) is one actual when both name the same expression; a
    different one each way cannot be said either.
    """
    needed = _NEEDED[formal.mode]
    if len(given) == 1 and given[0].ways is None:
        return given[0], "", ""
    if any(g.ways is None for g in given):
        return None, f"formal parameter {formal.id!r} is mapped twice", ""
    ways: set[str] = set()
    for g in given:
        assert g.ways is not None
        if ways & g.ways:
            return None, f"formal parameter {formal.id!r} is mapped twice", ""
        ways |= g.ways
    mode = formal.mode.value
    if ways < needed and len(given) == 1 and given[0].text.strip().isidentifier():
        field = given[0].text.strip()
        if "OUT" in needed - ways:
            also = f"the callee's value of it is also written back to {quote(field)}"
        else:
            also = f"the value of {quote(field)} is also passed in"
        note = (
            f"the {mode} formal parameter {formal.id!r} is mapped {_direction(frozenset(ways))} "
            f"only; a call's actual parameter passes the formal every way its Mode does, so "
            f"{also}"
        )
        return given[0], "", note
    if not needed <= ways:
        why = (
            f"the {mode} formal parameter {formal.id!r} is mapped {_direction(frozenset(ways))} "
            f"only, which a call cannot say (its actual parameter passes the formal every way "
            f"its Mode does)"
        )
        return None, why, ""
    texts = sorted({g.text for g in given})
    if len(texts) > 1:
        return (
            None,
            (
                f"the {mode} formal parameter {formal.id!r} is mapped IN from "
                f"{quote(next(g.text for g in given if g.ways and 'IN' in g.ways))} and OUT to "
                f"{quote(next(g.text for g in given if g.ways and 'OUT' in g.ways))}, which a call "
                f"cannot say (one data field passes it both ways)"
            ),
            "",
        )
    return next(g for g in given if g.attrs or g is given[-1]), "", ""


def _mapped(
    mappings: XmlNode, formals: Sequence[FormalParameter]
) -> tuple[Actuals | None, str, list[str]]:
    """The actual parameters ``mappings`` give, in ``formals``' order, or None and why not;
    and the notes of actuals taken wider than their Direction (see :func:`_merged`)."""
    given: dict[str, list[_Given]] = {}
    for mapping in mappings.children:
        if not _is(mapping, "DataMapping"):
            continue
        formal = (mapping.get("Formal") or "").strip()
        ways, why = _ways(mapping, formal)
        if why:
            return None, why, []
        actual = next((c for c in mapping.children if _is(c, "Actual")), None)
        text = "" if actual is None else _actual_text(actual)
        own = () if actual is None else _actual_attrs(actual)
        given.setdefault(formal, []).append(_Given(ways, text, own))
    names = [f.id for f in formals]
    unknown = sorted(set(given) - set(names))
    if unknown:
        what = "is no formal parameter" if len(unknown) == 1 else "are no formal parameters"
        return None, f"{listed([quote(n) for n in unknown])} {what} of the callee", []
    missing = [n for n in names if n not in given]
    if missing:
        return None, f"formal parameter {missing[0]!r} is not mapped", []
    out: list[_Given] = []
    notes: list[str] = []
    for parameter in formals:
        merged, why, note = _merged(parameter, given[parameter.id])
        if merged is None:
            return None, why, []
        out.append(merged)
        if note:
            notes.append(note)
    attrs = [g.attrs for g in out]
    while attrs and not attrs[-1]:
        attrs.pop()
    return (
        Actuals(actual_parameters=tuple(g.text for g in out), actual_parameter_attrs=tuple(attrs)),
        "",
        notes,
    )


def _lost(mappings: XmlNode) -> list[tuple[str, int | None]]:
    """What read as positional actuals loses of ``mappings``: a TestValue, vendor elements and
    attributes; each with its line, for a warning."""
    lost: list[tuple[str, int | None]] = []
    for mapping in mappings.children:
        if not _is(mapping, "DataMapping"):
            continue
        formal = mapping.get("Formal")
        where = f"the DataMapping of {quote(formal or '')}"
        for key, _value in mapping.attrs:
            if key not in ("Formal", "Direction"):
                lost.append((f"attribute {key} of {where}", mapping.line))
        for child in mapping.children:
            if _is(child, "Actual"):
                lost.extend(_lost_of_actual(child, where))
            else:
                lost.append((f"<{child.local_name}> of {where}", child.line))
    return lost


def _lost_of_actual(actual: XmlNode, where: str) -> list[tuple[str, int | None]]:
    """Elements beside the expression in an Actual (its attributes are kept: see
    :func:`_actual_attrs`)."""
    holder = _actual_element(actual)
    elements = (actual, holder) if holder is not actual else (actual,)
    return [
        (f"<{c.local_name}> in the actual of {where}", c.line)
        for element in elements
        for c in element.children
        if c is not holder
    ]


def _actual_attrs(actual: XmlNode) -> Attrs:
    """An Actual's attributes (an ExpressionType: ScriptType...), those of a FormalExpression
    inside it over them: the actual parameter's own, written on 2.2's FormalExpression."""
    holder = _actual_element(actual)
    attrs = dict(actual.attrs)
    if holder is not actual:
        attrs.update(holder.attrs)
    return tuple(attrs.items())


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

    def warn_lost(self, activity: Activity, mappings: XmlNode, notes: Sequence[str]) -> None:
        """Warn about each part of ``mappings`` that reading them as actuals leaves out, and
        each actual taken wider than its Direction (``notes``)."""
        for note in notes:
            self.findings.append(
                diagnostics.make(
                    "xpdl-unreadable",
                    f"activity {activity.id!r}: {note}",
                    line=mappings.line if mappings.line is not None else activity.line,
                    element_id=activity.id,
                    file=self.source,
                )
            )
        for what, line in _lost(mappings):
            self.findings.append(
                diagnostics.make(
                    "xpdl-unreadable",
                    f"{what} in activity {activity.id!r} is not kept: the DataMappings are "
                    "read as actual parameters, which have no place for it",
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
        actuals, why, notes = self.resolve(
            mappings, formals, bool(call.actual_parameters), "application"
        )
        if actuals is None:
            self.warn(activity, why, mappings.line)
            return call
        self.warn_lost(activity, mappings, notes)
        return call.model_copy(update={**actuals, "extras": rest})

    def subflow(self, activity: Activity, body: SubFlowImplementation) -> SubFlowImplementation:
        mappings, rest = _split(body.extras)
        if mappings is None:
            return body
        external = bool(body.package_ref) and body.package_ref != self.package.id
        callee = None if external else self.processes.get(body.process_id)
        formals = None if callee is None else callee.formal_parameters
        actuals, why, notes = self.resolve(
            mappings, formals, bool(body.actual_parameters), "process"
        )
        if actuals is None:
            self.warn(activity, why, mappings.line)
            return body
        self.warn_lost(activity, mappings, notes)
        assert formals is not None  # (resolve read the mappings by them)
        names = [f.id for f in formals]
        attrs = body.extra_attrs
        if names and all(n and not any(c.isspace() for c in n) for n in names):
            attrs = (*attrs, (MAPPED_FORMALS, " ".join(names)))  # (else: by position)
        return body.model_copy(update={**actuals, "extras": rest, "extra_attrs": attrs})

    @staticmethod
    def resolve(
        mappings: XmlNode,
        formals: Sequence[FormalParameter] | None,
        positional: bool,
        callee: str,
    ) -> tuple[Actuals | None, str, list[str]]:
        if positional:
            return None, "the call has ActualParameters as well", []
        if formals is None:
            return None, f"the called {callee} is not one of this package's", []
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

"""Hypothesis strategies for valid, diverse :class:`~wfengine.definition.model.Package` models.

"Valid" means: the model can be written as an XPDL 2.2 document that passes the 2.2 schema and
reads back as an equal model. The strategies therefore cover everything the model holds that
XPDL 2.2 can carry, and leave out only what it cannot. Each such exclusion is listed here, so a
reader of a failing round-trip test can tell a codec bug from a deliberate gap:

Text
  * Texts never contain characters XML 1.0 cannot carry (C0/C1 controls, lone surrogates,
    U+FFFE/U+FFFF), and never begin or end with whitespace: XML tools and the reader may
    normalise it, and tab/newline/CR in attribute values are normalised by every XML parser.
    They do contain ``<``, ``&``, quotes and non-ASCII characters. Free text (Description,
    Documentation: :data:`prose`) is the exception: the reader keeps it exactly as written, so
    it may begin or end with spaces, tabs and line breaks (LF, CRLF, a lone CR), hold them
    between its words, or be whitespace only.
  * Optional texts are None or non-empty: an empty element and an absent one read the same.
  * Verbatim XML (:class:`XmlNode`) has no whitespace-only text or tail (it is indentation to
    the reader, which drops it), and elements placed directly in an XPDL element have no tail
    (XPDL elements have element-only content).

Identity
  * Every id in a package is distinct. The 2.2 schema keys activity, transition, pool, data
    field and formal parameter ids across the whole package and TypeDeclaration ids are
    ``xsd:ID``, so this is what a schema-valid document needs; ids are NCNames.
  * References point at existing things where the schema checks them (keyref): subflows at
    processes of the package, block activities at activity sets of their process, transitions
    and split refs at activities and transitions of their container, declared types at type
    declarations, pools at processes, message flows at pools and activities.

Fields with no distinct 2.2 spelling
  * ``PackageHeader.xpdl_version`` is always "2.2" (the writer states what it writes).
  * ``Pool.boundary_visible`` is always set (the attribute is required).
  * ``ArrayType`` always has both indexes (required attributes).
  * Pools, lanes and activity sets have no extended attributes (no such element in 2.2).
  * An application has formal parameters or an external reference, not both (a schema choice).
  * A single application call has ``tool_type`` None: ``TaskApplication`` is what 1.0's
    ``APPLICATION`` means, so the two cannot be told apart; several calls (written as 1.0
    ``Tool`` elements) may carry any tool type.
  * An application task has at least one call; a script task has its script text; a User or
    Manual task's ``detail`` is None or holds vendor content (None is the canonical form of
    an empty ``TaskUser``). Several calls in one task are written as 1.0 ``Tool`` elements,
    which take no vendor attributes or elements, and leave no ``Task`` element to put the
    task's own attributes on: such calls and tasks carry none.
  * Loop counters are integers (``LoopCounter`` is ``xsd:integer``).
  * Activity extras are vendor elements and XPDL elements the model has no field for
    (Documentation, Icon), never ones it has a field for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from hypothesis import strategies as st

from wfengine.definition.model import (
    XPDL22_NS,
    Activity,
    ActivityBody,
    ActivitySet,
    Application,
    ArrayType,
    BasicType,
    BasicTypeKind,
    BlockActivity,
    Condition,
    ConditionType,
    ConformanceClass,
    DataField,
    DataType,
    Deadline,
    DeclaredType,
    EnumerationType,
    Event,
    EventPosition,
    Execution,
    ExtendedAttribute,
    ExternalPackage,
    ExternalReference,
    FormalParameter,
    GatewayType,
    Join,
    Lane,
    ListType,
    Loop,
    MIFlowCondition,
    MIOrdering,
    Mode,
    MultiInstanceLoop,
    NoImplementation,
    Package,
    PackageHeader,
    ParameterMode,
    Participant,
    ParticipantKind,
    Pool,
    ProcessHeader,
    RecordType,
    RedefinableHeader,
    ReferenceImplementation,
    Route,
    SchemaType,
    Script,
    Split,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    TestTime,
    ToolCall,
    Transition,
    TypeDeclaration,
    UnionType,
    WorkflowProcess,
    XmlNode,
)

T = TypeVar("T")

#: the vendor namespace of generated extensions, declared on the root as ``vnd``
VENDOR_NS = "urn:x-wfengine-test:vendor"
VENDOR_PREFIX = "vnd"

# --------------------------------------------------------------------------- text

_XML_SPECIAL = "<>&\"'"
_chars = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"
)
#: non-empty text without leading/trailing whitespace, often with XML-special characters
texts: st.SearchStrategy[str] = (
    st.text(st.one_of(_chars, st.sampled_from(_XML_SPECIAL)), min_size=1, max_size=6)
    .map(str.strip)
    .filter(bool)
)
#: whitespace as authors type it: spaces, tabs, and line breaks of every platform (LF, CRLF, CR)
_blank: st.SearchStrategy[str] = st.lists(
    st.sampled_from([" ", "  ", "\t", "\n", "\r\n", "\r", "\n    "]), max_size=3
).map("".join)
#: free text (Description, Documentation), which the reader keeps exactly as written: words
#: with whitespace and line breaks before, between and after them, or whitespace only
prose: st.SearchStrategy[str] = st.one_of(
    texts,
    st.builds(
        lambda lead, words, gap, trail: lead + (gap or " ").join(words) + trail,
        _blank,
        st.lists(texts, min_size=1, max_size=3),
        _blank,
        _blank,
    ),
    _blank.filter(bool),
)
#: NMTOKEN-safe names (extended attribute names, enumeration values, tokens)
tokens: st.SearchStrategy[str] = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-éßΩ]{0,6}", fullmatch=True)
uris: st.SearchStrategy[str] = tokens.map(lambda t: f"http://example.com/{t}")
integers: st.SearchStrategy[str] = st.integers(0, 999).map(str)


def opt(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


@functools.cache
def _choice_strategy(items: tuple[T, ...]) -> st.SearchStrategy[T]:
    return st.sampled_from(items)


def choice(items: Sequence[T]) -> st.SearchStrategy[T]:
    """``sampled_from``, cached per tuple of items: building strategies per draw is slow."""
    return _choice_strategy(tuple(items))


def _repeat(draw: st.DrawFn, make: Callable[[], T], max_size: int = 2) -> list[T]:
    """0..max_size results of ``make``: plain calls, cheaper than a list of composites."""
    return [make() for _ in range(draw(st.integers(0, max_size)))]


def _small_list(strategy: st.SearchStrategy[T], max_size: int = 2) -> st.SearchStrategy[list[T]]:
    return st.lists(strategy, max_size=max_size)


# --------------------------------------------------------------------------- verbatim XML


@functools.cache
def vendor_nodes(*, top_level: bool = True, depth: int = 1) -> st.SearchStrategy[XmlNode]:
    """A vendor-namespace element with attributes, text and (nested) children."""
    children: st.SearchStrategy[tuple[XmlNode, ...]] = (
        st.lists(vendor_nodes(top_level=False, depth=depth - 1), max_size=1).map(tuple)
        if depth > 0
        else st.just(())
    )
    return st.builds(
        XmlNode,
        tag=st.sampled_from(["ext", "info", "Ext-2"]).map(lambda n: f"{{{VENDOR_NS}}}{n}"),
        attrs=st.dictionaries(st.sampled_from(["a", "b", "kind"]), texts, max_size=1).map(
            lambda d: tuple(d.items())
        ),
        text=opt(texts),
        tail=st.none() if top_level else opt(texts),
        children=children,
    )


@functools.cache
def vendor_extras(max_size: int = 1) -> st.SearchStrategy[tuple[XmlNode, ...]]:
    return st.lists(vendor_nodes(), max_size=max_size).map(tuple)


#: unknown or vendor attributes on an XPDL element (``anyAttribute namespace="##other"``)
extra_attrs: st.SearchStrategy[tuple[tuple[str, str], ...]] = st.dictionaries(
    st.sampled_from(["x", "y", "zz"]).map(lambda n: f"{{{VENDOR_NS}}}{n}"), texts, max_size=1
).map(lambda d: tuple(d.items()))

extended_attributes: st.SearchStrategy[tuple[ExtendedAttribute, ...]] = st.lists(
    st.builds(
        ExtendedAttribute,
        name=tokens,
        value=opt(texts),
        text=opt(texts),
        content=st.lists(vendor_nodes(depth=0), max_size=1).map(tuple),
    ),
    max_size=1,
).map(tuple)


#: attributes of an ExpressionType element (Condition/Expression, DeadlineDuration)
expression_attrs: st.SearchStrategy[tuple[tuple[str, str], ...]] = st.builds(
    lambda script_type, grammar, vendor: (
        tuple((k, v) for k, v in (("ScriptType", script_type), ("ScriptGrammar", grammar)) if v)
        + vendor
    ),
    opt(texts),
    opt(uris),
    extra_attrs,
)


def _xpdl(local: str, text: str | None = None, **attrs: str) -> XmlNode:
    return XmlNode(tag=f"{{{XPDL22_NS}}}{local}", text=text, attrs=tuple(attrs.items()))


def _graphics(kind: str) -> st.SearchStrategy[tuple[XmlNode, ...]]:
    """NodeGraphicsInfo/ConnectorGraphicsInfo children, as a diagram tool writes them."""
    coordinates = st.builds(
        lambda x, y: _xpdl("Coordinates", XCoordinate=str(x), YCoordinate=str(y)),
        st.integers(0, 500),
        st.integers(0, 500),
    )
    info = st.builds(
        lambda tool, coords: XmlNode(
            tag=f"{{{XPDL22_NS}}}{kind}", attrs=(("ToolId", tool),), children=tuple(coords)
        ),
        tokens,
        st.lists(coordinates, max_size=1),
    )
    return st.lists(info, max_size=1).map(tuple)


# --------------------------------------------------------------------------- ids


@dataclass
class Ids:
    """Hands out package-unique NCName ids: ``<prefix><n>_<suffix>``.

    The ``_`` after the counter makes ids unique whatever the (underscore-free) suffix is.
    """

    draw: st.DrawFn
    n: int = 0

    def new(self, prefix: str) -> str:
        self.n += 1
        suffix = self.draw(st.from_regex(r"[A-Za-z0-9.\-é]{0,3}", fullmatch=True))
        return f"{prefix}{self.n}_{suffix}"

    def many(self, prefix: str, lo: int, hi: int) -> list[str]:
        count = self.draw(st.integers(lo, hi))
        return [self.new(prefix) for _ in range(count)]


# --------------------------------------------------------------------------- data types


@functools.cache
def data_types(declared: tuple[str, ...], depth: int = 2) -> st.SearchStrategy[DataType]:
    """Every data type kind; declared types refer to ``declared`` (schema: IDREF)."""
    basic = st.builds(
        BasicType,
        type=st.sampled_from(BasicTypeKind),
        length=opt(st.integers(0, 255)),
        precision=opt(st.integers(0, 20)),
        scale=opt(st.integers(0, 10)),
        extra_attrs=extra_attrs,
    )
    leaves: list[st.SearchStrategy[DataType]] = [
        basic,
        st.builds(SchemaType, content=vendor_extras(1)),
        st.builds(
            ExternalReference,
            location=uris,
            xref=opt(tokens),
            namespace=opt(uris),
            extra_attrs=extra_attrs,
        ),
        st.builds(EnumerationType, values=st.lists(tokens, min_size=1, max_size=3).map(tuple)),
    ]
    if declared:
        leaves.append(
            st.builds(DeclaredType, id=choice(declared), name=opt(texts), extra_attrs=extra_attrs)
        )
    leaf = st.one_of(leaves)
    if depth == 0:
        return leaf
    inner = data_types(declared, depth - 1)
    members = st.lists(inner, min_size=1, max_size=2).map(tuple)
    return st.one_of(
        leaf,
        leaf,
        st.builds(RecordType, members=members),
        st.builds(UnionType, members=members),
        st.builds(ArrayType, element=inner, lower_index=integers, upper_index=integers),
        st.builds(ListType, element=inner),
    )


def formal_parameters(draw: st.DrawFn, ids: Ids, declared: Sequence[str]) -> FormalParameter:
    return FormalParameter(
        id=ids.new("fp"),
        name=draw(opt(texts)),
        mode=draw(st.sampled_from(ParameterMode)),
        data_type=draw(data_types(tuple(declared))),
        initial_value=draw(opt(texts)),
        description=draw(opt(prose)),
        is_array=draw(st.booleans()),
        index=draw(opt(integers)),
        extras=draw(vendor_extras()),
        extra_attrs=draw(extra_attrs),
    )


def data_fields(draw: st.DrawFn, ids: Ids, declared: Sequence[str]) -> DataField:
    return DataField(
        id=ids.new("df"),
        name=draw(opt(texts)),
        data_type=draw(data_types(tuple(declared))),
        initial_value=draw(opt(texts)),
        length=draw(opt(integers)),
        description=draw(opt(prose)),
        is_array=draw(st.booleans()),
        read_only=draw(st.booleans()),
        correlation=draw(st.booleans()),
        extended_attributes=draw(extended_attributes),
        extras=draw(vendor_extras()),
        extra_attrs=draw(extra_attrs),
    )


def participants(draw: st.DrawFn, ids: Ids) -> Participant:
    return Participant(
        id=ids.new("pa"),
        name=draw(opt(texts)),
        type=draw(st.sampled_from(ParticipantKind)),
        description=draw(opt(prose)),
        external_reference=draw(opt(st.builds(ExternalReference, location=uris, xref=opt(tokens)))),
        extended_attributes=draw(extended_attributes),
        extras=draw(vendor_extras()),
        extra_attrs=draw(extra_attrs),
    )


_APPLICATION_TYPE = XmlNode(
    tag=f"{{{XPDL22_NS}}}Type",
    children=(
        XmlNode(
            tag=f"{{{XPDL22_NS}}}Script",
            children=(_xpdl("Expression", "run()"),),
        ),
    ),
)


def applications(draw: st.DrawFn, ids: Ids, declared: Sequence[str]) -> Application:
    app_id = ids.new("ap")
    external = draw(st.booleans())
    params = [] if external else _repeat(draw, lambda: formal_parameters(draw, ids, declared), 2)
    return Application(
        id=app_id,
        name=draw(opt(texts)),
        description=draw(opt(prose)),
        formal_parameters=tuple(params),
        external_reference=(
            draw(st.builds(ExternalReference, location=uris, namespace=opt(uris)))
            if external
            else None
        ),
        type=draw(st.sampled_from([None, _APPLICATION_TYPE])),
        extended_attributes=draw(extended_attributes),
        extras=draw(vendor_extras()),
        extra_attrs=draw(extra_attrs),
    )


# --------------------------------------------------------------------------- activities


@dataclass
class Skeleton:
    """Ids drawn before any content, so references can point anywhere in the package."""

    process_ids: list[str]
    #: process id -> {container id (process id for top level, else set id): activity ids}
    containers: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def activities_of(self, process_id: str) -> list[str]:
        return [a for acts in self.containers[process_id].values() for a in acts]

    def sets_of(self, process_id: str) -> list[str]:
        return [c for c in self.containers[process_id] if c != process_id]


_START_TRIGGERS = ["None", "Message", "Timer", "Error", "Conditional", "Signal", "Multiple"]
_INTERMEDIATE_TRIGGERS = [
    "None",
    "Message",
    "Timer",
    "Error",
    "Cancel",
    "Conditional",
    "Link",
    "Signal",
]
_END_RESULTS = ["None", "Message", "Error", "Cancel", "Signal", "Terminate", "Multiple"]

#: where the engine reads an expression or a duration (a timer, an event's condition, an
#: assignment): often a text it reads, or one of the edge cases its rules are about, so both
#: validation's and the compiler's accepting and refusing sides are tried; else any text
expression_texts: st.SearchStrategy[str] = (
    st.sampled_from(
        [
            *("1", "x > 1", "x +", "PT1H", "PT0S", "R/PT0S", "R3/PT1M", "0 seconds", "3600"),
            *("2026-01-01T00:00:00Z", "R/2026-01-01T00:00:00Z"),
        ]
    )
    | texts
)


def _event_detail(draw: st.DrawFn, trigger: str) -> tuple[XmlNode, ...]:
    """The trigger/result child a modelling tool writes for some triggers (schema-minimal)."""
    if trigger == "Timer":
        kind = draw(st.sampled_from(["TimeCycle", "TimeDate"]))
        repeat = draw(st.sampled_from(["", "R/", "R2/"])) if kind == "TimeCycle" else ""
        part = _xpdl(kind, repeat + draw(expression_texts))
        return (XmlNode(tag=f"{{{XPDL22_NS}}}TriggerTimer", children=(part,)),)
    if trigger == "Error":
        return (_xpdl("ResultError", ErrorCode=draw(texts)),)
    if trigger == "Message":
        return (_xpdl("TriggerResultMessage", CatchThrow="THROW"),)
    if trigger == "Conditional":
        if draw(st.booleans()):
            return (_xpdl("TriggerConditional", ConditionName=draw(expression_texts)),)
        expression = _xpdl("Expression", draw(expression_texts))
        return (XmlNode(tag=f"{{{XPDL22_NS}}}TriggerConditional", children=(expression,)),)
    if trigger == "Link":  # a few names, so two links of one name meet
        attrs = {"Name": draw(st.sampled_from(["next", "back"]))}
        catch_throw = draw(st.sampled_from([None, "CATCH", "THROW"]))
        return (
            _xpdl(
                "TriggerResultLink", **attrs, **({"CatchThrow": catch_throw} if catch_throw else {})
            ),
        )
    return ()


def events(draw: st.DrawFn, activity_ids: Sequence[str]) -> Event:
    position = draw(st.sampled_from(EventPosition))
    triggers = {
        EventPosition.START: _START_TRIGGERS,
        EventPosition.INTERMEDIATE: _INTERMEDIATE_TRIGGERS,
        EventPosition.END: _END_RESULTS,
    }[position]
    trigger = draw(choice(triggers))
    detail = _event_detail(draw, trigger) if draw(st.booleans()) else ()
    return Event(
        position=position,
        trigger=trigger,
        target=(
            draw(opt(choice(activity_ids))) if position is EventPosition.INTERMEDIATE else None
        ),
        interrupting=None if position is EventPosition.END else draw(opt(st.booleans())),
        detail=detail,
        extra_attrs=draw(extra_attrs),
    )


def tool_calls(draw: st.DrawFn, app_ids: Sequence[str], several: bool) -> ToolCall:
    """One application call. Several calls are written as 1.0 ``Tool`` elements, which allow
    no vendor attributes or elements, so those calls carry none (not representable)."""
    return ToolCall(
        application_id=draw(choice(app_ids) | tokens if app_ids else tokens),
        actual_parameters=tuple(draw(_small_list(texts, 3))),
        tool_type=draw(st.sampled_from([None, "APPLICATION", "PROCEDURE"])) if several else None,
        description=draw(opt(prose)),
        # 1.0 Tool has ExtendedAttributes; TaskApplication has none, so a single call with
        # extended attributes is written as a Tool too
        extended_attributes=draw(extended_attributes),
        extras=() if several else draw(vendor_extras()),
        extra_attrs=() if several else draw(extra_attrs),
    )


def tasks(draw: st.DrawFn, app_ids: Sequence[str]) -> TaskImplementation:
    """A task of each kind. ``detail`` is None or carries something beyond what the model
    holds: an empty ``TaskUser`` and no detail are the same XML, and None is the canonical
    form (the one the builder makes)."""
    kind = draw(choice([TaskKind.APPLICATION, TaskKind.SCRIPT, TaskKind.USER, TaskKind.MANUAL]))
    attrs = draw(extra_attrs)
    if kind is TaskKind.APPLICATION:
        several = draw(st.booleans())
        calls = [tool_calls(draw, app_ids, several) for _ in range(2 if several else 1)]
        # several calls are 1.0 Tool elements with no Task element to hold attributes
        return TaskImplementation(
            task=kind, tools=tuple(calls), extra_attrs=() if several else attrs
        )
    if kind is TaskKind.SCRIPT:
        script = draw(texts | expression_texts.map(lambda t: f"x = {t}; y = x"))
        return TaskImplementation(task=kind, script=script, extra_attrs=attrs)
    content = draw(st.lists(vendor_nodes(), max_size=1))
    detail = (
        XmlNode(tag=f"{{{XPDL22_NS}}}Task{kind.value}", children=tuple(content))
        if content
        else None
    )
    return TaskImplementation(task=kind, detail=detail, extra_attrs=attrs)


def subflows(draw: st.DrawFn, skeleton: Skeleton) -> SubFlowImplementation:
    target = draw(choice(skeleton.process_ids))
    starts = skeleton.activities_of(target)
    sets = skeleton.sets_of(target)
    return SubFlowImplementation(
        process_id=target,
        name=draw(opt(texts)),
        execution=draw(st.sampled_from(Execution)),
        actual_parameters=tuple(draw(_small_list(texts, 3))),
        package_ref=draw(opt(tokens)),
        instance_data_field=draw(opt(texts)),
        start_activity_id=draw(opt(choice(starts))) if starts else None,
        start_activity_set_id=draw(opt(choice(sets))) if sets else None,
        view=draw(st.sampled_from([None, "COLLAPSED", "EXPANDED"])),
        extras=draw(vendor_extras()),
        extra_attrs=draw(extra_attrs),
    )


def bodies(
    draw: st.DrawFn,
    skeleton: Skeleton,
    process_id: str,
    container: list[str],
    app_ids: Sequence[str],
) -> ActivityBody:
    sets = skeleton.sets_of(process_id)
    choices = ["task", "no", "task", "subflow", "reference", "route", "event"]
    choices += ["block"] if sets else []
    kind = draw(choice(choices))
    if kind == "no":
        return NoImplementation(extra_attrs=draw(extra_attrs))
    if kind == "task":
        return tasks(draw, app_ids)
    if kind == "subflow":
        return subflows(draw, skeleton)
    if kind == "reference":
        return ReferenceImplementation(
            activity_id=draw(choice(container)), extra_attrs=draw(extra_attrs)
        )
    if kind == "route":
        return Route(
            gateway_type=draw(opt(st.sampled_from(GatewayType))),
            extra_attrs=draw(extra_attrs),
            extras=draw(vendor_extras()),
        )
    if kind == "event":
        return events(draw, container)
    set_id = draw(choice(sets))
    set_activities = skeleton.containers[process_id][set_id]
    return BlockActivity(
        activity_set_id=set_id,
        start_activity_id=draw(opt(choice(set_activities))) if set_activities else None,
        view=draw(st.sampled_from([None, "COLLAPSED", "EXPANDED"])),
        extra_attrs=draw(extra_attrs),
    )


loops: st.SearchStrategy[Loop] = st.one_of(
    st.builds(
        StandardLoop,
        condition=opt(texts),
        maximum=opt(st.integers(0, 100)),
        test_time=st.sampled_from(TestTime),
        counter=opt(integers),
        extra_attrs=extra_attrs,
    ),
    st.builds(
        MultiInstanceLoop,
        mi_condition=opt(texts),
        ordering=st.sampled_from(MIOrdering),
        flow_condition=st.sampled_from(MIFlowCondition),
        complex_flow_condition=opt(texts),
        counter=opt(integers),
        extra_attrs=extra_attrs,
    ),
)

deadlines: st.SearchStrategy[Deadline] = st.builds(
    Deadline,
    duration=opt(texts),
    execution=opt(st.sampled_from(Execution)),
    exception_name=opt(texts),
    extras=vendor_extras(),
    extra_attrs=extra_attrs,
    duration_attrs=expression_attrs,
).map(lambda d: d if d.duration is not None else d.model_copy(update={"duration_attrs": ()}))


def _assignments(target: str, expression: str, time: str) -> XmlNode:
    """An XPDL 2.x ``Assignments`` element with one ``Assignment``."""
    assignment = XmlNode(
        tag=f"{{{XPDL22_NS}}}Assignment",
        attrs=(("AssignTime", time),),
        children=(_xpdl("Target", target), _xpdl("Expression", expression)),
    )
    return XmlNode(tag=f"{{{XPDL22_NS}}}Assignments", children=(assignment,))


#: XPDL elements an Activity may hold that the model has no field for: kept as extras
_activity_xpdl_extras = st.one_of(
    texts.map(lambda t: _xpdl("Documentation", t)),
    texts.map(lambda t: _xpdl("Icon", t)),
    st.builds(
        _assignments,
        st.sampled_from(["x", "not a name"]) | texts,
        expression_texts,
        st.sampled_from(["Start", "End"]),
    ),
)


def _work_rules(activity_ids: Sequence[str]) -> st.SearchStrategy[ExtendedAttribute]:
    """The extended attributes that rule a person's work (wfengine.definition.work_rules),
    with good and bad values: durations, and activities that exist or do not."""
    durations = st.sampled_from(["PT4H", "1 day", "PT0S", "soon", "-1"])
    named = st.sampled_from([*activity_ids, "nowhere"])
    return st.one_of(
        st.builds(
            lambda n, v: ExtendedAttribute(name=n, value=v),
            st.sampled_from(
                ["wfengine:reminder-after", "wfengine:reminder-every", "wfengine:escalate-after"]
            ),
            durations,
        ),
        st.builds(
            lambda n, v: ExtendedAttribute(name=n, value=v),
            st.sampled_from(["AssignToPerformerOfActivity", "DoNotAssignToPerformerOfActivity"]),
            named,
        ),
    )


def activities(
    draw: st.DrawFn,
    ids: Ids,
    activity_id: str,
    skeleton: Skeleton,
    process_id: str,
    container: list[str],
    app_ids: Sequence[str],
    participant_ids: Sequence[str],
    declared: Sequence[str],
) -> Activity:
    body = bodies(draw, skeleton, process_id, container, app_ids)
    # A plain activity (half of them) has only its body: it keeps examples within hypothesis'
    # size budget, so the decorated ones can be decorated richly.
    if draw(st.booleans()):
        return Activity(id=activity_id, body=body)
    performer = choice(participant_ids) | texts if participant_ids else texts
    extras = draw(st.lists(_activity_xpdl_extras, max_size=1)) + list(draw(vendor_extras()))
    return Activity(
        id=activity_id,
        name=draw(opt(texts)),
        description=draw(opt(prose)),
        body=body,
        performers=tuple(draw(_small_list(performer))),
        start_mode=draw(opt(st.sampled_from(Mode))),
        finish_mode=draw(opt(st.sampled_from(Mode))),
        priority=draw(opt(texts)),
        limit=draw(opt(texts)),
        deadlines=tuple(draw(_small_list(deadlines))),
        loop=draw(opt(loops)),
        data_fields=tuple(_repeat(draw, lambda: data_fields(draw, ids, declared), 1)),
        graphics=draw(_graphics("NodeGraphicsInfo")),
        extended_attributes=draw(extended_attributes | st.tuples(_work_rules(container))),
        extras=tuple(extras),
        extra_attrs=draw(extra_attrs),
    )


def conditions(draw: st.DrawFn) -> Condition:
    ctype = draw(st.sampled_from([None, *ConditionType]))
    needs_expression = ctype in (None, ConditionType.CONDITION, ConditionType.EXCEPTION)
    expression = draw(texts) if needs_expression else None
    return Condition(
        type=ctype,
        expression=expression,
        extra_attrs=draw(extra_attrs),
        expression_attrs=draw(expression_attrs) if expression is not None else (),
        expression_extras=draw(vendor_extras()) if expression is not None else (),
    )


def transitions(draw: st.DrawFn, ids: Ids, activity_ids: Sequence[str]) -> Transition:
    return Transition(
        id=ids.new("tr"),
        from_=draw(choice(activity_ids)),
        to=draw(choice(activity_ids)),
        name=draw(opt(texts)),
        condition=conditions(draw) if draw(st.booleans()) else None,
        description=draw(opt(prose)),
        graphics=draw(_graphics("ConnectorGraphicsInfo")),
        extended_attributes=draw(extended_attributes),
        extras=draw(vendor_extras()),
        extra_attrs=draw(extra_attrs),
    )


def _gateways(draw: st.DrawFn, acts: list[Activity], trans: list[Transition]) -> list[Activity]:
    """Add joins and splits: where the graph needs them, and sometimes where it does not."""
    out: list[Activity] = []
    for a in acts:
        outgoing = [t.id for t in trans if t.from_ == a.id]
        incoming = sum(1 for t in trans if t.to == a.id)
        join = split = None
        if incoming > 1 or draw(st.integers(0, 4)) == 0:
            join = Join(
                type=draw(st.sampled_from(GatewayType)),
                incoming_condition=draw(opt(texts)),
                exclusive_type=draw(st.sampled_from([None, "Data", "Event"])),
                extra_attrs=draw(extra_attrs),
            )
        if len(outgoing) > 1 or draw(st.integers(0, 4)) == 0:
            refs = draw(st.permutations(outgoing)) if outgoing else []
            split = Split(
                type=draw(st.sampled_from(GatewayType)),
                transition_refs=tuple(refs),
                outgoing_condition=draw(opt(texts)),
                exclusive_type=draw(st.sampled_from([None, "Data", "Event"])),
                extra_attrs=draw(extra_attrs),
            )
        out.append(a.model_copy(update={"join": join, "split": split}))
    return out


def flows(
    draw: st.DrawFn,
    ids: Ids,
    skeleton: Skeleton,
    process_id: str,
    container_id: str,
    app_ids: Sequence[str],
    participant_ids: Sequence[str],
    declared: Sequence[str],
) -> tuple[tuple[Activity, ...], tuple[Transition, ...]]:
    """The activities and transitions of one container (a process or an activity set)."""
    container = skeleton.containers[process_id][container_id]
    acts = [
        activities(
            draw, ids, a, skeleton, process_id, container, app_ids, participant_ids, declared
        )
        for a in container
    ]
    trans = _repeat(draw, lambda: transitions(draw, ids, container), 3) if container else []
    return tuple(_gateways(draw, acts, trans)), tuple(trans)


# --------------------------------------------------------------------------- processes


redefinable_headers: st.SearchStrategy[RedefinableHeader] = st.builds(
    RedefinableHeader,
    author=opt(texts),
    version=opt(texts),
    codepage=opt(texts),
    country_key=opt(texts),
    responsibles=_small_list(texts).map(tuple),
    publication_status=st.sampled_from([None, "UNDER_REVISION", "RELEASED", "UNDER_TEST"]),
    extras=vendor_extras(),
    extra_attrs=extra_attrs,
)

process_headers: st.SearchStrategy[ProcessHeader] = st.builds(
    ProcessHeader,
    created=opt(texts),
    description=opt(prose),
    priority=opt(texts),
    limit=opt(texts),
    valid_from=opt(texts),
    valid_to=opt(texts),
    duration_unit=st.sampled_from([None, "Y", "M", "D", "h", "m", "s"]),
    waiting_time=opt(texts),
    working_time=opt(texts),
    duration=opt(texts),
    extras=vendor_extras(),
    extra_attrs=extra_attrs,
)


def workflow_processes(
    draw: st.DrawFn,
    ids: Ids,
    skeleton: Skeleton,
    process_id: str,
    package_apps: Sequence[str],
    package_participants: Sequence[str],
    declared: Sequence[str],
) -> WorkflowProcess:
    parts = _repeat(draw, lambda: participants(draw, ids), 1)
    apps = _repeat(draw, lambda: applications(draw, ids, declared), 1)
    app_ids = [*package_apps, *(a.id for a in apps)]
    participant_ids = [*package_participants, *(p.id for p in parts)]

    def flow(container_id: str) -> tuple[tuple[Activity, ...], tuple[Transition, ...]]:
        return flows(
            draw, ids, skeleton, process_id, container_id, app_ids, participant_ids, declared
        )

    sets = []
    for set_id in skeleton.sets_of(process_id):
        acts, trans = flow(set_id)
        sets.append(
            ActivitySet(
                id=set_id,
                name=draw(opt(texts)),
                activities=acts,
                transitions=trans,
                default_start_activity_id=(
                    draw(opt(choice([a.id for a in acts]))) if acts else None
                ),
                extras=draw(vendor_extras()),
                extra_attrs=draw(extra_attrs),
            )
        )
    acts, trans = flow(process_id)
    return WorkflowProcess(
        id=process_id,
        name=draw(opt(texts)),
        access_level=draw(st.sampled_from([None, "PUBLIC", "PRIVATE"])),
        header=draw(process_headers),
        redefinable_header=draw(opt(redefinable_headers)),
        formal_parameters=tuple(_repeat(draw, lambda: formal_parameters(draw, ids, declared), 2)),
        data_fields=tuple(_repeat(draw, lambda: data_fields(draw, ids, declared), 2)),
        participants=tuple(parts),
        applications=tuple(apps),
        activity_sets=tuple(sets),
        activities=acts,
        transitions=trans,
        extended_attributes=draw(extended_attributes),
        extras=draw(vendor_extras()),
        extra_attrs=draw(extra_attrs),
    )


# --------------------------------------------------------------------------- package


def _skeleton(ids: Ids) -> Skeleton:
    skeleton = Skeleton(process_ids=ids.many("wp", 1, 2))
    for pid in skeleton.process_ids:
        containers = {pid: ids.many("ac", 0, 3)}
        for set_id in ids.many("as", 0, 1):
            containers[set_id] = ids.many("ac", 1, 2)
        skeleton.containers[pid] = containers
    return skeleton


def _pools(
    draw: st.DrawFn, ids: Ids, process_ids: Sequence[str], participant_ids: Sequence[str]
) -> list[Pool]:
    pools = []
    for pool_id in ids.many("po", 0, 2):
        lane_ids = ids.many("la", 0, 2)
        lanes = [
            Lane(
                id=lane_id,
                name=draw(opt(texts)),
                parent_pool=draw(st.sampled_from([None, pool_id])),
                parent_lane=draw(opt(choice(lane_ids))),
                performers=tuple(draw(_small_list(texts))),
                graphics=draw(_graphics("NodeGraphicsInfo")),
                extras=draw(vendor_extras()),
                extra_attrs=draw(extra_attrs),
            )
            for lane_id in lane_ids
        ]
        pools.append(
            Pool(
                id=pool_id,
                name=draw(opt(texts)),
                process=draw(opt(choice(process_ids))),
                participant=(draw(opt(choice(participant_ids))) if participant_ids else None),
                boundary_visible=draw(st.booleans()),
                orientation=draw(st.sampled_from([None, "HORIZONTAL", "VERTICAL"])),
                lanes=tuple(lanes),
                graphics=draw(_graphics("NodeGraphicsInfo")),
                extras=draw(vendor_extras()),
                extra_attrs=draw(extra_attrs),
            )
        )
    return pools


def _type_declarations(draw: st.DrawFn, ids: Ids) -> list[TypeDeclaration]:
    decls: list[TypeDeclaration] = []
    for _ in range(draw(st.integers(0, 2))):
        decls.append(
            TypeDeclaration(
                id=ids.new("ty"),
                name=draw(opt(texts)),
                data_type=draw(data_types(tuple(d.id for d in decls), depth=1)),
                description=draw(opt(prose)),
                extended_attributes=draw(extended_attributes),
                extras=draw(vendor_extras()),
                extra_attrs=draw(extra_attrs),
            )
        )
    return decls


@st.composite
def packages(draw: st.DrawFn) -> Package:
    """A valid, diverse package: see the module docstring for what "valid" leaves out."""
    ids = Ids(draw)
    skeleton = _skeleton(ids)
    decls = _type_declarations(draw, ids)
    declared = [d.id for d in decls]
    parts = _repeat(draw, lambda: participants(draw, ids), 2)
    apps = _repeat(draw, lambda: applications(draw, ids, declared), 2)
    processes = [
        workflow_processes(
            draw, ids, skeleton, pid, [a.id for a in apps], [p.id for p in parts], declared
        )
        for pid in skeleton.process_ids
    ]
    pools = _pools(draw, ids, skeleton.process_ids, [p.id for p in parts])
    activity_ids = [a for pid in skeleton.process_ids for a in skeleton.activities_of(pid)]
    artifacts = [
        _xpdl("Artifact", Id=ids.new("ar"), ArtifactType="Annotation", TextAnnotation=draw(texts))
        for _ in range(draw(st.integers(0, 1)))
    ]
    flow_ends = [p.id for p in pools] + activity_ids
    message_flows = [
        _xpdl("MessageFlow", Id=ids.new("mf"), Source=source, Target=target)
        for source, target in draw(
            _small_list(st.tuples(choice(flow_ends), choice(flow_ends)), 1)
            if flow_ends
            else st.just([])
        )
    ]
    associations = [
        _xpdl("Association", Id=ids.new("an"), Source=artifact.get("Id") or "", Target=target)
        for artifact in artifacts
        for target in draw(_small_list(choice(activity_ids), 1) if activity_ids else st.just([]))
    ]
    namespaces = [(VENDOR_PREFIX, VENDOR_NS)]
    if draw(st.booleans()):
        namespaces.append(("other", "urn:x-wfengine-test:unused"))
    return Package(
        id=ids.new("pk"),
        name=draw(opt(texts)),
        header=PackageHeader(
            xpdl_version="2.2",
            vendor=draw(opt(texts)),
            created=draw(opt(texts)),
            modification_date=draw(opt(texts)),
            description=draw(opt(prose)),
            documentation=draw(opt(prose)),
            priority_unit=draw(opt(texts)),
            cost_unit=draw(opt(texts)),
            extras=draw(vendor_extras()),
            extra_attrs=draw(extra_attrs),
        ),
        redefinable_header=draw(opt(redefinable_headers)),
        conformance_class=draw(
            opt(
                st.builds(
                    ConformanceClass,
                    graph_conformance=st.sampled_from(
                        [None, "FULL_BLOCKED", "LOOP_BLOCKED", "NON_BLOCKED"]
                    ),
                    bpmn_portability=st.sampled_from(
                        [None, "NONE", "SIMPLE", "STANDARD", "COMPLETE"]
                    ),
                    extra_attrs=extra_attrs,
                )
            )
        ),
        script=draw(
            opt(
                st.builds(
                    Script,
                    type=texts,
                    version=opt(texts),
                    grammar=opt(uris),
                    extra_attrs=extra_attrs,
                )
            )
        ),
        external_packages=tuple(
            draw(
                _small_list(
                    st.builds(
                        ExternalPackage,
                        href=opt(texts),
                        id=opt(tokens),
                        name=opt(texts),
                        extended_attributes=extended_attributes,
                        extras=vendor_extras(),
                        extra_attrs=extra_attrs,
                    ),
                    1,
                )
            )
        ),
        type_declarations=tuple(decls),
        participants=tuple(parts),
        applications=tuple(apps),
        data_fields=tuple(_repeat(draw, lambda: data_fields(draw, ids, declared), 2)),
        workflow_processes=tuple(processes),
        pools=tuple(pools),
        message_flows=tuple(message_flows),
        associations=tuple(associations),
        artifacts=tuple(artifacts),
        namespaces=tuple(namespaces),
        extended_attributes=draw(extended_attributes),
        extras=draw(vendor_extras()),
        extra_attrs=draw(extra_attrs),
    )

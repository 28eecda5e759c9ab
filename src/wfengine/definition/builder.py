"""Write process definitions in Python: a small builder over the frozen definition model.

Why a builder and not the model classes directly: the model is exact and complete, which makes
it verbose for the everyday case. A process needs transition ids, a Split listing its outgoing
transitions whenever more than one leaves an activity, a Join whenever more than one arrives,
and the right body class per activity kind. The builder fills those in by fixed rules, so a
definition written in code is *the same model* the XPDL reader produces for the equivalent
document (equal apart from source lines), and the engine never has to know where a definition
came from.

Rules the builder applies at :meth:`PackageBuilder.build` time:

* Transition ids left out become ``t1``, ``t2``, ... in creation order, numbered across the
  package and skipping every activity id and explicit transition id, so they are unique where
  XPDL 2.2 wants them unique (the package) and stable from run to run.
* An activity with more than one outgoing transition gets a :class:`Split` whose
  ``transition_refs`` list those transitions in creation order; one with more than one incoming
  transition gets a :class:`Join`. The gateway type is the Route's ``gateway=`` for a route
  that has one, else the activity's ``split=``/``join=`` argument when given, else Exclusive:
  XPDL's own default, and the one type that can never deadlock. A Parallel join must be asked
  for. A route's ``split=``/``join=`` of another type than its ``gateway=`` is a
  :class:`BuildError` naming the route and both types: XPDL 2.2 gives a Route one GatewayType
  for its split and its join, and the engine runs it, so the other type would be written and
  never run (a Parallel fork asked to join Exclusive would wait for every way in). A merge of
  one type before a fork of another is two routes. A ``split=``/``join=`` given as a model is
  used verbatim; one given as a type name is honoured even with a single transition.
* Type names are accepted as strings (any case) or enum members, an event's trigger or result
  too (written in XPDL's spelling); a data type may be a basic type name, the id of a type
  declaration of the package (an exact id wins over a basic type's name in another case:
  ``"Performer"`` is a declared ``Performer`` if there is one), or any model ``DataType``.
* A transition id given as ``""`` is generated like an omitted one.
* A process's header is set by :meth:`ProcessBuilder.header` (``build_header``), its
  ValidFrom/ValidTo checked to be moments the engine reads, forming a period.
* A text the model keeps as an element's text is kept as the XPDL reader reads it
  (:mod:`~wfengine.definition.element_texts`): an expression, initial value, priority, limit,
  performer, script, deadline or actual parameter without the whitespace around it, and None
  when blank (a blank performer names none, a blank actual parameter stays ``""`` in its
  place); a description as written, None when empty; a timer's or conditional event's text
  as written, None when blank. Otherwise the file written from a built package would read
  back as another model, and deploy as another version of it.

Misuse is reported when it can be detected without the rest of the package (an unknown type
name, contradictory arguments) or at build time (duplicate ids, a transition naming an activity
that is not in its process or activity set, a block naming an unknown activity set, a
transition with the id of an activity (of any process) or of another process's transition, an
activity set with a process's id, a formal parameter and a
data field with one id and two types), always as :class:`BuildError`, also for an argument of
the wrong kind (``name=5``), which a model would otherwise refuse far from the call. The
builder checks structure only: whether a tool names a defined application or a performer a
defined participant is :mod:`validation`'s business, because an XPDL file can get those wrong
too and both must be reported the same way.

This module holds the three builders a caller holds; their parts are ``build_arguments`` (the
short argument forms, :class:`BuildError` and the loop/deadline constructors), ``build_types``
(type names resolved at build time), ``build_declarations`` (participants, applications, data
fields) and ``build_flow`` (activities, transitions, and the split/join rules).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Self

from pydantic import ValidationError

from wfengine.definition.build_arguments import (
    BuildError,
    ParamSpec,
    TypeSpec,
    check_unique,
    deadline,
    extended_attribute_of,
    maybe_text,
    model_error,
    multi_instance,
    performers_as_read,
    prose_text,
    reported,
    standard_loop,
    text,
)
from wfengine.definition.build_declarations import DeclarationsMixin
from wfengine.definition.build_flow import ActivityOptions, Flow, FlowBuilder, finish_flow, free_ids
from wfengine.definition.build_header import Moment, header_with
from wfengine.definition.build_types import (
    PendingField,
    PendingType,
    pending_param,
    pending_params,
    resolve_type,
    type_of,
)
from wfengine.definition.model import (
    ActivitySet,
    BasicType,
    BasicTypeKind,
    BlockActivity,
    DataField,
    ExtendedAttribute,
    FormalParameter,
    Package,
    PackageHeader,
    ParameterMode,
    Pool,
    ProcessHeader,
    Script,
    TypeDeclaration,
    WorkflowProcess,
    XmlNode,
)

__all__ = [
    "ActivityOptions",
    "ActivitySetBuilder",
    "BuildError",
    "PackageBuilder",
    "ProcessBuilder",
    "deadline",
    "multi_instance",
    "standard_loop",
]


class ActivitySetBuilder(FlowBuilder):
    """The activities and transitions of one activity set, run by block activities."""

    def __init__(self, process: ProcessBuilder, id: str, name: str | None) -> None:
        self._process = process
        self.id = id
        self._name = name
        self._flow = Flow(f"activity set {id!r} of process {process.id!r}", process._serial)
        self._default_start: str | None = None
        self._attrs: list[tuple[str, str]] = []

    def default_start(self, activity_id: str) -> Self:
        """Name the activity the set starts at when a block does not say."""
        self._default_start = activity_id
        return self

    def build(self) -> Package:
        """Build the whole package this activity set belongs to."""
        return self._process.build()


class ProcessBuilder(FlowBuilder, DeclarationsMixin):
    """One workflow process: its declarations, activities, transitions and activity sets.

    Obtained from :meth:`PackageBuilder.process`; every method but :meth:`activity_set` returns
    the builder itself, so calls chain.
    """

    def __init__(
        self,
        package: PackageBuilder,
        id: str,
        name: str | None,
        params: Sequence[ParamSpec],
        access_level: str | None,
    ) -> None:
        self._package = package
        self.id = text(id, "the id")
        self._name = maybe_text(name, "name")
        self._access_level = maybe_text(access_level, "access_level")
        self._params = pending_params(params)
        self._participants = []
        self._applications = []
        self._data_fields = []
        self._serial = package._serial
        self._flow = Flow(f"process {id!r}", self._serial)
        self._sets: list[ActivitySetBuilder] = []
        self._extended: list[ExtendedAttribute] = []
        self._header = ProcessHeader()

    def header(
        self,
        *,
        valid_from: Moment | None = None,
        valid_to: Moment | None = None,
        priority: str | None = None,
        limit: str | None = None,
        duration: str | None = None,
        duration_unit: str | None = None,
        waiting_time: str | None = None,
        working_time: str | None = None,
        created: str | None = None,
        description: str | None = None,
    ) -> Self:
        """Set fields of the process's header (XPDL's ``ProcessHeader``); a later call sets
        the fields it is given and keeps the others.

        ``valid_from``/``valid_to`` (an ISO 8601 date or date-time, or a ``date``/``datetime``;
        a naive one is UTC) bound when the engine starts new instances of this version: a
        date as ``valid_to`` takes in its whole day. One the engine cannot read, or a period
        no instance could start in, is a :class:`BuildError`. ``duration_unit`` is one of
        ``Y M D h m s`` and says the unit of ``duration``, ``limit``, ``waiting_time`` and
        ``working_time``; the other fields are kept as text for tools and people."""
        given = {
            "valid_from": valid_from,
            "valid_to": valid_to,
            "priority": priority,
            "limit": limit,
            "duration": duration,
            "duration_unit": duration_unit,
            "waiting_time": waiting_time,
            "working_time": working_time,
            "created": created,
            "description": description,
        }
        self._header = header_with(self._header, f"process {self.id!r}: header()", given)
        return self

    @reported("formal parameter")
    def param(self, id: str, mode: str | ParameterMode, type: TypeSpec) -> Self:
        """Add a formal parameter of the process (also settable via ``params=`` up front)."""
        self._params.append(pending_param((id, mode, type)))
        return self

    @reported("activity set")
    def activity_set(
        self,
        id: str,
        *,
        name: str | None = None,
        default_start: str | None = None,
        adhoc: str | None = None,
        completion: str | None = None,
        triggered_by_event: bool = False,
    ) -> ActivitySetBuilder:
        """Start an activity set; add its activities and transitions on the returned builder.

        ``adhoc="Parallel"`` or ``"Sequential"`` makes it an ad-hoc set (``AdHoc``,
        ``AdHocOrdering``): its activities with no way in all start when a block runs it, in
        parallel or one at a time in the order people take them; ``completion`` is its
        ``AdHocCompletionCondition``, which ends it early once it holds.
        ``triggered_by_event=True`` makes it an event sub-process (``TriggeredByEvent``): a
        block activity with no transitions runs it when its start event's trigger fires
        while the scope holding the block runs."""
        text(id, "the id")
        s = ActivitySetBuilder(self, id, maybe_text(name, "name"))
        if default_start is not None:
            s.default_start(text(default_start, "default_start (an activity id)"))
        completion = maybe_text(completion, "completion (an expression)")
        if not isinstance(triggered_by_event, bool):
            raise BuildError(f"triggered_by_event is True or False, not {triggered_by_event!r}")
        if adhoc is not None:
            ordering = {"parallel": "Parallel", "sequential": "Sequential"}
            if str(adhoc).lower() not in ordering:
                raise BuildError(f"adhoc is Parallel or Sequential, not {adhoc!r}")
            s._attrs = [("AdHoc", "true"), ("AdHocOrdering", ordering[str(adhoc).lower()])]
            if completion is not None:
                s._attrs.append(("AdHocCompletionCondition", completion))
        elif completion is not None:
            raise BuildError("completion= belongs to an ad-hoc set (adhoc=...)")
        if triggered_by_event:
            s._attrs.append(("TriggeredByEvent", "true"))
        self._sets.append(s)
        return s

    def extended_attribute(
        self, name: str, value: str | None = None, content: Sequence[XmlNode] = ()
    ) -> Self:
        self._extended.append(extended_attribute_of(f"process {self.id!r}", name, value, content))
        return self

    def build(self) -> Package:
        """Build the whole package: processes are deployed and validated as part of one."""
        return self._package.build()

    def build_process(self) -> WorkflowProcess:
        """Build only this process (declared types resolved against the package)."""
        self._package._number_transitions()
        return self._build(self._package._declared_type_ids())

    def _flows(self) -> list[Flow]:
        return [self._flow, *(s._flow for s in self._sets)]

    def _build(self, declared: Sequence[str]) -> WorkflowProcess:
        try:
            return self._build_checked(declared)
        except ValidationError as exc:  # an argument no method checked: still named
            raise BuildError(f"process {self.id!r}: {model_error(exc)}") from None

    def _build_checked(self, declared: Sequence[str]) -> WorkflowProcess:
        where = f"process {self.id!r}"
        name_scopes(self, where, self._params)
        participants, applications, data_fields = self._build_declarations(declared, where)
        params = tuple(p.resolve(declared) for p in self._params)
        check_unique("formal parameter", (p.id for p in params), where)
        check_same_types(params, data_fields, where)
        flows = self._flows()
        check_unique("activity", (a.model.id for f in flows for a in f.activities), where)
        check_unique("activity set", (s.id for s in self._sets), where)
        check_unique("transition", (t.id for f in flows for t in f.transitions if t.id), where)
        activity_ids = {a.model.id for f in flows for a in f.activities}
        for f in flows:
            for t in f.transitions:
                if t.id in activity_ids:
                    raise BuildError(
                        f"transition {t.model.from_!r} -> {t.model.to!r} in {f.where} has id "
                        f"{t.id!r}, which is an activity's: XPDL 2.2 keys activity and "
                        f"transition ids together (leave id= out for a generated one)"
                    )
        activities, transitions = finish_flow(self._flow)
        sets: list[ActivitySet] = []
        for s in self._sets:
            acts, trans = finish_flow(s._flow)
            sets.append(
                ActivitySet(
                    id=s.id,
                    name=s._name,
                    activities=acts,
                    transitions=trans,
                    default_start_activity_id=s._default_start,
                    extra_attrs=tuple(s._attrs),
                )
            )
        set_ids = {s.id for s in self._sets}
        for f in flows:
            for a in f.activities:
                body = a.model.body
                if isinstance(body, BlockActivity) and body.activity_set_id not in set_ids:
                    have = ", ".join(sorted(set_ids)) or "none"
                    raise BuildError(
                        f"block activity {a.model.id!r} in {f.where} runs unknown activity set "
                        f"{body.activity_set_id!r} (activity sets: {have})"
                    )
        return WorkflowProcess(
            id=self.id,
            name=self._name,
            access_level=self._access_level,
            header=self._header,
            formal_parameters=params,
            data_fields=data_fields,
            participants=participants,
            applications=applications,
            activity_sets=tuple(sets),
            activities=activities,
            transitions=transitions,
            extended_attributes=tuple(self._extended),
        )


def name_scopes(owner: DeclarationsMixin, where: str, params: Sequence[PendingField] = ()) -> None:
    """Tell each pending data field and formal parameter of ``owner`` (a package or process
    named ``where``) where it is declared, so an unknown type name found while resolving
    names it: ``formal parameter 'amt' of application 'calc' of process 'main'``."""
    for pending in (*owner._data_fields, *params):
        pending.scope = where
    for app, app_params in owner._applications:
        for pending in app_params:
            pending.scope = f"application {app.id!r} of {where}"


def check_same_types(
    params: Sequence[FormalParameter | DataField], fields: Sequence[DataField], where: str
) -> None:
    """Refuse a data field sharing a formal parameter's id with another type.

    Sharing the id is allowed (files do it, and it is how a parameter gets a field's extras:
    a secret marking, a default); one id with two types is not, because an instance holds one
    value for it, which start data checks as the parameter and an initial value writes as the
    field."""
    by_id = {f.id: f for f in fields}
    for p in params:
        f = by_id.get(p.id)
        if f is not None and (f.data_type, f.is_array) != (p.data_type, p.is_array):
            raise BuildError(
                f"{p.id!r} in {where} is a formal parameter of type {_type_text(p)} and a data "
                f"field of type {_type_text(f)}: one id holds one value of an instance (give "
                f"both the same type, or rename one)"
            )


def _type_text(item: FormalParameter | DataField) -> str:
    t = item.data_type
    name = t.type.value if isinstance(t, BasicType) else getattr(t, "id", None) or t.kind
    return f"{name}[]" if item.is_array else str(name)


class PackageBuilder(DeclarationsMixin):
    """An XPDL package under construction; :meth:`build` returns the frozen :class:`Package`.

    ``script`` names the expression language of the package (XPDL's ``Script Type``, e.g.
    ``"text/python"``); left out, the package does not say, as in a file without one.
    """

    def __init__(
        self,
        id: str,
        *,
        name: str | None = None,
        script: str | None = None,
        header: PackageHeader | None = None,
    ) -> None:
        where = f"package {id!r}"
        self.id = text(id, f"{where}: the id")
        self._name = maybe_text(name, f"{where}: name")
        self._script = maybe_text(script, f"{where}: script (a language, e.g. 'text/python')")
        if header is not None and not isinstance(header, PackageHeader):
            raise BuildError(f"{where}: header is a PackageHeader model, not {header!r}")
        self._header = header or PackageHeader()
        self._participants = []
        self._applications = []
        self._data_fields = []
        self._types: list[tuple[TypeDeclaration, PendingType]] = []
        self._processes: list[ProcessBuilder] = []
        self._pools: list[Pool] = []
        self._extended: list[ExtendedAttribute] = []
        self._serial = itertools.count(1)

    @reported("type declaration")
    def type_declaration(
        self,
        id: str,
        data_type: TypeSpec,
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> Self:
        """Declare a named type; data fields and parameters may then use ``id`` as their type."""
        placeholder = BasicType(type=BasicTypeKind.STRING)  # its type is resolved at build
        model = TypeDeclaration(
            id=id,
            name=name,
            data_type=placeholder,
            description=prose_text(description, "description"),
        )
        self._types.append((model, type_of(data_type)))
        return self

    def pool(self, pool: Pool) -> Self:
        """Add a pool (with its lanes) as a model: diagram structure, rarely written by hand.

        It is kept as the XPDL reader reads the pool written from it: a pool that does not
        say whether its boundary is visible is visible (the schema requires the attribute,
        written ``true``), and its lanes' performers are read as an activity's are."""
        if not isinstance(pool, Pool):
            raise BuildError(
                f"package {self.id!r}: pool() takes a Pool model (with its lanes), not {pool!r}"
            )
        lanes = tuple(
            lane.model_copy(update={"performers": performers_as_read(lane.performers)})
            for lane in pool.lanes
        )
        visible = True if pool.boundary_visible is None else pool.boundary_visible
        self._pools.append(pool.model_copy(update={"boundary_visible": visible, "lanes": lanes}))
        return self

    def extended_attribute(
        self, name: str, value: str | None = None, content: Sequence[XmlNode] = ()
    ) -> Self:
        self._extended.append(extended_attribute_of(f"package {self.id!r}", name, value, content))
        return self

    @reported("process")
    def process(
        self,
        id: str,
        *,
        name: str | None = None,
        params: Sequence[ParamSpec] = (),
        access_level: str | None = None,
    ) -> ProcessBuilder:
        """Start a workflow process; it is part of the package from this call on."""
        p = ProcessBuilder(self, id, name, params, access_level)
        self._processes.append(p)
        return p

    def _type_declarations(self, declared: Sequence[str]) -> tuple[TypeDeclaration, ...]:
        """The declarations with their types resolved as a field's are (a declaration with
        exactly the name first), except that a declaration never refers to itself
        (``type_declaration("Performer", "performer")`` is the basic type)."""
        out = []
        for model, pending in self._types:
            others = [d for d in declared if d != model.id]
            resolved = resolve_type(pending, others, loose=True)
            out.append(model.model_copy(update={"data_type": resolved}))
        return tuple(out)

    def _declared_type_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t, _ in self._types)

    def _check_transition_ids(self) -> None:
        """Refuse a transition id given explicitly that another process's activity or
        transition holds.

        Why package-wide: XPDL 2.2 keys activity and transition ids together in the whole
        package (``GraphicalItemAware.Package``), so such a package is written as a file that
        does not validate; one process's own clashes are refused when it is built. Activity
        ids may repeat across processes (``start``, ``end``: validation warns,
        ``duplicate-id-package``), since people and scripts address them; a transition's id
        is only a name, generated when left out."""
        holders: dict[str, tuple[str, str]] = {}  # id -> (what holds it, its process)
        for p in self._processes:
            for f in p._flows():
                for a in f.activities:
                    holders.setdefault(a.model.id, ("an activity", p.id))
        for p in self._processes:
            for f in p._flows():
                for t in f.transitions:
                    if t.id is None:
                        continue
                    what, owner = holders.setdefault(t.id, ("a transition", p.id))
                    if owner != p.id:
                        raise BuildError(
                            f"transition {t.model.from_!r} -> {t.model.to!r} in {f.where} has id "
                            f"{t.id!r}, which {what} of process {owner!r} has: XPDL 2.2 keys "
                            "activity and transition ids together across the package (leave "
                            "id= out for a generated one)"
                        )

    def _number_transitions(self) -> None:
        """Give id-less transitions ``t1``, ``t2``, ... in creation order across the package.

        Package-wide rather than per process because XPDL 2.2's schema wants activity and
        transition ids unique in the whole package; ids already taken by an activity or an
        explicit transition are skipped.
        """
        flows = [f for p in self._processes for f in p._flows()]
        taken = {t.id for f in flows for t in f.transitions if t.id is not None}
        taken |= {a.model.id for f in flows for a in f.activities}
        pending = sorted(
            (t for f in flows for t in f.transitions if t.id is None), key=lambda t: t.serial
        )
        for t, new_id in zip(pending, free_ids(taken), strict=False):
            t.assigned = new_id

    def build(self) -> Package:
        """The frozen package. May be called again after further additions."""
        try:
            return self._build()
        except ValidationError as exc:  # an argument no method checked: still named
            raise BuildError(f"package {self.id!r}: {model_error(exc)}") from None

    def _build(self) -> Package:
        declared = self._declared_type_ids()
        where = f"package {self.id!r}"
        check_unique("type declaration", declared, where)
        name_scopes(self, where)
        participants, applications, data_fields = self._build_declarations(declared, where)
        check_unique("process", (p.id for p in self._processes), where)
        process_ids = {p.id for p in self._processes}
        for p in self._processes:
            for s in p._sets:
                if s.id in process_ids:
                    raise BuildError(
                        f"activity set {s.id!r} of process {p.id!r} has the id of process "
                        f"{s.id!r}: XPDL 2.2 keys process and activity-set ids together in "
                        f"{where}"
                    )
        self._check_transition_ids()
        self._number_transitions()
        return Package(
            id=self.id,
            name=self._name,
            header=self._header,
            script=None if self._script is None else Script(type=self._script),
            type_declarations=self._type_declarations(declared),
            participants=participants,
            applications=applications,
            data_fields=data_fields,
            workflow_processes=tuple(p._build(declared) for p in self._processes),
            pools=tuple(self._pools),
            extended_attributes=tuple(self._extended),
        )

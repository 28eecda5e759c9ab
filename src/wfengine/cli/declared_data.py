"""``--set`` checked against what a process declares, and converted to the declared types.

A script that writes ``--set amout=10`` (a typo) or ``--set days=abc`` should hear about it
before an instance runs on data nobody reads or a condition fails three steps later. So for
``run`` and ``instance start``:

* NAME must be a data field (of the process or the package) or a formal parameter of the
  process, by id; a field's or parameter's Name is accepted too when no id matches and exactly
  one declaration carries it (tools such as Bizagi use opaque ids and readable Names). Anything
  else is a usage error naming the declared ones, unless ``--allow-undeclared``;
* VALUE is converted by the declared type with the same rules the engine applies to
  application parameters (:func:`wfengine.runtime.invocation.coerce`): ``10`` into a FLOAT is
  ``10.0``, ``true``/``false`` into a BOOLEAN, ISO 8601 text into a DATE, DATETIME or TIME,
  and a STRING keeps the text as given even when it looks like JSON (``zip=01234`` stays
  ``"01234"``). A FLOAT must be finite, at every level of the value (an array of arrays, a
  record in an array: :func:`all_finite`). Declared types are followed to what they declare; an
  enumeration takes one of its values as text; arrays and lists, and every type that is not
  basic (records, schemas, external references), take JSON (:mod:`wfengine.cli.json_input`).
  Then the value is checked as the engine checks it when the instance starts
  (:func:`as_engine_checks`): each item of an array of an enumeration must be one of its values.

Every value, converted or not, must be one instance data can hold
(:func:`wfengine.cli.json_input.storable`): ``days=`` followed by 2,000 digits is an INTEGER
wider than the engine stores, refused here rather than when the run stores it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import click

from wfengine.cli.assignments import is_identifier, not_a_name, parse_value, too_many_digits
from wfengine.cli.json_input import loads, storable, too_wide
from wfengine.definition.model import (
    ArrayType,
    BasicType,
    BasicTypeKind,
    DataField,
    DataType,
    DeclaredType,
    EnumerationType,
    FormalParameter,
    ListType,
    Package,
    WorkflowProcess,
    XmlNode,
)
from wfengine.one_line import shortened

#: how many declared names an "undeclared" message lists before it says "and N more"
_LISTED = 40
#: how far declared types are followed (a cycle of declarations must not hang the command)
_MAX_TYPE_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Declaration:
    """A data field or formal parameter a ``--set`` NAME may refer to."""

    id: str
    name: str | None
    data_type: DataType
    is_array: bool
    #: "data field" or "formal parameter", for messages
    what: str
    #: a value given for it is never shown (the engine's rule: a data field of that id,
    #: of the package or the process, marked ``wfengine:sensitive``)
    sensitive: bool = False


def declarations(package: Package, process: WorkflowProcess) -> dict[str, Declaration]:
    """What ``process`` can hold, by id: the package's data fields, then the process's own
    (which win over a package field of the same id), then its formal parameters. An id is
    sensitive as the engine masks it (``compiled.sensitive_fields``): when a data field of
    that id, of the package or the process, is marked ``wfengine:sensitive``."""
    from wfengine.applications.redaction import is_sensitive_field

    fields = (*package.data_fields, *process.data_fields)
    secret = {df.id for df in fields if is_sensitive_field(df)}
    found: dict[str, Declaration] = {}
    items: list[DataField | FormalParameter] = [*fields, *process.formal_parameters]
    for item in items:
        what = "data field" if isinstance(item, DataField) else "formal parameter"
        found[item.id] = Declaration(
            item.id, item.name, item.data_type, item.is_array, what, item.id in secret
        )
    return found


def _refused(exc: ValueError, target: Declaration) -> str:
    """Why a value given for ``target`` is refused: ``exc``'s message, which may quote the
    value (``got str '12345x6789'``), or for a sensitive target only the type expected, as
    the engine says it (``got a str (not shown: sensitive)``): a command's error goes to a
    terminal, a CI log, a script's captured output."""
    kind = type_name(target.data_type, target.is_array)
    if not target.sensitive:
        return f"{target.what} {target.id!r} ({kind}): {exc}"
    hidden = getattr(exc, "hidden", None)  # a CoercionError says it without the value
    why = hidden if isinstance(hidden, str) else f"not a value of {kind} (not shown: sensitive)"
    return f"{target.what} {target.id!r} ({kind}): {why}"


def declared_values(
    raw: Mapping[str, str],
    package: Package,
    process: WorkflowProcess,
    *,
    allow_undeclared: bool = False,
    option: str = "--set",
) -> dict[str, Any]:
    """The instance data ``raw`` (NAME -> VALUE text) gives ``process``: names resolved to
    declaration ids and values converted (see the module notes). Raises
    :class:`click.BadParameter` (exit status 2) naming the offending NAME; so is one
    declaration given by two NAMEs (its id and its Name): the later value silently won."""
    declared = declarations(package, process)
    types = {t.id: t.data_type for t in package.type_declarations}
    data: dict[str, Any] = {}
    given_as: dict[str, str] = {}
    for name, text in raw.items():
        target = _resolve_name(name, declared, allow_undeclared, option, package, process)
        if target is None:  # undeclared and allowed
            data[name] = parse_value(text, name=name, option=option)
            continue
        given_once(given_as, name, target, option)
        try:
            data[target.id] = as_engine_checks(
                convert(text, target.data_type, target.is_array, types), target, types
            )
        except ValueError as exc:
            shown = shortened(text, 20)
            if target.sensitive:
                shown = "***"
            refused = NotFiniteParameter if isinstance(exc, NotFinite) else click.BadParameter
            raise refused(f"{name}={shown}: {_refused(exc, target)}", param_hint=option) from None
    return data


class NotFiniteParameter(click.BadParameter):
    """A value refused because a FLOAT in it is not finite: a limit every reading shares
    (README: "finite floats: no NaN or Infinity"), told apart from a value the declared type
    refuses, which a caller such as ``incident skip`` hands on to the engine as text."""


def given_once(given_as: dict[str, str], name: str, target: Declaration, option: str) -> None:
    """Note in ``given_as`` (declaration id -> the NAME that gave it) that ``name`` gives
    ``target``; raise :class:`click.BadParameter` (exit status 2) when another NAME gave it
    already (its id and its Name). Why: the later value silently won, where the engine's
    API refuses the same data (``DataTypeError``). One check for every way values arrive
    (``--set``, ``--answers``, a ``--script`` step's ``set``, ``incident skip --set``)."""
    earlier = given_as.setdefault(target.id, name)
    if earlier != name:
        raise click.BadParameter(
            f"{earlier!r} and {name!r} both name {target.what} {target.id!r}: give it once",
            param_hint=option,
        )


def declared_target(name: str, declared: Mapping[str, Declaration]) -> Declaration | None:
    """The declaration ``name`` refers to (by id, else by a Name exactly one carries), or
    None: for a caller that lets the engine refuse what is not declared."""
    try:
        return _resolve_name(name, declared, True, "--set")
    except click.BadParameter:  # a Name several declarations carry
        return None


def _resolve_name(
    name: str,
    declared: Mapping[str, Declaration],
    allow_undeclared: bool,
    option: str,
    package: Package | None = None,
    process: WorkflowProcess | None = None,
) -> Declaration | None:
    """The declaration ``name`` gives (see :func:`declared_target`), None for an undeclared
    name when ``allow_undeclared``; else a :class:`click.BadParameter` naming ``process``'s
    declarations, or the one it holds that could not be read (:func:`unread_declaration`)."""
    if name in declared:
        return declared[name]
    named = [d for d in declared.values() if d.name == name]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        ids = ", ".join(d.id for d in named)
        raise click.BadParameter(
            f"{name!r} is the Name of several declarations ({ids}): give the id instead",
            param_hint=option,
        )
    if allow_undeclared:
        if not is_identifier(name):  # (no expression could read it: kept, it would be lost)
            raise click.BadParameter(not_a_name(name), param_hint=option)
        return None
    assert package is not None and process is not None  # (only declared_target gives none)
    unread = unread_declaration(name, package, process)
    if unread is not None:
        raise click.BadParameter(unread, param_hint=option)
    raise click.BadParameter(
        f"{name!r} is not declared by process {process.id!r}; its data fields and formal "
        f"parameters are: {_listing(declared.values())} (use --allow-undeclared to set it "
        "anyway)",
        param_hint=option,
    )


#: the declarations a NAME may give, as elements, with what a message calls them
_DECLARING = {"DataField": "data field", "FormalParameter": "formal parameter"}
#: the reader's words for an element it kept as XML (``ReadContext.unreadable``): the reason
_KEPT_BECAUSE = re.compile(r"could not be read \((.*)\); it is kept as XML$", re.DOTALL)


def unread_declaration(name: str, package: Package, process: WorkflowProcess) -> str | None:
    """Why ``name``, which ``process`` (or its package) declares, is not among its
    declarations: a DataField or FormalParameter, of that Id or Name, that the reader could
    not read (a misspelt BasicType ``INTEGR``) and kept as XML, with a warning only. Told as
    such, with its line and the reader's reason: "not declared" sent the author looking for
    a declaration that is there. None when no such element is kept."""
    owners = ((f"process {process.id!r}", process), (f"package {package.id!r}", package))
    for owner, holder in owners:
        for node in _kept_declarations(holder.extras):
            if name not in (node.get("Id"), node.get("Name")):
                continue
            at = f" at line {node.line}" if node.line is not None else ""
            return (
                f"{name!r} is declared by {owner} (the {_DECLARING[node.local_name]}{at}), "
                f"but that declaration could not be read{_reason(package, node)}, so its type "
                "is not known: correct it (wfengine validate shows it), or use "
                "--allow-undeclared to set it anyway"
            )
    return None


def _kept_declarations(extras: Iterable[XmlNode]) -> Iterable[XmlNode]:
    """The DataFields and FormalParameters among a process's or package's kept XML: kept
    alone, or in their list kept whole. (Those inside another element kept whole, an
    activity's or an application's, are not the process's declarations.)"""
    for node in extras:
        if node.local_name in _DECLARING:
            yield node
        elif node.local_name in ("DataFields", "FormalParameters"):
            yield from (c for c in node.children if c.local_name in _DECLARING)


def _reason(package: Package, node: XmlNode) -> str:
    """`` (REASON)``: why the reader kept ``node`` as XML, from its ``xpdl-unreadable``
    warning at the node's line (empty when the package has none: a model built in code)."""
    for d in package.load_diagnostics:
        if d.code == "xpdl-unreadable" and d.line == node.line:
            found = _KEPT_BECAUSE.search(d.message)
            return f" ({found.group(1) if found else d.message})"
    return ""


def _listing(declared: Iterable[Declaration]) -> str:
    shown: list[str] = []
    for d in declared:
        usable_name = d.name is not None and d.name != d.id and is_identifier(d.name)
        shown.append(f"{d.id} (Name {d.name})" if usable_name else d.id)
    if not shown:
        return "none"
    more = len(shown) - _LISTED
    return ", ".join(shown[:_LISTED]) + (f" and {more} more" if more > 0 else "")


def _underlying(data_type: DataType, types: Mapping[str, DataType]) -> DataType:
    """``data_type`` with declared types followed to what they declare."""
    for _ in range(_MAX_TYPE_DEPTH):
        if not isinstance(data_type, DeclaredType) or data_type.id not in types:
            return data_type
        data_type = types[data_type.id]
    return data_type


def convert(text: str, data_type: DataType, is_array: bool, types: Mapping[str, DataType]) -> Any:
    """``text`` as a value of ``data_type`` (see the module notes); raises ``ValueError``
    saying what was expected, or that instance data cannot hold the value."""
    return storable(_converted(text, data_type, is_array, types))


def _converted(
    text: str, data_type: DataType, is_array: bool, types: Mapping[str, DataType]
) -> Any:

    data_type = _underlying(data_type, types)
    if isinstance(data_type, ArrayType | ListType):
        element = _underlying(data_type.element, types)
        return _list(text, element if isinstance(element, BasicType) else None)
    if isinstance(data_type, BasicType):
        if is_array:
            return _list(text, data_type)
        return _coerce(text, data_type.type)  # (a FLOAT finite: as_engine_checks)
    if isinstance(data_type, EnumerationType) and not is_array:
        if data_type.values and text not in data_type.values:
            raise ValueError(f"expected one of {', '.join(data_type.values)}")
        return text
    return _json(text)


def as_engine_checks(value: Any, target: Declaration, types: Mapping[str, DataType]) -> Any:
    """``value`` checked as the engine checks the field's value when an instance starts
    (:func:`wfengine.applications.specs.basic_kind` and
    :func:`~wfengine.applications.coercion.coerce`, as the compiler's field kinds are made),
    raising ``ValueError`` saying what was expected.

    Why the engine's own checker and not a second copy here: the CLI's conversion took an
    array of an enumeration (``handled_by=["Billing"]``) as plain JSON, and the engine then
    refused it at start (exit 1, after a ``--db`` deploy); every level of every type the
    engine checks is now checked before anything runs."""
    from wfengine.applications.specs import basic_kind

    kind, listed = basic_kind(target.data_type, types)
    if kind is not None:
        value = _finite_coerce(value, kind, listed or target.is_array)
    return all_finite(value)


def _finite_coerce(value: Any, kind: Any, is_array: bool) -> Any:
    """``value`` converted to ``kind`` as application parameters are (``coerce``); a number
    text beyond a float's range (``1e999``, which the engine refuses as no FLOAT, where it
    took it as infinity) is refused as every FLOAT that is not finite is here, saying where
    (``expected a finite FLOAT at [1][1], got Infinity``): what the command line has always
    said of it."""
    from wfengine.applications.coercion import coerce
    from wfengine.definition.coercion import FloatRangeError

    try:
        return coerce(value, kind, is_array)
    except FloatRangeError:
        all_finite(_overflowed(value))
        raise


def _overflowed(value: Any) -> Any:
    """``value`` with each text that reads as a float beyond its range as that infinity (the
    items of lists at any depth: a value given is at most 64 levels deep)."""
    if isinstance(value, list | tuple):
        return [_overflowed(item) for item in value]
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return number if math.isinf(number) else value
    return value


class NotFinite(ValueError):
    """A float with no finite value in a value given for a field; ``hidden`` says where
    without the value (for a sensitive field)."""

    def __init__(self, value: float, where: str) -> None:
        at = f" at {where}" if where else ""
        written = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        super().__init__(f"expected a finite FLOAT{at}, got {written}")
        self.hidden = f"expected a finite FLOAT{at} (not shown: sensitive)"


def all_finite(value: Any) -> Any:
    """``value`` itself when no float in it, at any depth (items of arrays of arrays, the
    members of records in an array), is NaN or infinite; else :class:`NotFinite` saying
    where (``[0][2]``, ``[1]['price']``).

    Why every level, in one place that every way a value arrives passes (``--set``,
    ``instance set``, ``--answers``, a ``--script`` step's ``set``, ``incident skip
    --set``): a FLOAT must be finite (no condition can order NaN), and only a flat array's
    items were checked; ``[["nan"]]`` into an array of arrays of FLOAT was stored as NaN."""
    pending: list[tuple[Any, str]] = [(value, "")]
    while pending:
        item, where = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise NotFinite(item, where)
        if isinstance(item, list | tuple):
            pending.extend((v, f"{where}[{n}]") for n, v in reversed(list(enumerate(item))))
        elif isinstance(item, Mapping):
            pending.extend((v, f"{where}[{k!r}]") for k, v in reversed(list(item.items())))
    return value


def _coerce(value: Any, kind: BasicTypeKind, is_array: bool = False) -> Any:
    """``value`` converted to ``kind`` as application parameters are (``coerce``); an INTEGER
    written with more digits than instance data holds is refused first, saying so (Python's
    own message, past its 4,300-digit limit, is no help here)."""
    if kind is BasicTypeKind.INTEGER:
        items = value if is_array and isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, str) and too_many_digits(item):
                raise too_wide(item)
    return _finite_coerce(value, kind, is_array)


def _list(text: str, element: BasicType | None) -> list[Any]:

    value = _json(text)
    if not isinstance(value, list):
        raise ValueError(f"expected a JSON list, got {type(value).__name__}")
    if element is None:
        return value
    items: list[Any] = _coerce(value, element.type, is_array=True)
    return items  # (each FLOAT finite, at every level: as_engine_checks)


def _json(text: str) -> Any:
    try:
        return loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"expected JSON ({exc.msg} at character {exc.pos})") from None


def type_name(data_type: DataType, is_array: bool = False) -> str:
    """How a declared type reads in messages: ``INTEGER``, ``declared:Money``, ``record``..."""
    if isinstance(data_type, BasicType):
        name = data_type.type.value
    elif isinstance(data_type, DeclaredType):
        name = f"declared:{data_type.id}"
    else:
        name = data_type.kind
    return f"array of {name}" if is_array else name


def process_of_activity(package: Package, activity_id: str) -> WorkflowProcess | None:
    """The process of ``package`` that has activity ``activity_id`` (in an activity set too;
    the first when several do), or None."""
    for process in package.workflow_processes:
        try:
            process.activity(activity_id)
        except KeyError:
            continue
        return process
    return None


def declared_json(
    values: Mapping[str, Any],
    package: Package,
    process: WorkflowProcess,
    *,
    allow_undeclared: bool,
    option: str,
    where: str,
) -> dict[str, Any]:
    """JSON ``values`` (what ``--answers`` and a ``--script`` step's ``set`` merge into an
    instance) checked as ``--set`` is: each name a declaration of ``process`` (by id or
    Name; others only with ``--allow-undeclared``), each value of a basic type converted to
    it where that loses nothing (``"10"`` for an INTEGER) and refused otherwise, a FLOAT
    finite (``"NaN"`` is refused, as ``--set f=NaN`` is), and no declaration given twice (by
    its id and its Name, :func:`given_once`). Raises :class:`click.BadParameter` (exit
    status 2) naming ``where`` and the name.

    Why before the run: a misspelt field became an undeclared one and the real field kept
    its value, and a value of the wrong type failed later as an incident; either way the run
    went on to an outcome nobody asked for.
    """

    declared = declarations(package, process)
    types = {t.id: t.data_type for t in package.type_declarations}
    data: dict[str, Any] = {}
    given_as: dict[str, str] = {}
    for name, value in values.items():
        try:
            target = _resolve_name(name, declared, allow_undeclared, option, package, process)
            if target is not None:
                given_once(given_as, name, target, option)
        except click.BadParameter as exc:
            raise click.BadParameter(f"{where}: {exc.message}", param_hint=option) from None
        if target is None:
            try:
                data[name] = storable(value)
            except ValueError as exc:
                raise click.BadParameter(f"{where}: {name}: {exc}", param_hint=option) from None
            continue
        data_type = _underlying(target.data_type, types)
        is_array = target.is_array
        if isinstance(data_type, ArrayType | ListType):
            data_type, is_array = _underlying(data_type.element, types), True
        try:
            if isinstance(data_type, BasicType):
                # (a FLOAT finite, at every level, as --set asks: as_engine_checks)
                value = _coerce(value, data_type.type, is_array)
            elif (
                isinstance(data_type, EnumerationType)
                and data_type.values
                and not is_array
                and value is not None
                and value not in data_type.values
            ):
                raise ValueError(f"expected one of {', '.join(data_type.values)}")
            value = as_engine_checks(value, target, types)
            storable(value)
        except ValueError as exc:
            refused = NotFiniteParameter if isinstance(exc, NotFinite) else click.BadParameter
            raise refused(f"{where}: {name}: {_refused(exc, target)}", param_hint=option) from None
        data[target.id] = value
    return data


def checked_answers(
    answers: Mapping[str, list[dict[str, Any]]],
    package: Package,
    *,
    allow_undeclared: bool,
) -> dict[str, list[dict[str, Any]]]:
    """``run --answers`` checked against the package: each activity one of its processes
    has (the runner drives subflows too), each answer's names and values as
    :func:`declared_json` checks them against that activity's process."""
    checked: dict[str, list[dict[str, Any]]] = {}
    for activity_id, given in answers.items():
        process = process_of_activity(package, activity_id)
        if process is None:
            raise click.BadParameter(
                f"{activity_id!r} is no activity of the package's processes, so its answers "
                "would never be used",
                param_hint="--answers",
            )
        checked[activity_id] = [
            declared_json(
                answer,
                package,
                process,
                allow_undeclared=allow_undeclared,
                option="--answers",
                where=f"answer {n} for {activity_id!r}",
            )
            for n, answer in enumerate(given, 1)
        ]
    return checked

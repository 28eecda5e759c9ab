"""``sensitive-mark``: a ``wfengine:sensitive`` that hides nothing it was meant to hide.

On an Application the attribute lists formal parameters whose values the audit trail shows as
``***``; on a DataField it says yes or no. Both were read silently: a name that is no formal
parameter of the Application (a typo, ``crad``; another case, ``CARD``; a separator the list
did not take, ``card|other``) or a DataField value that is no yes/no word (``treu``) hid
nothing, and the secret went in clear into the audit trail, which is append-only. An error,
so the deploy refuses the definition: the mistake is found before the first secret is
written, not after. So is the name spelt in another case or with a space around it
(``WFEngine:sensitive``, `` wfengine:sensitive``), which wfengine does not read.

An Application declared only by an ExternalReference or a 2.x Type, with no FormalParameters,
takes its calls' actual parameters as given (:mod:`wfengine.definition.parameters`): its
formal parameters are the names its calls imply (a data field's own, ``arg1``, ``arg2``...),
so its list is checked against those of every call in the package; uncalled, nothing is
known and nothing is refused.

How the attribute is read lives here, once, for validation and for the runtime's redaction
(:mod:`wfengine.applications.redaction` imports it), so the two cannot disagree on a
separator or a word; a DataField's value is read as its other yes/no marks are
(:func:`~wfengine.definition.checks.field_marks.mark_flag`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from wfengine.definition.checks.context import Context
from wfengine.definition.checks.field_marks import mark_flag
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.expression_words import names_in
from wfengine.definition.model import (
    Activity,
    Application,
    DataField,
    ExtendedAttribute,
    Package,
    TaskImplementation,
    ToolCall,
    WorkflowProcess,
)
from wfengine.definition.parameters import implied_formals, takes_actuals_as_given

#: the extended attribute that marks secrets (on an Application: formal parameter ids; on a
#: DataField: yes or no)
SENSITIVE_ATTRIBUTE = "wfengine:sensitive"

#: what separates the formal parameter ids an Application lists: white space, ``,`` or ``;``
_SEPARATORS = re.compile(r"[\s,;]+")
#: what separated them before ``;`` did. Why kept: a formal parameter id holding ``;`` (only
#: an ``id-syntax`` warning) listed whole was hidden then, and a deployment stored then must
#: not show its value in clear now
_OLD_SEPARATORS = re.compile(r"[\s,]+")
#: what a name that is no id may be several ids joined by (``card|other``, ``card/other``)
_PUNCTUATION = re.compile(r"\W+")


def listed_names(text: str | None) -> list[str]:
    """The formal parameter ids an Application's ``wfengine:sensitive`` text lists, in order."""
    return [name for name in _SEPARATORS.split(text or "") if name]


def hidden_names(text: str | None) -> frozenset[str]:
    """The names whose values the runtime hides: :func:`listed_names`, and the names the
    reading before ``;`` separated took (a ``pan;v2`` listed whole), so that no value an
    older wfengine hid is shown in clear now."""
    old = (name for name in _OLD_SEPARATORS.split(text or "") if name)
    return frozenset((*listed_names(text), *old))


#: a DataField's ``wfengine:sensitive`` as read (True, False, or None for a value validation
#: reports): the reading of every yes/no mark of a DataField, shared with ``wfengine:public``
#: and ``wfengine:export``, so the three take the same words
field_flag = mark_flag


def check_sensitive_marks(ctx: Context) -> Iterator[Diagnostic]:
    """The ``sensitive-mark`` findings of the package's own Applications and DataFields, and
    of those of the processes under validation."""
    package = ctx.package
    calls: _Calls | None = None  # (built once, and only for a package that needs them)
    for process in (None, *ctx.processes):
        apps = package.applications if process is None else process.applications
        for app in apps:
            yield from _misspelt_findings(app)
            attribute = _attribute(app)
            if attribute is not None:
                calls = calls or _Calls.of(package)
                yield from _application_findings(
                    app, attribute, calls.of_app(app, process), calls.field_ids
                )
        for data_field in _data_fields(package, process):
            yield from _misspelt_findings(data_field)
            attribute = _attribute(data_field)
            if attribute is not None and field_flag(attribute) is None:
                yield _field_finding(data_field, attribute)


def _attribute(node: Application | DataField) -> ExtendedAttribute | None:
    """The node's first ``wfengine:sensitive`` (a repeated one is
    ``duplicate-extended-attribute``'s; the first is read)."""
    for ea in node.extended_attributes:
        if ea.name == SENSITIVE_ATTRIBUTE:
            return ea
    return None


def misspelt(name: str) -> bool:
    """Whether ``name`` is ``wfengine:sensitive`` spelt otherwise: in another case
    (``WFEngine:sensitive``) or with white space around it. wfengine reads the exact name
    only (as every extended attribute's), so such a mark hides nothing."""
    return name != SENSITIVE_ATTRIBUTE and name.strip().casefold() == SENSITIVE_ATTRIBUTE


def _misspelt_findings(node: Application | DataField) -> Iterator[Diagnostic]:
    """One finding per ``wfengine:sensitive`` spelt otherwise on ``node``: an error, as for a
    value that hides nothing, since the secret it was meant to hide goes in clear."""
    kind = "DataField" if isinstance(node, DataField) else "Application"
    what = "its values go" if isinstance(node, DataField) else "the parameters it lists go"
    for ea in node.extended_attributes:
        if misspelt(ea.name):
            yield make(
                "sensitive-mark",
                f"{kind} {node.id!r} has extended attribute {ea.name!r}, which wfengine does "
                f"not read (it reads {SENSITIVE_ATTRIBUTE!r} exactly: lower case, no space "
                f"around it), so {what} into the audit trail in clear: write "
                f"{SENSITIVE_ATTRIBUTE}",
                element_id=node.id,
                line=ea.line if ea.line is not None else node.line,
            )


def _data_fields(package: Package, process: WorkflowProcess | None) -> Iterator[DataField]:
    """The package's own DataFields (``process`` None), or the process's and its activities'."""
    if process is None:
        yield from package.data_fields
        return
    yield from process.data_fields
    for activity in _activities(process):
        yield from activity.data_fields


def _field_finding(data_field: DataField, ea: ExtendedAttribute) -> Diagnostic:
    text = ea.value if ea.value is not None else ea.text
    return make(
        "sensitive-mark",
        f"DataField {data_field.id!r} has {SENSITIVE_ATTRIBUTE} {text!r}, which is neither "
        "true nor false (true/false, yes/no or 1/0, in any case): write true to show "
        "its values as *** in the audit trail, or false",
        element_id=data_field.id,
        line=ea.line if ea.line is not None else data_field.line,
    )


@dataclass
class _Calls:
    """The package's tool calls by the process they are in, and its DataField ids."""

    by_process: dict[str, list[ToolCall]] = field(default_factory=dict)
    #: ids of processes declaring an application of that id (theirs answers their calls)
    declaring: dict[str, set[str]] = field(default_factory=dict)
    field_ids: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, package: Package) -> _Calls:
        calls = cls(field_ids={f.id for f in package.data_fields})
        for process in package.workflow_processes:
            found = calls.by_process.setdefault(process.id, [])
            for app in process.applications:
                calls.declaring.setdefault(app.id, set()).add(process.id)
            calls.field_ids.update(f.id for f in _data_fields(package, process))
            for activity in _activities(process):
                if isinstance(activity.body, TaskImplementation):
                    found.extend(activity.body.tools)
        return calls

    def of_app(self, app: Application, process: WorkflowProcess | None) -> list[ToolCall]:
        """The calls that reach ``app``: its process's calls of its id, or (a package's
        application) those of processes that declare no application of that id themselves,
        as the runtime resolves an application."""
        if process is not None:
            wanted = [process.id]
        else:
            shadowing = self.declaring.get(app.id, set())
            wanted = [p for p in self.by_process if p not in shadowing]
        return [
            call for p in wanted for call in self.by_process[p] if call.application_id == app.id
        ]


def _activities(process: WorkflowProcess) -> Iterator[Activity]:
    yield from process.activities
    for activity_set in process.activity_sets:
        yield from activity_set.activities


def _application_findings(
    app: Application, ea: ExtendedAttribute, calls: Sequence[ToolCall], field_ids: set[str]
) -> Iterator[Diagnostic]:
    """One finding per name ``ea`` lists that is no formal parameter id of ``app`` (for one
    taking its actuals as given: no name a call of it implies)."""
    as_given = takes_actuals_as_given(app)
    if as_given and not calls:
        return  # (what it will be passed is not known here)
    formals = _formal_ids(app, calls) if as_given else [fp.id for fp in app.formal_parameters]
    line = ea.line if ea.line is not None else app.line
    for name in _unknown_names(ea.value if ea.value is not None else ea.text, formals):
        if as_given:
            lacks = (
                f"none of its calls passes a parameter {name!r} (it declares no formal "
                "parameters, so it takes its calls' actual parameters as given: a data field "
                "under its own name, any other expression as arg1, arg2... by position)"
            )
        else:
            lacks = f"has no formal parameter {name!r} (ids match exactly)"
        passed_as = _passed_as(name, app, calls) if name in field_ids else None
        yield make(
            "sensitive-mark",
            f"Application {app.id!r} marks {name!r} sensitive ({SENSITIVE_ATTRIBUTE}), but "
            f"{lacks}: nothing is hidden by that name, and the value goes into the audit trail "
            f"in clear; {_hint(name, formals, passed_as, as_given)}",
            element_id=app.id,
            line=line,
        )


def _unknown_names(text: str | None, formals: Sequence[str]) -> list[str]:
    """The names ``text`` lists that match no formal parameter id in ``formals``, under the
    reading with ``;`` as a separator or under the one before it (:func:`hidden_names`: a
    ``pan;v2`` listed whole names the formal ``pan;v2``)."""
    unknown: list[str] = []
    for written in _OLD_SEPARATORS.split(text or ""):
        if written and written not in formals:
            unknown.extend(name for name in listed_names(written) if name not in formals)
    return unknown


def _formal_ids(app: Application, calls: Sequence[ToolCall]) -> list[str]:
    """The formal parameter ids the ``calls`` of an application taking its actuals as given
    imply, each once, in the order first met."""
    found: dict[str, None] = {}
    for call in calls:
        found.update((fp.id, None) for fp in implied_formals(call.actual_parameters))
    return list(found)


def _passed_as(name: str, app: Application, calls: Sequence[ToolCall]) -> list[str]:
    """The formal parameters the data field ``name`` is passed as (alone or in an expression)
    by ``calls`` of ``app``, each once."""
    found: dict[str, None] = {}
    for call in calls:
        actuals = call.actual_parameters
        if takes_actuals_as_given(app):
            ids = [fp.id for fp in implied_formals(actuals)]
        else:
            ids = [fp.id for fp in app.formal_parameters]
        if len(ids) != len(actuals):
            continue  # (which formal an actual was meant for is not known: parameter-count)
        for formal, actual in zip(ids, actuals, strict=True):
            if name in names_in(actual):
                found[formal] = None
    return list(found)


def _hint(name: str, formals: list[str], passed_as: list[str] | None, as_given: bool) -> str:
    """What to write instead of ``name``: the ids it joins with a separator the list does not
    take (``card|other``); for a DataField's id, to mark the DataField; else the closest
    formal parameter id (compared without case); else the ids."""
    if not formals:
        return (
            "its calls pass no parameters"
            if as_given
            else "the application has no formal parameters"
        )
    listed = ", ".join(formals)
    known = (
        f"the parameters its calls pass: {listed}"
        if as_given
        else f"its formal parameters: {listed}"
    )
    pieces = [piece for piece in _PUNCTUATION.split(name) if piece]
    if len(pieces) > 1 and all(piece in formals for piece in pieces):
        return (
            f"names are separated by spaces, ',' or ';' only: write {' '.join(pieces)!r} "
            f"to hide each ({known})"
        )
    if passed_as is not None:
        instead = (
            f", or name the parameter it is passed as here: {', '.join(passed_as)}"
            if passed_as
            else ""
        )
        return (
            f"{name!r} is a DataField: to hide its values wherever they go, mark the DataField "
            f'itself {SENSITIVE_ATTRIBUTE}="true"{instead} ({known})'
        )
    by_folded = {formal.casefold(): formal for formal in reversed(formals)}
    close = difflib.get_close_matches(name.casefold(), list(by_folded), n=1, cutoff=0.6)
    if close:
        return f"did you mean {by_folded[close[0]]!r}? ({known})"
    return f"{known} (separate several with spaces, ',' or ';')"

"""``unknown-extension``: a ``wfengine:`` extended attribute that wfengine does not read where
it stands (``wfengine:reminder-afer`` on an activity, ``wfengine:Reads``, ``wfengine:milestone``
on a data field). Nothing refuses such a name, so without a finding the setting silently does
nothing: the reminder never comes, the field is never shown. A warning, naming the element,
the attribute and the closest name wfengine does read there.

:data:`KNOWN` is the catalogue of every ``wfengine:`` extended attribute the package reads, by
the kind of element it is read on. The names that live in ``definition`` are imported; those
the runtime, the audit package and the application registry read are listed here as text
(``definition`` imports none of them: see /work/shared/DESIGN.md), and a test keeps every
``"wfengine:..."`` constant in the source in this catalogue, so the two cannot drift apart.

An Application's ``wfengine:`` attributes are its tool agent's settings (any name the agent
takes: ``wfengine:url``, ``wfengine:header:Accept``), which only the host's agent knows; they
are not checked, but for one spelt otherwise: its prefix in another case or a space around
it (``WFEngine:asynchronous``, ``Wfengine:retries``, `` wfengine:agent``), or a name wfengine
reads there in another case (``wfengine:Retries``). Neither wfengine nor an agent reads such
a name (settings are read exactly as written), so the call would run unbound, synchronously
or without its retries, with no finding.

A ``wfengine:sensitive`` that hides nothing it was meant to is ``sensitive-mark``'s, an error
(:mod:`wfengine.definition.checks.sensitive_marks`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from pydantic import BaseModel

from wfengine.definition.application_settings import (
    AGENT_ATTRIBUTE,
    ASYNC_ATTRIBUTE,
    RETRIES_ATTRIBUTE,
)
from wfengine.definition.checks.cancel_remaining import CANCEL_REMAINING
from wfengine.definition.checks.context import Context
from wfengine.definition.checks.flow import CORRELATION
from wfengine.definition.checks.sensitive_marks import SENSITIVE_ATTRIBUTE, misspelt
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import (
    Activity,
    Application,
    DataField,
    ExtendedAttribute,
    Package,
    WorkflowProcess,
)
from wfengine.definition.model_nodes import descendants
from wfengine.definition.work_rules import (
    ESCALATE_AFTER,
    ESCALATE_TO,
    REMINDER_AFTER,
    REMINDER_EVERY,
)

#: the prefix of wfengine's own extended attributes
PREFIX = "wfengine:"

#: element kind (the model's class) -> the ``wfengine:`` attributes read on it, and where
KNOWN: dict[type[BaseModel], frozenset[str]] = {
    Activity: frozenset(
        {
            "wfengine:reads",  # runtime.compile_people.READS
            "wfengine:writes",  # runtime.compile_people.WRITES
            "wfengine:delegation-confirm",  # runtime.compile_people.DELEGATION_CONFIRM
            CANCEL_REMAINING,
            REMINDER_AFTER,
            REMINDER_EVERY,
            ESCALATE_AFTER,
            ESCALATE_TO,
            "wfengine:milestone",  # audit.status.MILESTONE
        }
    ),
    WorkflowProcess: frozenset(
        {
            CORRELATION,
            "wfengine:public-name",  # audit.status.PUBLIC_NAME
        }
    ),
    DataField: frozenset(
        {
            SENSITIVE_ATTRIBUTE,
            "wfengine:export",  # audit.trace_data.EXPORT
            "wfengine:public",  # audit.status.PUBLIC
        }
    ),
    # (its agent's settings besides: not checked, see the module's text)
    Application: frozenset(
        {AGENT_ATTRIBUTE, ASYNC_ATTRIBUTE, RETRIES_ATTRIBUTE, SENSITIVE_ATTRIBUTE}
        # (the registry's own call settings, read as written whatever the agent)
        | {f"{PREFIX}timeout", f"{PREFIX}backoff", f"{PREFIX}max-backoff"}
    ),
}

#: every name in the catalogue, on whatever element
ALL_KNOWN: frozenset[str] = frozenset().union(*KNOWN.values())

_KIND_LABEL: dict[type[BaseModel], str] = {
    Activity: "activities",
    WorkflowProcess: "processes",
    DataField: "data fields",
    Application: "applications",
}


def check_unknown_extensions(ctx: Context) -> Iterator[Diagnostic]:
    """One finding per element and ``wfengine:`` attribute wfengine does not read there: the
    package's own elements (found once per package: :meth:`Context.once`), and those of the
    processes under validation."""
    package = ctx.package
    yield from ctx.once(_package_nodes, lambda: list(_unknown(_package_nodes(package))))
    for process in ctx.processes:
        yield from _unknown(descendants(process))


def _unknown(nodes: Iterable[BaseModel]) -> Iterator[Diagnostic]:
    for node in nodes:
        attributes: Iterable[ExtendedAttribute] = getattr(node, "extended_attributes", ())
        known = KNOWN.get(type(node), frozenset())
        reported: set[str] = set()
        for ea in attributes:
            name = ea.name
            if name in reported or not _unread(node, name, known):
                continue
            reported.add(name)
            hint = _setting_hint(name, known) if isinstance(node, Application) else None
            yield make(
                "unknown-extension",
                f"{_label(node)} has extended attribute {name!r}, which wfengine does not "
                f"read there, so it does nothing; {hint or _hint(name, known)}",
                element_id=_element_id(node),
                line=ea.line if ea.line is not None else getattr(node, "line", None),
            )


def _unread(node: BaseModel, name: str, known: frozenset[str]) -> bool:
    """Whether ``name`` on ``node`` is a ``wfengine:`` attribute nothing reads there. On an
    Application only one spelt otherwise is (any other may be its agent's setting)."""
    if not _ours(name) or name in known:
        return False
    if isinstance(node, DataField | Application) and misspelt(name):
        return False  # (a secret in clear: sensitive-mark's error)
    if not isinstance(node, Application):
        return True
    case_of_known = name.lower() in {k.lower() for k in known}
    return name != name.strip() or not name.startswith(PREFIX) or case_of_known


def _setting_hint(name: str, known: frozenset[str]) -> str | None:
    """The name an Application's attribute spelt otherwise was meant as, when it is no name
    wfengine reads there (that is :func:`_hint`'s): its agent's setting, written exactly."""
    rest = name.strip()[len(PREFIX) :]
    if any(k.lower() == (PREFIX + rest).lower() for k in known):
        return None
    return (
        f"did you mean {PREFIX + rest!r}? (its tool agent reads a setting exactly as written: "
        "the prefix in lower case, with no space around the name)"
    )


def _package_nodes(package: Package) -> Iterator[BaseModel]:
    """The package's nodes outside its processes."""
    yield package
    for field, value in package.__dict__.items():
        if field == "workflow_processes":
            continue
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, BaseModel) and item is not package:
                yield from descendants(item)


def _ours(name: str) -> bool:
    """Whether ``name`` is meant as a ``wfengine:`` attribute: its prefix in any case, with
    white space before it (``WFEngine:reads``, `` wfengine:reads``), which wfengine does
    not read, so is reported as any misspelt name is rather than passed over as another's."""
    return name.lstrip()[: len(PREFIX)].lower() == PREFIX


def _hint(name: str, known: frozenset[str]) -> str:
    """Where ``name`` is read, when on another kind of element; else the closest name read on
    this kind (compared without the shared prefix, case and surrounding space, which would
    make any two alike, or hide what was meant); else the names read here."""
    rest = name.strip()[len(PREFIX) :].lower()
    meant = next((k for k in sorted(ALL_KNOWN) if k.lower() == PREFIX + rest), name)
    elsewhere = [label for kind, label in _KIND_LABEL.items() if meant in KNOWN[kind]]
    if meant in known:
        return (
            f"did you mean {meant!r}? (names are read exactly as written: in that case, "
            "with no space around them)"
        )
    if elsewhere:
        spelt = "it" if meant == name else repr(meant)
        return f"wfengine reads {spelt} on {' and '.join(elsewhere)} only"
    by_rest = {k.removeprefix(PREFIX).lower(): k for k in known}
    close = difflib.get_close_matches(rest, list(by_rest), n=1, cutoff=0.7)
    if close:
        return f"did you mean {by_rest[close[0]]!r}?"
    if known:
        return f"wfengine reads {', '.join(sorted(known))} there"
    return "wfengine reads no wfengine: attribute there"


def _label(node: BaseModel) -> str:
    element_id = _element_id(node)
    kind = type(node).__name__
    return f"{kind} {element_id!r}" if element_id is not None else kind


def _element_id(node: BaseModel) -> str | None:
    element_id = getattr(node, "id", None)
    return element_id if isinstance(element_id, str) else None

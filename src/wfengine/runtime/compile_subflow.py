"""Compiling a subflow activity's call (:class:`~wfengine.runtime.compiled.CSubflow`).

Why a module of its own: a call's actual parameters bind by position, or, when XPDL 2.1/2.2
``DataMappings`` named the called process's formal parameters
(:data:`~wfengine.definition.namespaces.MAPPED_FORMALS`), by those names: the caller
starts the called process's newest version, which may order or name its formals otherwise
than the version the caller was deployed with, and binding such a call by position passed
each value to whichever formal now stood there, with no error. What the names bind to, and
the Mode each formal the call binds to (by name or by position) had in the called process
of the caller's own package (a changed Mode is refused when the call starts:
:mod:`.navigation.subflows`), is worked out here.
"""

from __future__ import annotations

from wfengine.definition.model import (
    Execution,
    Package,
    ParameterMode,
    SubFlowImplementation,
    WorkflowProcess,
)
from wfengine.definition.model_activities import actual_attrs
from wfengine.definition.namespaces import MAPPED_FORMALS
from wfengine.runtime.compiled import CSubflow
from wfengine.runtime.evaluation import ExpressionReader
from wfengine.runtime.package_memo import package_memo


def compile_subflow(
    package: Package, exprs: ExpressionReader, where: str, body: SubFlowImplementation
) -> CSubflow:
    """The call ``body`` of a subflow activity (``where`` names it in errors)."""
    field = (body.instance_data_field or "").strip()
    named, modes = _bound_formals(package, body)
    return CSubflow(
        process_id=body.process_id,
        synchronous=body.execution is not Execution.ASYNCHR,
        actuals=tuple(
            exprs.optional(p, f"{where}, actual parameter {i + 1}", actual_attrs(body, i))
            for i, p in enumerate(body.actual_parameters)
        ),
        actual_texts=tuple(p.strip() for p in body.actual_parameters),
        package_ref=body.package_ref,
        # a start inside one of its activity sets is not followed (subflow-start)
        start_activity_id=None if body.start_activity_set_id else body.start_activity_id,
        instance_field=exprs.aliases.get(field, field) if field else None,
        formals=named,
        modes=modes,
    )


def _bound_formals(
    package: Package, body: SubFlowImplementation
) -> tuple[tuple[str, ...], tuple[ParameterMode | None, ...]]:
    """The formal parameter each actual of ``body`` was mapped to by name (``()`` for a
    positional call, or names that do not fit the actuals one each: bound by position), and
    the Mode of the formal each actual binds to in the called process as the caller's package
    holds it, by name or by position (None, or ``()`` for a positional call: not known, as
    for a process of another package or a count that does not fit the actuals).

    Why the Modes of a positional call too: the caller was validated against them; a newer
    version of the called process that made an IN formal OUT overwrote the caller's field
    with its null result, and INOUT made IN silently returned nothing."""
    own = body.package_ref is None or body.package_ref == package.id
    called = package_process(package, body.process_id) if own else None
    declared = called.formal_parameters if called is not None else ()
    names = tuple(dict(body.extra_attrs).get(MAPPED_FORMALS, "").split())
    if not names or len(names) != len(body.actual_parameters) or len(set(names)) < len(names):
        fits = len(declared) == len(body.actual_parameters)
        return (), tuple(f.mode for f in declared) if fits else ()
    modes = {f.id: f.mode for f in declared}
    return names, tuple(modes.get(n) for n in names)


def package_process(package: Package, process_id: str) -> WorkflowProcess | None:
    """The process of ``package`` with Id ``process_id`` (the first, where Ids repeat), or
    None.

    Why an index (:func:`~wfengine.runtime.package_memo.package_memo`) rather than a look
    through ``package.workflow_processes``: a deploy compiles each process of the package,
    and each subflow call looked its called process up that way, so a package of N processes
    calling each other cost N squared (so did telling a redeployed process's calls from its
    stored version's, :func:`~wfengine.runtime.deployment.same_calls`)."""
    return package_memo(package, package_process, lambda: _by_id(package)).get(process_id)


def _by_id(package: Package) -> dict[str, WorkflowProcess]:
    index: dict[str, WorkflowProcess] = {}
    for process in package.workflow_processes:
        index.setdefault(process.id, process)
    return index


__all__ = ["compile_subflow", "package_process"]

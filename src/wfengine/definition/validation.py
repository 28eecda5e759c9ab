"""Semantic validation of a process-definition package: :func:`validate`.

Validation answers "can this package run, and what looks wrong?" without raising: a definition
may come from any tool, in any state of completion, and the CLI, an editor integration or a
deploy step all want the full list of findings rather than the first one. Only what makes a
process impossible to run is an error; the rest are warnings (see the code catalogue in
:mod:`wfengine.definition.diagnostics`).

Each check lives in :mod:`wfengine.definition.checks` and runs on its own: if one check trips
over a model shape nobody foresaw, the failure is logged (logger ``wfengine.definition.
validation``) and the other checks still report. Tests watch that logger so such a bug is not
hidden.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

from wfengine.definition.checks.activity_fields import check_activity_fields
from wfengine.definition.checks.and_join_interrupted import check_and_join_interrupted
from wfengine.definition.checks.application_settings import check_application_settings
from wfengine.definition.checks.assignment_constants import check_assignment_constants
from wfengine.definition.checks.cancel_catches import check_cancel_catches
from wfengine.definition.checks.cancel_remaining import check_cancel_remaining
from wfengine.definition.checks.context import Check, Context
from wfengine.definition.checks.data_access import check_data_access
from wfengine.definition.checks.deadline_unset import check_unset_deadlines
from wfengine.definition.checks.end_results import check_end_results
from wfengine.definition.checks.event_flows import check_event_flows, check_event_subprocess_flows
from wfengine.definition.checks.event_gateways import check_event_gateway_targets
from wfengine.definition.checks.expressions import check_expressions
from wfengine.definition.checks.extensions import check_unknown_extensions
from wfengine.definition.checks.field_marks import check_field_marks
from wfengine.definition.checks.flow import (
    check_and_join_after_xor,
    check_boundary_events,
    check_dead_ends_and_cycles,
    check_links,
    check_start_and_end,
    check_unreachable,
)
from wfengine.definition.checks.formal_field_types import check_formal_field_types
from wfengine.definition.checks.identity import (
    check_duplicate_extended_attributes,
    check_duplicate_ids,
)
from wfengine.definition.checks.instance_data_field import check_instance_data_field
from wfengine.definition.checks.instantiating import check_instantiate_unused
from wfengine.definition.checks.loop_constants import check_loop_constants
from wfengine.definition.checks.performer_texts import check_performer_texts
from wfengine.definition.checks.read_only import check_read_only
from wfengine.definition.checks.references import (
    check_blocks,
    check_declared_types,
    check_other_participant_references,
    check_performers,
    check_references,
    check_subflows,
    check_tools,
    check_work_rules,
)
from wfengine.definition.checks.sensitive_marks import check_sensitive_marks
from wfengine.definition.checks.shadowed_ways import check_shadowed_transitions
from wfengine.definition.checks.task_content import check_task_content
from wfengine.definition.checks.transitions import (
    check_dangling_transitions,
    check_empty_conditions,
    check_gateway_conflicts,
    check_otherwise,
    check_split_conditions,
    check_split_refs,
    check_unused_conditions,
)
from wfengine.definition.checks.unread_flow import check_unread_flow
from wfengine.definition.checks.unused_sets import check_unused_activity_sets
from wfengine.definition.checks.validity import check_validity
from wfengine.definition.checks.writability import check_id_tokens, check_xml_characters
from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.model import Package, WorkflowProcess

__all__ = ["CHECKS", "validate", "validate_each_process", "validate_process"]

logger = logging.getLogger(__name__)

#: Every check :func:`validate` runs, in the order their findings are produced (the result is
#: sorted afterwards, so this order only breaks ties).
CHECKS: tuple[Check, ...] = (
    check_xml_characters,
    check_id_tokens,
    check_duplicate_ids,
    check_duplicate_extended_attributes,
    check_unknown_extensions,
    check_sensitive_marks,
    check_field_marks,
    check_cancel_remaining,
    check_unread_flow,
    check_dangling_transitions,
    check_split_refs,
    check_start_and_end,
    check_event_flows,
    check_event_subprocess_flows,
    check_end_results,
    check_cancel_catches,
    check_unreachable,
    check_boundary_events,
    check_links,
    check_event_gateway_targets,
    check_instantiate_unused,
    check_dead_ends_and_cycles,
    check_and_join_after_xor,
    check_and_join_interrupted,
    check_otherwise,
    check_unused_conditions,
    check_split_conditions,
    check_empty_conditions,
    check_shadowed_transitions,
    check_gateway_conflicts,
    check_performers,
    check_performer_texts,
    check_other_participant_references,
    check_declared_types,
    check_formal_field_types,
    check_tools,
    check_task_content,
    check_application_settings,
    check_subflows,
    check_instance_data_field,
    check_blocks,
    check_references,
    check_work_rules,
    check_validity,
    check_expressions,
    check_loop_constants,
    check_assignment_constants,
    check_unset_deadlines,
    check_read_only,
    check_data_access,
    check_activity_fields,
    check_unused_activity_sets,
)


def _order(diagnostic: Diagnostic) -> tuple[int, str]:
    # Findings without a line (models built in code) sort first; Python's sort is stable, so
    # findings on one line with one code keep the order their check produced them in.
    return (diagnostic.line if diagnostic.line is not None else 0, diagnostic.code)


def validate(package: Package) -> list[Diagnostic]:
    """All findings about ``package``: its load diagnostics, then the semantic ones.

    The load diagnostics (schema violations and other findings of the reader) come first, in
    the reader's order; the semantic findings follow, sorted by source line, then code. Never
    raises for an invalid definition; anything but a package (a path, XPDL text) is a
    ``TypeError`` saying to load it first.
    """
    from wfengine.definition.package_arg import require_package

    require_package(package, "validate")
    return [*package.load_diagnostics, *_semantic(package, None)]


def validate_process(package: Package, process: WorkflowProcess) -> list[Diagnostic]:
    """The semantic findings that concern ``process``: its own and the package's.

    This is what a deploy asks: a process with an error finding here is refused (the engine
    runs these same checks, so validation and deploy agree), while the package's other
    processes may still deploy.
    """
    return _semantic(package, (process,))


def validate_each_process(package: Package) -> list[tuple[WorkflowProcess, list[Diagnostic]]]:
    """Each process of ``package``, in order, with what :func:`validate_process` finds for it.

    The same findings, but the package-wide ones (its texts, Ids, types, extended attributes:
    :meth:`Context.once <wfengine.definition.checks.context.Context.once>`) are worked out
    once for all the processes: a deploy asks this, and asking :func:`validate_process` of
    each process walked the whole package once per process, so a file of N processes took
    N times as long to deploy as to validate.
    """
    shared: dict[Hashable, Any] = {}
    return [
        (process, _semantic(package, (process,), shared)) for process in package.workflow_processes
    ]


def _semantic(
    package: Package,
    processes: tuple[WorkflowProcess, ...] | None,
    shared: dict[Hashable, Any] | None = None,
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    try:
        ctx = Context.build(package, processes, shared)
    except Exception:
        logger.exception("validation of package %r could not start", package.id)
        return []
    for check in CHECKS:
        try:
            for diagnostic in check(ctx):
                found.append(diagnostic)
        except Exception:
            logger.exception(
                "validation check %s failed on package %r; its findings are incomplete",
                check.__name__,
                package.id,
            )
    found.sort(key=_order)
    return found

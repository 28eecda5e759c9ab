"""A process's validity period (``ValidFrom`` / ``ValidTo``): ``validity-unread`` and
``validity-empty`` (warnings).

The engine starts new instances of a process only within ``[ValidFrom, ValidTo)``
(:func:`~wfengine.definition.validity.read_bound` reads both, for it and for this check). A
text that is no ISO 8601 date or date-time (``2030-12-31T24:00:00``, ``2030-12-31T10:00z``)
limits nothing, which only a log line said at deploy; a ValidFrom not before the ValidTo
leaves a period no instance ever starts in, which nothing said until every start was refused.
Neither refuses the deploy: XPDL leaves the texts free, and a host may deploy a version
ahead of its period; but the modeller should hear of it.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import WorkflowProcess
from wfengine.definition.validity import UnreadBound, empty_period, read_bound


def check_validity(ctx: Context) -> Iterator[Diagnostic]:
    """Per process: an unread ValidFrom or ValidTo, else an empty period."""
    for process in ctx.processes:
        yield from _process_validity(process)


def _process_validity(process: WorkflowProcess) -> Iterator[Diagnostic]:
    header = process.header
    line = header.line if header.line is not None else process.line
    where = f"process {process.id!r}"
    bounds = []
    for name, text, end in (
        ("ValidFrom", header.valid_from, False),
        ("ValidTo", header.valid_to, True),
    ):
        try:
            bounds.append(read_bound(text, end=end))
        except UnreadBound as exc:
            bounds.append(None)
            yield make(
                "validity-unread",
                f"{where}: its {name} {exc}, so it does not limit when instances start; "
                "write a date (2030-12-31) or a date-time (2030-12-31T18:00:00Z)",
                element_id=process.id,
                line=line,
            )
    valid_from, valid_to = bounds
    if empty_period(valid_from, valid_to):
        assert valid_from is not None and valid_to is not None
        yield make(
            "validity-empty",
            f"{where}: its ValidFrom {header.valid_from!r} ({valid_from.isoformat()}) is not "
            f"before its ValidTo {header.valid_to!r} (which ends at {valid_to.isoformat()}): "
            "no instance of it can ever start; swap them, or correct one",
            element_id=process.id,
            line=line,
        )

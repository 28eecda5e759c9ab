"""A process's header from the builder's keywords: ``ProcessBuilder.header(valid_from=...)``.

Why the builder sets it: the header's ``ValidFrom``/``ValidTo`` say when the engine starts new
instances of a version (README's versioning: a version deployed ahead of its period waits for
it), and its Priority, Limit and Duration are what a modelling tool writes there. A host that
builds in code could only ``model_copy`` the frozen package to set them.

Why the period is checked here, though validation only warns (``validity-unread``,
``validity-empty``): XPDL leaves the texts free, so a file may hold anything; a caller who sets
them in code means the engine to honour them, and a text the engine cannot read as a moment,
or a period no instance can start in, would bound nothing or everything without a word at the
call. Texts are kept as the XPDL reader reads them (:mod:`element_texts`), so the file written
from the package reads back as the same model.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from wfengine.definition.build_arguments import BuildError, prose_text, value_text
from wfengine.definition.model import ProcessHeader
from wfengine.definition.validity import UnreadBound, empty_period, read_bound

#: XPDL's DurationUnit values: years, months, days, hours, minutes, seconds
DURATION_UNITS = ("Y", "M", "D", "h", "m", "s")

#: a moment given as a date, a datetime or ISO 8601 text
Moment = str | date | datetime


def header_with(current: ProcessHeader, where: str, given: dict[str, Any]) -> ProcessHeader:
    """``current`` with the header fields ``given`` (those not None) set, each checked.

    ``where`` names the call in a refusal (``process 'main': header()``)."""
    update: dict[str, str | None] = {}
    try:
        for key in ("created", "priority", "limit", "waiting_time", "working_time", "duration"):
            if given.get(key) is not None:
                update[key] = value_text(given[key], f"{key}=")
        if given.get("description") is not None:
            update["description"] = prose_text(given["description"], "description=")
        for key in ("valid_from", "valid_to"):
            if given.get(key) is not None:
                update[key] = _moment_text(given[key], f"{key}=")
        unit = given.get("duration_unit")
        if unit is not None:
            if unit not in DURATION_UNITS:
                raise BuildError(
                    f"duration_unit= is one of {', '.join(DURATION_UNITS)} (years, months, "
                    f"days, hours, minutes, seconds), not {unit!r}"
                )
            update["duration_unit"] = unit
        header = current.model_copy(update=update)
        _check_period(header)
    except BuildError as exc:
        raise BuildError(f"{where}: {exc}") from None
    return header


def _moment_text(value: object, what: str) -> str | None:
    """A ValidFrom/ValidTo as its ISO 8601 text: a datetime or date written so (a naive
    datetime is UTC, as a text naming no zone is read), text as given."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value_text(value, f"{what} (an ISO 8601 date or date-time, or a datetime)")


def _check_period(header: ProcessHeader) -> None:
    """Refuse a ValidFrom/ValidTo the engine cannot read, or a period no instance starts in."""
    bounds = []
    for key, text, end in (
        ("valid_from", header.valid_from, False),
        ("valid_to", header.valid_to, True),
    ):
        try:
            bounds.append(read_bound(text, end=end))
        except UnreadBound as exc:
            raise BuildError(
                f"{key}={exc}: the engine could not tell when instances may start; write a "
                "date (2030-12-31), a date-time (2030-12-31T18:00:00Z) or give a datetime"
            ) from None
    if empty_period(bounds[0], bounds[1]):
        raise BuildError(
            f"valid_from={header.valid_from!r} is not before valid_to={header.valid_to!r} "
            "(a ValidTo date takes in its whole day): no instance could ever start"
        )

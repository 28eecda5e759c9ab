"""A process whose timer waits until a TimeDate, for the tests of how a TimeDate is read
(``test_validation_timer_dates``, ``test_timer_date_lengths``)."""

from __future__ import annotations

from wfengine import PackageBuilder, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package


def waiting_until(
    at: str, *, boundary: bool = False, field: str = "when", wait: str | None = None
) -> Package:
    """A process with a DATETIME field ``field`` whose timer ``t`` waits until ``at``: an
    intermediate timer event in the flow, or (``boundary``) one attached to a person's task;
    with ``wait``, an INTEGER field ``wait`` of that initial value too."""
    pb = PackageBuilder("pk")
    p = pb.process("main")
    p.data_field(field, "DATETIME", initial="2030-01-05T00:00:00Z")
    if wait is not None:
        p.data_field("wait", "INTEGER", initial=wait)
    if boundary:
        p.start("s").activity("work", performer="clerk").end("e").end("e2")
        p.intermediate("t", at=at, attached_to="work", interrupting=False)
        p.sequence("s", "work", "e").sequence("t", "e2")
    else:
        p.start("s").intermediate("t", at=at).activity("after").end("e")
        p.sequence("s", "t", "after", "e")
    return pb.build()


def errors(package: Package) -> list[tuple[str, str | None]]:
    """The (code, element id) of each error finding of ``package``."""
    return [(d.code, d.element_id) for d in validate(package) if d.severity is Severity.ERROR]

"""``end-result``: an end event whose ``Result`` the engine does not carry out.

The engine carries out an end event's None, Terminate, Error, Escalation, Cancel, Message and
Signal results. A ``Compensation`` result (TIBCO writes one) would undo the scope's completed
work, and a ``Multiple`` one throws several results at once; the engine does neither, so an
instance reaching such an end event only ends that thread, as at a None end event, without a
word. An intermediate event with those triggers stops with an incident (``event-trigger``); an
end event, which does nothing after it, is let through, and this warning tells the modeller so.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.graph import activity_of
from wfengine.definition.model import EventPosition

#: the end event results the engine carries out ("" is an EndEvent with no Result)
CARRIED_OUT = ("", "None", "Terminate", "Error", "Escalation", "Cancel", "Message", "Signal")

#: what each result left out would have done
_WOULD = {
    "Compensation": "compensates nothing",
    "Multiple": "throws none of its results",
}


def check_end_results(ctx: Context) -> Iterator[Diagnostic]:
    """``end-result``: an end event with a Result the engine does not carry out (one that is
    no XPDL value at all is ``unread-flow``'s error)."""
    for scope in ctx.scopes:
        for node in scope.graph:
            activity = activity_of(scope.graph, node)
            event = activity.event
            if event is None or event.position is not EventPosition.END:
                continue
            would = _WOULD.get(event.trigger)
            if would is None:
                continue
            yield make(
                "end-result",
                f"end event {node!r} in {scope.where} has result {event.trigger!r}; the engine "
                f"carries out {', '.join(r for r in CARRIED_OUT if r)} results, so it "
                f"{would}: an instance reaching it ends its thread there, as at a None end "
                "event",
                element_id=node,
                line=activity.line,
            )

"""Which earlier activities work cannot be sent back to, read from the graph: an event attached
to an activity (a boundary timer, message, signal, error ... event), and a catch event that
races its rivals at an event-based gateway.

Why refuse them: an attached event fires only while its activity runs, which arms its trigger as
it starts. Begun again on its own (as a send-back begins its target) nothing armed it, so it
"completed" at once, with no timer fired and no message taken, its handler was offered again
and the activity it belongs to never ran again, which is what the sender asked for. A catch
behind an event-based gateway begun on its own waits alone: its rivals (the timer that bounds
the wait, the other message) are armed only by the gateway, so a reply that never comes was
waited for without end. Sent back to the gateway, the whole race is armed again.
"""

from __future__ import annotations

from wfengine.runtime.instance import Scope


def send_back_refusal(scope: Scope, index: int) -> str | None:
    """Why work cannot be sent back to activity ``index`` of ``scope`` (None: it can, as far
    as these rules go), naming where to send it instead."""
    return attached_refusal(scope, index) or rival_refusal(scope, index)


def rival_refusal(scope: Scope, index: int) -> str | None:
    """Why work cannot be sent back to activity ``index``: a catch event (timer, message,
    signal, conditional) that races others at an event-based gateway. A person's or an
    application's task there may be sent back to: doing it again needs nothing armed."""
    activities = scope.graph.activities
    event = activities[index]
    if not event.rivals or (
        event.wait is None
        and event.message is None
        and event.signal is None
        and event.condition is None
    ):
        return None
    gateway = next(
        (
            ca
            for ca in activities
            if ca.choice
            and any(t.target == index for t in (*ca.normal, *filter(None, [ca.otherwise])))
        ),
        None,
    )
    if gateway is None:
        return None
    reason = (
        f"a catch event racing others at the event-based gateway {gateway.id!r}, "
        "which alone arms them"
    )
    if scope.done >> gateway.index & 1:
        return f"{reason}: send it back to {gateway.id!r}"
    return f"{reason}: send it back to an activity that completed before {gateway.id!r}"


def attached_refusal(scope: Scope, index: int) -> str | None:
    """Why work cannot be sent back to activity ``index`` of ``scope`` (None: it can, as far
    as this rule goes): it is an event attached to an activity. The reason names that activity
    and where to send the work instead: the activity, when it completed in the scope; else
    (the event interrupted it) the first activity the event led to that completed."""
    activities = scope.graph.activities
    host = next((ca for ca in activities for b in ca.boundaries if b.event == index), None)
    if host is None:
        return None
    reason = f"an event attached to {host.id!r}, which only {host.id!r} running can fire"
    if scope.done >> host.index & 1:
        return f"{reason}; send it back to {host.id!r}"
    event = activities[index]
    ways = [*event.normal, *([event.otherwise] if event.otherwise is not None else [])]
    led = [activities[t.target].id for t in ways if scope.done >> t.target & 1]
    instead = (
        f"send it back to {led[0]!r}, where the event led"
        if led
        else f"send it back to an activity that completed before {host.id!r}"
    )
    return f"{reason}, and {host.id!r} did not complete here: {instead}"

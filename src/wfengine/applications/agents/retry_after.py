"""How long an HTTP answer asks its caller to wait before it calls again (``Retry-After``).

One reader for the two HTTP clients of wfengine, the HTTP agent (an application's call,
retried by its binding) and the webhook notifier (an outbox entry, retried by the outbox's
policy): RFC 9110 gives ``Retry-After`` its meaning on 429 (Too Many Requests) and 503
(Service Unavailable), as delta-seconds or an HTTP date. A service that says "not before an
hour" and is called again in half a second answers 429 again, and each such answer uses up a
retry the call could have had later.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

#: the answers whose ``Retry-After`` the next attempt waits for (Too Many Requests, Service
#: Unavailable: RFC 9110 gives it these meanings)
WAIT_ASKED = frozenset({429, 503})

#: the longest ``Retry-After`` taken as asked (the caller's own policy caps it again): a
#: service's year would otherwise park the call, or overflow a timedelta
LONGEST_WAIT = timedelta(days=1)


def answer_wait(answer: httpx.Response) -> timedelta | None:
    """How long ``answer``'s ``Retry-After`` asks to wait (seconds, or an HTTP date), at most
    :data:`LONGEST_WAIT`; None when the answer is no 429 or 503, or has none that can be
    read, or one already past."""
    if answer.status_code not in WAIT_ASKED:
        return None
    value = answer.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if not math.isfinite(seconds) or seconds <= 0:
        return None
    return timedelta(seconds=min(seconds, LONGEST_WAIT.total_seconds()))

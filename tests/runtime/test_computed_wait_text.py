"""A computed deadline longer than the engine waits reads its waits as people write them.

``RuntimeLimits(max_deadline=timedelta(hours=1))`` and a deadline computed as two hours: the
incident read "deadline gave 2:00:00; expected a duration from 0 to 1:00:00" (a timedelta's
own text; a longer limit read "36500 days, 0:00:00"), where a literal one already read PT2H.
Both read as the project writes waits: ISO 8601 under a day, days beyond.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine import Engine, PackageBuilder, RuntimeLimits, VirtualClock, deadline


@pytest.mark.parametrize(
    ("computed", "limit", "said"),
    [
        (
            "timedelta(hours=2)",
            timedelta(hours=1),
            "gave PT2H; expected a duration from PT0S to PT1H",
        ),
        (
            "timedelta(days=3)",
            timedelta(days=2),
            "gave 3 days; expected a duration from PT0S to 2 days",
        ),
    ],
)
def test_a_computed_wait_over_the_limit_reads_as_a_wait(
    computed: str, limit: timedelta, said: str
) -> None:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("main")
    p.start("s").activity("w", performer="clerk", deadlines=[deadline(computed, exception="x")])
    p.end("e").sequence("s", "w", "e")
    engine = Engine(clock=VirtualClock(), limits=RuntimeLimits(max_deadline=limit))
    engine.deploy(b.build())
    iid = engine.start_process("main")
    (incident,) = engine.incidents(iid)
    assert incident.message == (
        f"instance '{iid}', process 'main', activity 'w', deadline 1 duration: deadline {said}"
    )

"""Engine's constructor arguments and RuntimeLimits' fields of the wrong kind are refused
when the engine (or the limits) is made, with an error naming the argument and what to pass,
instead of a bare AttributeError or TypeError at the first command (or never: a limit of
-5 steps gave incidents saying an instance "ran more than -5 automatic steps")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from wfengine import (
    ApplicationRegistry,
    Engine,
    MemoryStore,
    OutboxHandlers,
    OutboxPolicy,
    PackageBuilder,
    RuntimeLimits,
    VirtualClock,
    deadline,
)
from wfengine.runtime.ids import SequentialIds


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"clock": "utc"}, r"clock is a Clock.*not str 'utc'"),
        ({"limits": {"max_steps": 5}}, r"limits is a RuntimeLimits.*not dict"),
        ({"ids": 5}, r"ids is an IdGenerator.*not int 5"),
        ({"applications": {}}, r"applications is an ApplicationRegistry.*register.*not dict"),
        ({"outbox_handlers": OutboxPolicy()}, r"outbox_handlers is an OutboxHandlers\b.*policy"),
        ({"store": {}}, r"store is a Store.*not dict.*no unit\(\)"),
        ({"db_url": Path("x.db")}, r"db_url is a database URL string"),
        # the class itself (parentheses forgotten) passed the method checks and failed late
        (
            {"clock": VirtualClock},
            r"clock is an object, not the class VirtualClock: pass VirtualClock\(\)",
        ),
        ({"ids": SequentialIds}, r"ids is an object, not the class SequentialIds"),
        ({"store": MemoryStore}, r"store is an object, not the class MemoryStore"),
        # a datetime has a now() (its class's, today's time): taken for a clock, it was
        # refused later as a clock that "says it is" the time of day, with the advice to give
        # datetime.now(UTC), which is what had been given
        (
            {"clock": datetime(2030, 1, 1, tzinfo=UTC)},
            r"clock is a Clock.*not the datetime datetime\.datetime\(2030, 1, 1, 0, 0, "
            r"tzinfo=datetime\.timezone\.utc\): .*pass VirtualClock\(start=\.\.\.\) with "
            r"that moment as a timezone-aware datetime; .*SystemClock\(\)",
        ),
        ({"clock": date(2030, 1, 1)}, r"clock is a Clock.*not the date .*VirtualClock\(start="),
    ],
)
def test_an_argument_of_the_wrong_kind_is_named(arguments: dict[str, Any], says: str) -> None:
    with pytest.raises(TypeError, match=says):
        Engine(**arguments)


def test_a_url_where_the_store_goes_says_to_use_db_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(TypeError, match=r"store is a Store.*db_url=.*Engine\.from_url"):
        Engine(url)  # type: ignore[arg-type]
    assert not (tmp_path / "x.db").exists()


def test_from_url_refuses_before_it_opens_the_database(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="limits is a RuntimeLimits"):
        Engine.from_url(f"sqlite:///{tmp_path / 'x.db'}", limits={"max_steps": 5})  # type: ignore[arg-type]
    assert not (tmp_path / "x.db").exists()


def test_a_store_and_a_url_both_are_refused() -> None:
    with pytest.raises(ValueError, match="either a store or a db_url"):
        Engine(MemoryStore(), db_url="sqlite://")


def test_the_right_kinds_are_taken() -> None:
    handlers = OutboxHandlers()
    with Engine(
        MemoryStore(),
        VirtualClock(),
        SequentialIds(),
        ApplicationRegistry(),
        limits=RuntimeLimits(max_steps=100),
        outbox_handlers=handlers,
    ) as e:
        pb = PackageBuilder("desk")
        pb.process("t").activity("a", performer="clerk")
        e.deploy(pb.build())
        assert e.start_process("t") == "pi-1"


@pytest.mark.parametrize(
    ("field", "value", "error", "says"),
    [
        ("max_steps", -5, ValueError, r"max_steps: at least 1 automatic step per command \(-5\)"),
        ("max_steps", 0, ValueError, r"max_steps: at least 1"),
        ("max_steps", "10", TypeError, r"max_steps: a whole number, not str '10'"),
        ("max_steps", True, TypeError, r"max_steps: a whole number, not bool"),
        ("max_steps", 10.0, TypeError, r"max_steps: a whole number, not float"),
        ("commit_every", 0, ValueError, r"commit_every: at least 1 step per commit \(0\)"),
        ("max_mi_instances", -1, ValueError, r"max_mi_instances: at least 0"),
        ("max_subflow_depth", -1, ValueError, r"max_subflow_depth: at least 0"),
        ("max_new_instances", 0, ValueError, r"max_new_instances: at least 1"),
        ("max_timer_firings", "5", TypeError, r"max_timer_firings: a whole number"),
        ("max_deadline", 3600, TypeError, r"max_deadline: a datetime.timedelta \(timedelta\("),
        ("max_deadline", "PT1H", TypeError, r"max_deadline: a datetime.timedelta, not str"),
        ("max_deadline", timedelta(seconds=-1), ValueError, r"max_deadline: more than no time"),
        ("max_deadline", timedelta(0), ValueError, r"max_deadline: more than no time"),
        ("max_deadline", timedelta.max, ValueError, r"max_deadline: .*at most 365,000 days"),
    ],
)
def test_a_limit_out_of_kind_or_bounds_is_refused_when_made(
    field: str, value: object, error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=rf"RuntimeLimits\.{says}"):
        RuntimeLimits(**{field: value})  # type: ignore[arg-type]


def test_limits_that_forbid_a_kind_of_work_are_taken() -> None:
    limits = RuntimeLimits(max_subflow_depth=0, max_mi_instances=0, max_timer_firings=0)
    assert (limits.max_subflow_depth, limits.max_mi_instances) == (0, 0)


def test_a_lowered_max_deadline_still_works() -> None:
    pb = PackageBuilder("desk")
    p = pb.process("p")
    p.start("s")
    p.activity("w", performer="clerk", deadlines=[deadline("PT1H", "late")])
    p.end("e")
    p.sequence("s", "w", "e")
    limits = RuntimeLimits(max_deadline=timedelta(minutes=30))
    with Engine(clock=VirtualClock(), limits=limits) as e:
        e.deploy(pb.build())
        e.start_process("p")
        (incident,) = e.incidents()
        assert "at most PT30M" in incident.message
        assert "RuntimeLimits.max_deadline" in incident.message

"""Arguments of the wrong type are refused when a Worker or an OutboxPolicy is made, with a
message naming the argument (``lease=60`` used to be taken and fail later as a bare TypeError
from a comparison, and an Engine given as ``make_engine`` failed only in the worker's thread).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from wfengine import Engine, OutboxPolicy, Worker


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"lease": 60}, r"Worker\(lease=...\) takes a timedelta"),
        ({"poll": "1"}, r"Worker\(poll=...\) takes a number of seconds"),
        ({"concurrency": 2.5}, r"Worker\(concurrency=...\) takes a whole number"),
        ({"batch": True}, r"Worker\(batch=...\) takes a whole number"),
    ],
)
def test_worker_arguments_of_the_wrong_type_are_refused_by_name(
    arguments: dict[str, Any], named: str
) -> None:
    with pytest.raises(TypeError, match=named):
        Worker(Engine, **arguments)


def test_a_worker_given_an_engine_instead_of_a_factory_says_what_to_pass() -> None:
    with pytest.raises(TypeError, match=r"make_engine, a function returning a new Engine"):
        Worker(Engine())  # type: ignore[arg-type]


def test_a_worker_poll_that_is_not_finite_is_refused() -> None:
    with pytest.raises(ValueError, match="poll"):
        Worker(Engine, poll=float("nan"))


@pytest.mark.parametrize("name", ["lease", "first_retry", "max_retry", "retention", "prune_every"])
def test_outbox_policy_durations_in_seconds_are_refused_by_name(name: str) -> None:
    with pytest.raises(TypeError, match=rf"OutboxPolicy\({name}=...\) takes a timedelta"):
        OutboxPolicy(**{name: 30})


def test_outbox_policy_counts_must_be_whole_numbers() -> None:
    with pytest.raises(TypeError, match=r"OutboxPolicy\(batch=...\) takes a whole number"):
        OutboxPolicy(batch=2.5)  # type: ignore[arg-type]
    assert OutboxPolicy(lease=timedelta(seconds=30)).lease == timedelta(seconds=30)

"""bench/worklist.py: the next page's figures come only from next pages actually asked for.

A user whose first page was empty asks for no next page, yet a 0 ms "next page" sample was
counted for them. Nothing is timed here: a stand-in engine records the queries made.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.bench.conftest import BENCH


class _Engine:
    """Users u0..u4 have one item each; the others none. Records every page asked for."""

    def __init__(self) -> None:
        self.next_pages = 0

    def work_items_of(self, user: str, *, after: Any = None, limit: int) -> list[str]:
        if after is not None:
            self.next_pages += 1
            return []
        return [f"item-of-{user}"] if int(user[1:]) < 5 else []


def test_next_page_samples_count_only_users_whose_first_page_held_items(
    bench_script: Callable[[Path], ModuleType],
) -> None:
    worklist = bench_script(BENCH / "worklist.py")
    engine = _Engine()
    figures = worklist._timed(engine, 20)
    assert 0 < engine.next_pages < worklist.SAMPLES
    assert figures["next_page_samples"] == engine.next_pages
    assert set(figures) == {
        "first_page_p50_ms",
        "first_page_p95_ms",
        "next_page_samples",
        "next_page_p50_ms",
        "next_page_p95_ms",
    }


def test_next_page_figures_are_none_when_no_user_had_a_first_page(
    bench_script: Callable[[Path], ModuleType],
) -> None:
    worklist = bench_script(BENCH / "worklist.py")

    class Empty(_Engine):
        def work_items_of(self, user: str, *, after: Any = None, limit: int) -> list[str]:
            return []

    figures = worklist._timed(Empty(), 20)
    assert figures["next_page_samples"] == 0
    assert figures["next_page_p50_ms"] is None and figures["next_page_p95_ms"] is None
    assert figures["first_page_p50_ms"] is not None

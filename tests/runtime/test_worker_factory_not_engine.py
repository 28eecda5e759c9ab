"""Worker(make_engine) whose make_engine returns no Engine (None: a forgotten return, or a URL):
run() raises a TypeError naming what came back. Before, with one thread run() returned None as
if the work were done, beside a bare AttributeError traceback from the thread; with two it
raised the misleading "returned the same Engine to two threads" (None is None)."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Worker


@pytest.mark.parametrize("concurrency", [1, 2])
@pytest.mark.parametrize(
    ("returned", "named"),
    [(None, r"None \(NoneType\)"), ("sqlite:///x.db", r"'sqlite:///x\.db' \(str\)")],
)
def test_make_engine_returning_no_engine_fails_the_worker_naming_it(
    concurrency: int, returned: Any, named: str
) -> None:
    worker = Worker(lambda: returned, concurrency=concurrency, until_idle=True, poll=0.05)
    with pytest.raises(TypeError, match=rf"make_engine returned {named}, not an Engine"):
        worker.run()
    assert worker.ran == 0

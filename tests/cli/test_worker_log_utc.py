"""The worker's log lines are stamped in UTC with the offset (``...T17:52:06.123+00:00``),
as audit, status and worklist print times. Before, ``%(asctime)s`` wrote local time with no
offset (``2026-12-07 12:52:06,123`` in New York): a log line could not be matched to an
audit event without knowing the worker's time zone."""

from __future__ import annotations

import logging
import re
import time

import pytest

from wfengine.cli.stderr_log import logging_to_stderr
from wfengine.cli.worker_cmd import _LOG_FORMAT

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 ")


def test_worker_log_lines_are_stamped_in_utc(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        log = logging.getLogger("wfengine.worker")
        with logging_to_stderr("info", _LOG_FORMAT):
            log.info("worker started")
            record = log.makeRecord(log.name, logging.INFO, __file__, 1, "at", (), None)
            record.created, record.msecs = 1_765_129_926.123, 123.0
            log.handle(record)
    finally:
        monkeypatch.undo()  # (the process's own time zone back, for the tests after)
        time.tzset()
    started, fixed = capsys.readouterr().err.splitlines()
    assert STAMP.match(started), started
    assert started.endswith(" INFO wfengine.worker [MainThread] worker started")
    assert fixed.startswith("2025-12-07T17:52:06.123+00:00 INFO wfengine.worker ")

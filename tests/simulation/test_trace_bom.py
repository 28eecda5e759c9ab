"""A trace of arrivals saved with a byte order mark (as Windows editors save UTF-8) is read:
its first timestamp used to be refused ("'\\ufeff2027-...' is not a moment")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from wfengine.simulation import Scenario


def test_a_trace_with_a_byte_order_mark_reads(tmp_path: Path) -> None:
    (tmp_path / "trace.txt").write_bytes(
        b"\xef\xbb\xbf2027-01-04T09:00:00Z\n2027-01-04T10:00:00Z\n"
    )
    (tmp_path / "s.yaml").write_bytes(b"\xef\xbb\xbfarrivals: {trace: trace.txt}\n")
    scn = Scenario.load(tmp_path / "s.yaml")
    assert scn.arrivals.times == (
        datetime(2027, 1, 4, 9, tzinfo=UTC),
        datetime(2027, 1, 4, 10, tzinfo=UTC),
    )

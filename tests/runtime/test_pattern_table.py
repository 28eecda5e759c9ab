"""README's workflow-pattern table is true: all 43 patterns are listed, and every pattern it
says is supported has a test named after it in the test file the row names."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CELL = r"(?:[^|\\]|\\.)+"  # a cell: anything but an unescaped pipe
ROW = re.compile(rf"^\| WCP(\d+) {CELL}\| (yes|no) \|{CELL}\|({CELL}| )\|$")


def _rows() -> list[tuple[int, bool, list[str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for line in text.splitlines():
        m = ROW.match(line)
        if m:
            files = re.findall(r"`([a-z_]+)`", m.group(3))
            found.append((int(m.group(1)), m.group(2) == "yes", files))
    return found


def test_all_43_patterns_are_listed_once_in_order() -> None:
    assert [n for n, _, _ in _rows()] == list(range(1, 44))


def test_every_supported_pattern_has_its_named_test() -> None:
    rows = _rows()
    assert sum(yes for _, yes, _ in rows) >= 38
    for number, yes, files in rows:
        if not yes:
            assert not files
            continue
        assert files, f"WCP{number} names no test file"
        sources = "".join(
            (ROOT / "tests" / "runtime" / f"{f}.py").read_text(encoding="utf-8") for f in files
        )
        pattern = rf"def test_wcp{number:02d}_|def test_wcp\d\d_\w*_wcp{number:02d}_"
        assert re.search(pattern, sources), f"no test_wcp{number:02d}_... in {files}"

"""docs/diagnostics.md lists every diagnostic code, with its default severity and meaning, as
``CODES`` holds them: scripts match on codes, so their list must be where users read."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT
from wfengine.definition.diagnostics import CODES

_ROW = re.compile(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \| (.+) \|$")


def test_the_documented_codes_are_the_codes() -> None:
    text = (REPO_ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    rows = [m.groups() for line in text.splitlines() if (m := _ROW.match(line))]
    documented = {code: (severity, meaning) for code, severity, meaning in rows}
    assert len(documented) == len(rows), "a code is listed twice"
    assert documented == {c: (s.value, m) for c, (s, m) in CODES.items()}

"""``wfengine --help`` and ``import wfengine`` stay light (issue 14, item 5): neither loads the
engine, SQLAlchemy, pydantic, lxml, networkx, httpx or asyncio until a name that needs them is
used. Checked by what a fresh interpreter has imported, not by the clock."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlalchemy", "networkx", "pydantic", "lxml", "httpx", "asyncio", "matplotlib")


def _loaded(code: str) -> list[str]:
    probe = (
        f"{code}\nimport sys, json\n"
        f"heavy = {HEAVY!r} + ('wfengine.runtime.engine', 'wfengine.definition.model')\n"
        "print(json.dumps(sorted({m for m in sys.modules if m.startswith(heavy)})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    found: list[str] = json.loads(out.stdout)
    return found


def test_the_cli_loads_nothing_heavy_to_show_its_help() -> None:
    assert _loaded("import wfengine.cli.main") == []


def test_import_wfengine_is_light_until_a_name_is_used() -> None:
    assert _loaded("import wfengine") == []
    used = _loaded("import wfengine\nwfengine.Engine")
    assert "wfengine.runtime.engine" in used  # loaded once used


def test_every_public_name_still_resolves() -> None:
    import wfengine

    for name in wfengine.__all__:
        assert getattr(wfengine, name) is not None, name
    assert set(wfengine.__all__) <= set(dir(wfengine))

"""``wfengine show`` says which activity a boundary (attached) event is attached to and whether
catching it interrupts that activity: text ``attached to work, interrupting``, JSON
``attached_to`` and ``interrupting`` on every activity (null for all but attached events).
Before, such an event was listed with no transition in and no target, as if it dangled, while
``render`` drew it hanging off its activity (``"work" -> "late" [label="interrupts"]``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import conformance_root
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl


def _file(tmp_path: Path) -> Path:
    b = PackageBuilder("pkg")
    b.participant("clerk")
    p = b.process("p")
    p.start("s").activity("work", performer="clerk")
    p.intermediate("late", trigger="Timer", timer="PT1H", attached_to="work")
    p.intermediate("note", trigger="Timer", timer="PT10M", attached_to="work", interrupting=False)
    # an Error never lets its activity go on, whatever the file says (as the engine runs it)
    p.intermediate("fail", trigger="Error", code="E1", attached_to="work", interrupting=False)
    p.intermediate("wait", trigger="Timer", timer="PT5M")  # in the flow, attached to nothing
    p.end("e").end("e_late").end("e_note").end("e_fail")
    p.sequence("s", "work", "wait", "e")
    p.sequence("late", "e_late").sequence("note", "e_note").sequence("fail", "e_fail")
    path = tmp_path / "attached.xpdl"
    path.write_bytes(dump_xpdl(b.build()))
    return path


def _show(path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["show", *args, str(path)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_text_says_what_an_event_is_attached_to_and_whether_it_interrupts(
    tmp_path: Path,
) -> None:
    rows = {line.split()[0]: line.strip() for line in _show(_file(tmp_path)).splitlines()}
    assert rows["late"] == "late  [event: intermediate Timer]  attached to work, interrupting"
    assert rows["note"] == "note  [event: intermediate Timer]  attached to work, non-interrupting"
    assert rows["fail"] == "fail  [event: intermediate Error]  attached to work, interrupting"
    assert rows["wait"] == "wait  [event: intermediate Timer]"
    assert rows["work"] == "work  [manual]  by clerk"


def test_json_gives_attached_to_and_interrupting_on_every_activity(tmp_path: Path) -> None:
    (process,) = json.loads(_show(_file(tmp_path), "--json"))["processes"]
    found = {a["id"]: (a["attached_to"], a["interrupting"]) for a in process["activities"]}
    assert found["late"] == ("work", True)
    assert found["note"] == ("work", False)
    assert found["fail"] == ("work", True)
    assert found["wait"] == (None, None)
    assert found["work"] == (None, None)
    assert found["s"] == (None, None)


_TIBCO = "xpdl/tibco-business-studio/task_timer_message.xpdl"


def _tibco() -> Path | None:
    root = conformance_root()
    return root / _TIBCO if root is not None and (root / _TIBCO).is_file() else None


@pytest.mark.skipif(
    _tibco() is None, reason="conformance corpus not found at ../shared/conformance"
)
def test_a_tibco_file_shows_its_boundary_events_on_their_task() -> None:
    path = _tibco()
    assert path is not None
    rows = {line.split()[0]: line.strip() for line in _show(path).splitlines()}
    assert rows["226"].endswith("[event: intermediate Message]  attached to 6, interrupting")
    assert rows["227"].endswith("[event: intermediate Timer]  attached to 6, interrupting")
    (process,) = json.loads(_show(path, "--json"))["processes"]
    found = {a["id"]: (a["attached_to"], a["interrupting"]) for a in process["activities"]}
    assert found == {
        "4": (None, None),
        "6": (None, None),
        "7": (None, None),
        "8": (None, None),
        "9": (None, None),
        "226": ("6", True),
        "227": ("6", True),
    }

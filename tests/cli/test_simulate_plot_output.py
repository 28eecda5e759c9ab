"""``wfengine simulate --plot OUT`` writes its picture as ``-o`` writes a file: a SQLite
database named as OUT by mistake is refused (exit 2) and left as it was, before the
simulation runs, and a drawing interrupted part way (Ctrl-C) leaves what OUT held, not a
partial file (matplotlib wrote straight over OUT)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.simulation.helpers import single_server
from wfengine.cli.main import main
from wfengine.definition.io import dump_xpdl

SCENARIO = "arrivals: {poisson: 10/h}\nactivities:\n  serve: {duration: {exponential: 5m}}\n"


def _files(tmp_path: Path) -> list[str]:
    definition = tmp_path / "queue.xpdl"
    definition.write_bytes(dump_xpdl(single_server()))
    scenario = tmp_path / "one.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    return [str(definition), "--scenario", str(scenario), "--instances", "10"]


def _database(path: Path) -> bytes:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kept (x)")
        db.execute("INSERT INTO kept VALUES (1)")
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize("name", ["x.png", "x.svg"])
def test_a_plot_over_a_sqlite_database_is_refused_and_leaves_it(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    before = _database(target)
    result = CliRunner().invoke(main, ["simulate", *_files(tmp_path), "--plot", str(target)])
    assert result.exit_code == 2, result.output
    assert f"cannot write {target}: it is a SQLite database" in result.stderr
    assert result.stdout == ""  # refused before the simulation ran
    assert target.read_bytes() == before


def test_an_interrupted_drawing_leaves_what_the_file_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib", reason="--plot needs matplotlib (the plots extra)")
    from matplotlib.figure import Figure

    def interrupted(_self: Figure, fname: Any, *_args: Any, **_kwargs: Any) -> None:
        """Ctrl-C part way through writing the picture."""
        if hasattr(fname, "write"):
            fname.write(b"\x89PNG partial")
        else:
            Path(fname).write_bytes(b"\x89PNG partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(Figure, "savefig", interrupted)
    target = tmp_path / "ab.png"
    target.write_bytes(b"yesterday's picture")
    result = CliRunner().invoke(main, ["simulate", *_files(tmp_path), "--plot", str(target)])
    assert result.exit_code != 0
    assert target.read_bytes() == b"yesterday's picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ab.png", "one.yaml", "queue.xpdl"]


def test_nothing_is_made_beside_the_plot_while_the_simulation_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed mid-simulation (SIGTERM runs no clean-up) leaves no stray file: the plot's
    file is checked before the run but made only once the picture is drawn."""
    import wfengine.simulation

    target = tmp_path / "out" / "x.png"
    target.parent.mkdir()
    seen: list[list[str]] = []
    real = wfengine.simulation.simulate

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(sorted(p.name for p in target.parent.iterdir()))
        return real(*args, **kwargs)

    monkeypatch.setattr(wfengine.simulation, "simulate", watched)
    result = CliRunner().invoke(main, ["simulate", *_files(tmp_path), "--plot", str(target)])
    assert seen == [[]], result.output
    refused = CliRunner().invoke(
        main, ["simulate", *_files(tmp_path), "--plot", str(tmp_path / "none" / "x.png")]
    )
    assert refused.exit_code == 2 and "cannot write" in refused.stderr
    assert len(seen) == 1  # refused before the simulation ran


@pytest.mark.parametrize("how", ["a-directory", "through-a-file", "no-folder"])
def test_a_plot_that_cannot_be_written_is_refused_before_the_simulation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    import wfengine.simulation

    ran: list[int] = []
    monkeypatch.setattr(wfengine.simulation, "simulate", lambda *a, **k: ran.append(1))
    (tmp_path / "dir.png").mkdir()
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    target = {
        "a-directory": tmp_path / "dir.png",
        "through-a-file": tmp_path / "afile" / "x.png",
        "no-folder": tmp_path / "nodir" / "x.png",
    }[how]
    result = CliRunner().invoke(main, ["simulate", *_files(tmp_path), "--plot", str(target)])
    assert result.exit_code == 2, result.output
    assert f"cannot write {target}: " in result.stderr
    assert ran == []

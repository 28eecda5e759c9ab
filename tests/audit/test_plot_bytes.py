"""``plot_bytes`` gives ``write_plot``'s figure as the bytes of a PNG or SVG file and writes
no file itself: the CLI writes them as it writes ``-o`` (aside, then renamed; never over a
SQLite database), where matplotlib given a path wrote straight over whatever was there."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock

pytest.importorskip("matplotlib", reason="matplotlib (the plots extra) is not installed")


def test_the_figure_comes_back_as_bytes_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wfengine.audit.plots import plot_bytes

    monkeypatch.chdir(tmp_path)
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("p")
        clock.advance(timedelta(minutes=20))
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id)
        png = plot_bytes(e, "p", "png")
        svg = plot_bytes(e, "p", "svg")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert list(tmp_path.iterdir()) == []

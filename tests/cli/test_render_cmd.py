"""``wfengine render``: DOT always, SVG/PNG through Graphviz, a clear message without it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.documents import LEAVE_REQUEST, MALFORMED, ORDER_FULFILMENT, package, write
from tests.definition.hostile_inputs import long_activity_name
from wfengine.cli import render_cmd
from wfengine.cli.main import main
from wfengine.definition.render import LABEL_LINES, LABEL_WIDTH


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["render", *args])
    return result.exit_code, result.stdout, result.stderr


def test_writes_dot_from_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "order.dot"
    status, _, err = invoke(str(ORDER_FULFILMENT), "-o", str(out))
    assert status == 0, err
    dot = out.read_text(encoding="utf-8")
    assert dot.startswith('digraph "fulfil_order" {')
    assert '"stock_decision" -> "backorder"' in dot
    # the condition, and under it the transition's Name in quotes (a label, never tested)
    assert 'label="OTHERWISE\\n\u201cout of stock\u201d"' in dot
    assert 'label="Parallel"' in dot  # the fork and the join
    assert err.strip() == f"wrote {out} (DOT, process fulfil_order, {out.stat().st_size} bytes)"


def test_dot_to_stdout() -> None:
    status, out, err = invoke(str(LEAVE_REQUEST), "-o", "-")
    assert status == 0
    assert out.startswith('digraph "request_leave"')
    assert "wrote" not in err  # stdout carries the drawing; nothing to say


def test_picks_a_process_by_id(tmp_path: Path) -> None:
    doc = package('<Activity Id="only"/>', "", process_id="second")
    two = doc.replace(
        "<WorkflowProcesses>",
        '<WorkflowProcesses><WorkflowProcess Id="first"><ProcessHeader/></WorkflowProcess>',
    )
    path = write(tmp_path, "two.xpdl", two)
    status, out, err = invoke(str(path), "--process", "second", "-o", "-")
    assert status == 0, err
    assert '"only"' in out


def test_unknown_process_is_a_usage_error() -> None:
    status, _, err = invoke(str(LEAVE_REQUEST), "--process", "nope", "-o", "-")
    assert status == 2
    assert "request_leave" in err  # says which processes there are


def test_unknown_suffix_without_format_is_a_usage_error(tmp_path: Path) -> None:
    status, _, err = invoke(str(LEAVE_REQUEST), "-o", str(tmp_path / "x.pdf"))
    assert status == 2
    assert "--format" in err


def test_explicit_format_overrides_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "graph.txt"
    status, _, _ = invoke(str(LEAVE_REQUEST), "-o", str(out), "--format", "dot")
    assert status == 0
    assert out.read_text(encoding="utf-8").startswith("digraph")


def test_unloadable_file_exits_1(tmp_path: Path) -> None:
    status, _, _ = invoke(str(write(tmp_path, "bad.xpdl", MALFORMED)), "-o", "-")
    assert status == 1


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_writes_svg_through_graphviz(tmp_path: Path) -> None:
    out = tmp_path / "order.svg"
    status, _, err = invoke(str(ORDER_FULFILMENT), "-o", str(out))
    assert status == 0, err
    svg = out.read_text(encoding="utf-8")
    assert "<svg" in svg and "Pick and pack" in svg


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_writes_png_through_graphviz(tmp_path: Path) -> None:
    out = tmp_path / "leave.png"
    status, _, err = invoke(str(LEAVE_REQUEST), "-o", str(out))
    assert status == 0, err
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_missing_graphviz_names_the_package_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    out = tmp_path / f"order.{suffix}"
    status, _, err = invoke(str(ORDER_FULFILMENT), "-o", str(out))
    assert status == 2
    assert "apt-get install graphviz" in err and "dot" in err
    assert not out.exists()


def test_dot_output_needs_no_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    status, _, _ = invoke(str(ORDER_FULFILMENT), "-o", str(tmp_path / "order.dot"))
    assert status == 0


def _fake_dot(tmp_path: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    fake.write_text("#!/bin/sh\n" + script + "\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/bin{os.pathsep}/usr/bin")


def test_failing_graphviz_reports_its_message_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_dot(tmp_path, "echo 'syntax error in line 3' >&2; exit 1", monkeypatch)
    status, _, err = invoke(str(LEAVE_REQUEST), "-o", str(tmp_path / "x.svg"))
    assert status == 2
    assert "syntax error in line 3" in err


def test_hanging_graphviz_times_out_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_dot(tmp_path, "exec sleep 30", monkeypatch)
    monkeypatch.setattr(render_cmd, "DOT_TIMEOUT_SECONDS", 0.5)
    status, _, err = invoke(str(LEAVE_REQUEST), "-o", str(tmp_path / "x.svg"))
    assert status == 2
    assert "did not finish" in err


def test_graphviz_gets_the_arguments_without_a_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_dot(tmp_path, 'echo "$@"; cat > /dev/null', monkeypatch)
    status, out, _ = invoke(str(LEAVE_REQUEST), "-o", "-", "--format", "svg")
    assert status == 0
    assert out.strip() == "-Tsvg"


def test_package_without_processes_exits_2_with_a_plain_message(tmp_path: Path) -> None:
    doc = (
        package("", "")
        .replace('<WorkflowProcess Id="p" Name="Test process">', "<!--")
        .replace("</WorkflowProcess>", "-->")
    )
    status, _, err = invoke(str(write(tmp_path, "empty.xpdl", doc)), "-o", "-")
    assert status == 2
    assert "no workflow process" in err and "Usage:" not in err


HOSTILE_ID = "x&quot;]; evil [label=&quot;pwned&quot;]; &quot;y\\"


def test_hostile_ids_from_a_file_stay_quoted(tmp_path: Path) -> None:
    doc = package(
        f'<Activity Id="{HOSTILE_ID}" Name="&lt;b&gt;bold&lt;/b&gt;"/>\n<Activity Id="b"/>',
        f'<Transition Id="t" From="{HOSTILE_ID}" To="b"/>',
    )
    status, out, _ = invoke(str(write(tmp_path, "hostile.xpdl", doc)), "-o", "-")
    assert status == 0
    assert '"x\\"]; evil [label=\\"pwned\\"]; \\"y\\\\"' in out
    if shutil.which("dot"):
        plain = subprocess.run(
            ["dot", "-Tplain"], input=out.encode(), capture_output=True, timeout=60, check=True
        ).stdout.decode()
        assert sum(line.startswith("node ") for line in plain.splitlines()) == 2
        assert '"<b>bold</b>"' in plain  # a plain-text label, not an HTML one


def test_an_eight_megabyte_activity_name_is_drawn_shortened(tmp_path: Path) -> None:
    """The issue's 10 MB name took 152 s (label wrapping was quadratic); now it is instant."""
    path = tmp_path / "long-name.xpdl"
    path.write_bytes(long_activity_name(8_000_000))
    status, out, err = invoke(str(path), "-o", "-")
    assert status == 0, err
    label = "\\n".join(["N" * LABEL_WIDTH] * LABEL_LINES) + "…"  # DOT's \n between lines
    assert f'label="{label}"' in out
    assert len(out) < 2_000

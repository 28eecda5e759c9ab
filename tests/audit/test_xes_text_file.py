"""write_xes given a text-mode file: refused at once with a TypeError that says to open the
file in binary mode, instead of reporting events written to a file left empty (lxml buffers a
small log) or failing part-way through a larger one with a bare lxml error."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, write_xes


def _engine(instances: int) -> Engine:
    e = Engine()
    pb = PackageBuilder("desk")
    pb.process("t").activity("a", performer="clerk")
    e.deploy(pb.build())
    for _ in range(instances):
        e.start_process("t")
    return e


@pytest.mark.parametrize("instances", [1, 301])
def test_a_text_mode_file_is_refused_before_anything_is_written(
    tmp_path: Path, instances: int
) -> None:
    path = tmp_path / "trail.xes"
    with (
        _engine(instances) as e,
        open(path, "w") as out,
        pytest.raises(TypeError, match=r'writes bytes.*trail\.xes.*binary mode.*"wb"'),
    ):
        write_xes(e, out)
    assert path.read_bytes() == b""


def test_a_string_buffer_is_refused_too() -> None:
    with _engine(1) as e, pytest.raises(TypeError, match="StringIO"):
        write_xes(e, io.StringIO())


class _TextWriter:
    """A text sink that is no io.TextIOBase (a host's own wrapper)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.parts.append(text)
        return len(text)


def test_a_text_writer_of_another_kind_is_refused() -> None:
    sink = _TextWriter()
    with _engine(1) as e, pytest.raises(TypeError, match="_TextWriter"):
        write_xes(e, sink)  # type: ignore[arg-type]
    assert sink.parts == []


def test_binary_files_and_paths_are_written(tmp_path: Path) -> None:
    with _engine(1) as e:
        out = io.BytesIO()
        assert write_xes(e, out) == 1
        assert out.getvalue().startswith(b"<?xml")
        path = tmp_path / "trail.xes"
        with open(path, "wb") as f:
            assert write_xes(e, f) == 1
        assert path.read_bytes() == out.getvalue()

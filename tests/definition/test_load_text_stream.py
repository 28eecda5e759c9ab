"""``load_xpdl`` given a stream open in text mode says so, as it does for XPDL text: it failed
deep inside with "sequence item 0: expected a bytes-like object, str found"."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from wfengine import load_xpdl

_DOC = (
    '<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p"><PackageHeader/>'
    '<WorkflowProcesses><WorkflowProcess Id="w"><ProcessHeader/><Activities>'
    '<Activity Id="a"/></Activities></WorkflowProcess></WorkflowProcesses></Package>'
)


class _Reader:
    """A stream of no io class that reads text (a duck-typed upload wrapper, say)."""

    def __init__(self, text: str) -> None:
        self.inner = io.StringIO(text)

    def read(self, size: int = -1) -> str:
        return self.inner.read(size)


def test_a_text_stream_is_refused_with_a_clear_type_error(tmp_path: Path) -> None:
    path = tmp_path / "p.xpdl"
    path.write_text(_DOC, encoding="utf-8")
    with path.open(encoding="utf-8") as text_mode:
        streams: list[object] = [text_mode, io.StringIO(_DOC), _Reader(_DOC)]
        for stream in streams:
            with pytest.raises(TypeError, match=r"text mode .*open\(path, 'rb'\)"):
                load_xpdl(stream)  # type: ignore[arg-type]
    with path.open("rb") as binary:  # the way that works
        assert load_xpdl(binary).workflow_processes[0].id == "w"

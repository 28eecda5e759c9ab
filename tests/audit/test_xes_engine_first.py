"""write_xes takes the Engine first: given the file first (``write_xes(out, engine)``, the
order ``write_csv(events, out)`` takes) or events instead of the engine, it says so with a
``TypeError`` before anything is written; it was a bare ``AttributeError`` from inside the
writer (``'list' object has no attribute 'instance_summaries'``)."""

from __future__ import annotations

import io

import pytest

from wfengine import Engine, PackageBuilder, iter_events, write_xes


def test_the_file_first_is_refused_as_swapped() -> None:
    with Engine() as e:
        out = io.BytesIO()
        with pytest.raises(TypeError, match=r"^write_xes takes the Engine first.*swapped"):
            write_xes(out, e)  # type: ignore[arg-type]
        assert out.getvalue() == b""


@pytest.mark.parametrize("given", ["list", "iterator"])
def test_events_instead_of_the_engine_are_refused(given: str) -> None:
    with Engine() as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a", performer="clerk")
        e.deploy(pb.build())
        e.start_process("p")
        events = list(iter_events(e)) if given == "list" else iter_events(e)
        out = io.BytesIO()
        with pytest.raises(TypeError, match=r"^write_xes takes the Engine first") as caught:
            write_xes(events, out)  # type: ignore[arg-type]
        assert "swapped" not in str(caught.value)
        assert "write_csv(iter_events(engine), out)" in str(caught.value)
        assert out.getvalue() == b""
        assert write_xes(e, out) == 1  # the right way round

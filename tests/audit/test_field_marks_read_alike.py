"""``wfengine:public`` and ``wfengine:export`` take the words ``wfengine:sensitive`` takes:
``true``/``yes``/``1`` in any case (a QA pass found ``yes`` and ``1`` read as no: a field its
author marked public was hidden from the customer's brief status and left out of the XES
log, with no finding); ``false``/``no``/``0`` keep a field out. ``true`` means what it
meant."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder, brief_status, write_xes

YES = ["true", "TRUE", "yes", "Yes", " 1 "]
NO = ["false", "no", "0"]


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with Engine(db_url=store_url(request, request.param, tmp_path)) as e:
        yield e


def _run(engine: Engine, value: str) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("claim")
    marks = {"wfengine:public": value, "wfengine:export": value}
    p.data_field("ref", "STRING", extended=marks)
    p.data_field("card", "STRING", extended={**marks, "wfengine:sensitive": value})
    p.data_field("note", "STRING")
    p.activity("enter")
    engine.deploy(pb.build())
    return engine.start_process("claim", {"ref": "C-7", "card": "4111", "note": "internal"})


def _trace_data(engine: Engine) -> dict[str, str | None]:
    out = io.BytesIO()
    write_xes(engine, out)
    trace = etree.fromstring(out.getvalue()).find("trace")
    assert trace is not None
    return {x.get("key") or "": x.get("value") for x in trace if x.tag == "string"}


@pytest.mark.parametrize("value", YES)
def test_a_yes_word_shows_the_field_and_exports_it(engine: Engine, value: str) -> None:
    iid = _run(engine, value)
    assert brief_status(engine, iid).as_dict()["fields"] == {"ref": "C-7", "card": "***"}
    data = _trace_data(engine)
    assert (data.get("ref"), data.get("card"), data.get("note")) == ("C-7", "***", None)


@pytest.mark.parametrize("value", NO)
def test_a_no_word_keeps_the_field_out(engine: Engine, value: str) -> None:
    iid = _run(engine, value)
    assert brief_status(engine, iid).as_dict()["fields"] == {}
    assert {"ref", "card", "note"}.isdisjoint(_trace_data(engine))

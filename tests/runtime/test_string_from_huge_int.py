"""An integer too long for Python to write as text (beyond ``sys.get_int_max_str_digits()``,
4,300 digits) given for a STRING field is refused like any value of the wrong type, with a
:class:`~wfengine.errors.DataTypeError` naming the field, instead of Python's bare
``ValueError: Exceeds the limit (4300 digits) for integer string conversion``."""

from __future__ import annotations

import pytest

from wfengine import DataTypeError, Engine, PackageBuilder
from wfengine.wapi import connect

HUGE = 10**5000  # more digits than Python writes as text


@pytest.fixture
def engine() -> Engine:
    b = PackageBuilder("t")
    p = b.process("p")
    p.data_field("s", "STRING")
    p.start("st")
    p.activity("h", performer="c")
    p.end("e")
    p.sequence("st", "h", "e")
    engine = Engine()
    engine.deploy(b.build())
    return engine


def test_an_integer_too_long_for_text_is_no_string_naming_the_field(engine: Engine) -> None:
    with pytest.raises(DataTypeError, match=r"data field 's': expected STRING.*4,300 digits"):
        engine.start_process("p", {"s": HUGE})
    iid = engine.start_process("p", {"s": 10**50})  # a number of ordinary length is text
    assert engine.instance(iid).data["s"] == str(10**50)
    with pytest.raises(DataTypeError, match=r"data field 's'.*expected STRING"):
        connect(engine, "ann").assign_process_instance_attribute(iid, "s", HUGE)
    assert engine.instance(iid).data["s"] == str(10**50)


def test_an_application_answering_such_an_integer_for_a_string_is_an_incident() -> None:
    b = PackageBuilder("t")
    b.application("say", params=[("text", "OUT", "STRING")])
    p = b.process("p")
    p.data_field("s", "STRING")
    p.start("st")
    p.activity("call", tool="say", args=["s"])
    p.end("e")
    p.sequence("st", "call", "e")
    engine = Engine()
    engine.deploy(b.build())
    engine.applications.register("say", lambda: {"text": HUGE})
    iid = engine.start_process("p")
    (incident,) = engine.incidents(iid)
    assert "expected STRING" in incident.message
    assert engine.instance(iid).data["s"] is None

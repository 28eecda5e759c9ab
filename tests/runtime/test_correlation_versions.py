"""Correlated messages reach instances of every stored version: a key is read by the types of
the version each instance runs, not the latest's alone (a later version may retype the key
or correlate by another one while instances of the earlier still wait)."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.definition.model import Package
from wfengine.errors import NotFoundError


def _calls(phone: str = "STRING", key: str = "phone") -> Package:
    pb = PackageBuilder("calls")
    p = pb.process("call").extended_attribute("wfengine:correlation", key)
    p.data_field("phone", phone)
    p.data_field("order_no", "STRING")
    p.start("s").intermediate("reply", message="reply").end("e").sequence("s", "reply", "e")
    return pb.build()


def test_a_key_a_later_version_retyped_still_finds_the_earlier_versions_instance(
    engine: Engine,
) -> None:
    engine.deploy(_calls("STRING"))
    first = engine.start_process("call", {"phone": "0123"})
    engine.deploy(_calls("INTEGER"))  # version 2: '0123' would read as 123
    second = engine.start_process("call", {"phone": 77})
    assert engine.correlated_instance({"phone": "0123"}, message="reply") == first
    assert engine.correlated_instance({"phone": "77"}, message="reply") == second
    assert engine.send_message("reply", correlation={"phone": "0123"})
    assert engine.instance(first).state is ProcessState.COMPLETED
    assert engine.instance(second).state is ProcessState.RUNNING


def test_a_key_a_later_version_no_longer_correlates_by_still_finds_earlier_instances(
    engine: Engine,
) -> None:
    engine.deploy(_calls("INTEGER"))
    first = engine.start_process("call", {"phone": 13800000102})
    engine.deploy(_calls("INTEGER", key="order_no"))  # version 2 correlates by order_no
    second = engine.start_process("call", {"phone": 13800000102, "order_no": "A-1"})
    # (text, as a command line gives it: read as version 1's INTEGER)
    assert engine.correlated_instance({"phone": "13800000102"}) == first
    assert engine.correlated_instance({"order_no": "A-1"}) == second
    with pytest.raises(NotFoundError, match="order_no='A-2'"):
        engine.correlated_instance({"order_no": "A-2"})

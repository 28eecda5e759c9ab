"""A session's data checks agree with the engine's: a key that is not a string is the engine's
``DataNotStorableError`` naming it, checked before the names (it said ``NotFoundError: no data
field 5``, as if 5 were a misspelt name); a value no store holds given to a field whose type
takes any value (a REFERENCE) is the same error, a ``TypeError`` (docs/wapi.md said
``ValueError``, as for a value of the wrong type), and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import DataNotStorableError, DataTypeError, Engine, PackageBuilder
from wfengine.wapi import connect


@pytest.fixture
def desk(engine: Engine) -> Engine:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.data_field("amount", "INTEGER", initial="1")
    p.data_field("ref", "REFERENCE")
    p.activity("answer", performer="clerk")
    engine.deploy(pb.build())
    return engine


@pytest.mark.parametrize("data", [{5: 1}, {"nope": 1, 5: 1}, {"amount": 2, (1, 2): 1}])
def test_a_key_that_is_not_a_string_is_the_engines_error(
    desk: Engine, data: dict[Any, int]
) -> None:
    clerk = connect(desk, "clerk")
    with pytest.raises(DataNotStorableError) as by_session:
        clerk.create_process_instance("ticket", data)
    with pytest.raises(DataNotStorableError) as by_engine:
        desk.create_instance("ticket", data)
    assert str(by_session.value) == str(by_engine.value)
    assert "a data field's name must be a str" in str(by_session.value)
    assert desk.instances() == []


def test_an_unstorable_reference_is_a_type_error_and_changes_nothing(desk: Engine) -> None:
    clerk = connect(desk, "clerk")
    instance_id = clerk.create_process_instance("ticket", {"ref": {"a": 1}})
    with pytest.raises(DataNotStorableError) as raised:
        clerk.assign_process_instance_attribute(instance_id, "ref", object())
    assert isinstance(raised.value, TypeError)
    with pytest.raises(DataTypeError):  # a typed field's wrong value: a ValueError
        clerk.assign_process_instance_attribute(instance_id, "amount", object())
    assert desk.instance(instance_id).data == {"amount": 1, "ref": {"a": 1}}

"""A Name two data fields carry stands for neither; validation says which fields share it.

Two fields with TIBCO-style UUID Ids both named 'amount': a script using 'amount' got only
"uses 'amount', which is no data field or formal parameter", and the modeller hunted for a
missing field. The finding now names the fields that share the Name.
"""

from __future__ import annotations

from wfengine import PackageBuilder, validate
from wfengine.definition.model import Package


def _package(second_name: str) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("_u1", "INTEGER", initial="1", name="amount")
    p.data_field("_u2", "INTEGER", initial="5", name=second_name)
    p.data_field("_u3", "INTEGER", initial="amount * 2", name="double")
    p.data_field("res", "INTEGER")
    p.activity("s", script="res = amount + 1")
    return pb.build()


def test_a_shared_name_is_reported_with_the_fields_that_carry_it() -> None:
    found = [d for d in validate(_package("amount")) if d.code == "expression-unknown-name"]
    assert {d.element_id for d in found} == {"s", "_u3"}  # the script and the initial value
    for finding in found:
        assert "'amount'" in finding.message
        assert "'_u1', '_u2' are all named 'amount'" in finding.message


def test_a_name_one_field_carries_stands_for_it() -> None:
    found = [d for d in validate(_package("total")) if d.code == "expression-unknown-name"]
    assert found == []

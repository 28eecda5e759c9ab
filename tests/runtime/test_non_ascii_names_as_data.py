"""Data given under a field's Name with a non-ASCII letter (``start_process(data={"Größe":
4})``) was refused as a Name no expression can write ("give the Id"), though expressions read
``Größe`` as the field; and two fields sharing such a Name were not named where a text using
it finds no field. Such a Name is now chosen as expressions choose it
(:func:`~wfengine.definition.reading.is_identifier`): the value is its field's, and a shared
one is refused naming the fields; a Name that is no identifier (``Days requested``) is still
refused naming the Id."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.checks.readings import shared_names
from wfengine.definition.model import Package
from wfengine.definition.non_identifier_names import non_identifier_names
from wfengine.errors import DataTypeError


def _named(*names: str) -> Package:
    """Process ``main`` with a field ``_uN`` named each of ``names``, and manual work."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    for n, name in enumerate(names, 1):
        p.data_field(f"_u{n}", "INTEGER", name=name)
    p.activity("a", performer="clerk")
    return pb.build()


def test_data_given_under_a_non_ascii_name_is_its_fields() -> None:
    package = _named("Größe", "Days requested")
    assert non_identifier_names(package, package.workflow_processes[0]) == {
        "Days requested": ("_u2",)
    }
    with Engine() as engine:
        engine.deploy(package)
        iid = engine.start_process("main", {"Größe": 4})
        assert engine.instance(iid).data["_u1"] == 4
        assert "Größe" not in engine.instance(iid).data
        with pytest.raises(DataTypeError, match=r"give the Id '_u2'"):
            engine.start_process("main", {"Days requested": 4})


def test_a_non_ascii_name_two_fields_share_is_named_as_shared() -> None:
    package = _named("Größe", "Größe")
    assert shared_names(package, package.workflow_processes[0]) == {"Größe": ("_u1", "_u2")}
    with Engine() as engine:
        engine.deploy(package)
        with pytest.raises(DataTypeError, match=r"Name of several data fields .*'_u1', '_u2'"):
            engine.start_process("main", {"Größe": 4})


def test_a_text_using_a_shared_non_ascii_name_says_which_fields_share_it() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("_u1", "INTEGER", name="Größe").data_field("_u2", "INTEGER", name="Größe")
    p.activity("r").activity("big").activity("small")
    p.transition("r", "big", condition="Größe > 5").transition("r", "small", otherwise=True)
    found = [d.message for d in validate(pb.build()) if "Größe" in d.message]
    assert found and all("'_u1', '_u2' are all named 'Größe'" in m for m in found), found

"""A formal parameter and a data field sharing an Id with different types: the builder refuses
it, and now so do validation and deploy for a file loaded from XPDL (``parameter-field-type``).
Before, such a file validated clean and an INTEGER parameter's instance held the field's text
``"abc"``. Sharing the Id with one type stays fine (real tools' files do it)."""

from __future__ import annotations

import pytest

from wfengine import Engine, load_xpdl
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import DeployError

_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="pk" Name="pk">
<PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
</PackageHeader>
<TypeDeclarations><TypeDeclaration Id="Count"><BasicType Type="INTEGER"/></TypeDeclaration>
</TypeDeclarations>
{package_fields}
<WorkflowProcesses><WorkflowProcess Id="P" Name="P"><ProcessHeader/>
<FormalParameters><FormalParameter Id="p" Mode="IN"><DataType><BasicType Type="INTEGER"/>
</DataType></FormalParameter></FormalParameters>
{process_fields}
<Activities><Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
<Activity Id="a"><Implementation><No/></Implementation></Activity>
<Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity></Activities>
<Transitions><Transition Id="t1" From="s" To="a"/><Transition Id="t2" From="a" To="e"/>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>
"""


def _field(data_type: str, initial: str = "") -> str:
    value = f"<InitialValue>{initial}</InitialValue>" if initial else ""
    field = f'<DataField Id="p"><DataType>{data_type}</DataType>{value}</DataField>'
    return f"<DataFields>{field}</DataFields>"


def _package(process_field: str = "", package_field: str = "") -> Package:
    text = _DOC.format(process_fields=process_field, package_fields=package_field)
    return load_xpdl(text.encode(), schema=False)


def _refused(package: Package) -> bool:
    try:
        Engine().deploy(package, check_bindings=False)
    except DeployError:
        return True
    return False


@pytest.mark.parametrize("where", ["process", "package"])
def test_a_field_of_another_type_sharing_a_parameters_id_is_an_error(where: str) -> None:
    field = _field('<BasicType Type="STRING"/>', "abc")
    package = _package(**{f"{where}_field": field})
    errors = [d for d in validate(package) if d.severity is Severity.ERROR]
    assert [(d.code, d.element_id) for d in errors] == [("parameter-field-type", "p")]
    assert "INTEGER" in errors[0].message and "STRING" in errors[0].message
    assert errors[0].line == 9  # the FormalParameter's line
    assert _refused(package)


def test_an_array_field_sharing_a_single_parameters_id_is_an_error() -> None:
    package = _package(_field('<ArrayType><BasicType Type="INTEGER"/></ArrayType>'))
    assert [d.code for d in validate(package) if d.severity is Severity.ERROR] == [
        "parameter-field-type"
    ]


@pytest.mark.parametrize(
    "data_type",
    [
        '<BasicType Type="INTEGER"/>',
        '<BasicType Type="INTEGER"><Precision>10</Precision></BasicType>',
        '<DeclaredType Id="Count"/>',
    ],
)
def test_a_field_of_the_same_type_may_share_the_id(data_type: str) -> None:
    package = _package(_field(data_type, "3"))
    assert [d for d in validate(package) if d.code == "parameter-field-type"] == []
    assert not _refused(package)


def test_the_process_field_hides_the_package_field() -> None:
    package = _package(_field('<BasicType Type="INTEGER"/>'), _field('<BasicType Type="STRING"/>'))
    assert [d for d in validate(package) if d.code == "parameter-field-type"] == []

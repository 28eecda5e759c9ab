"""An EnumerationType whose every EnumerationValue lacks its Name keeps no value: the
DataField is kept whole as XML, as before 4768a37, with a warning naming the first value and
its line. It became an enumeration of no value, which took any value (an initial value "a"
deployed), and the warning said the type "keeps its other values" when it had none."""

from __future__ import annotations

from wfengine import Engine, VirtualClock, dump_xpdl, load_xpdl

_NS = "http://www.wfmc.org/2009/XPDL2.2"


def _package(values: str) -> bytes:
    return f"""<?xml version="1.0"?>
<Package xmlns="{_NS}" Id="pkg"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
<Vendor>t</Vendor><Created>2024</Created></PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P"><ProcessHeader/>
<DataFields><DataField Id="f">
<DataType><EnumerationType>{values}</EnumerationType></DataType>
<InitialValue>"a"</InitialValue></DataField></DataFields>
<Activities><Activity Id="a"><Implementation><No/></Implementation></Activity></Activities>
</WorkflowProcess></WorkflowProcesses></Package>""".encode()


def test_an_enumeration_whose_every_value_lacks_a_name_keeps_the_field_whole() -> None:
    package = load_xpdl(_package("<EnumerationValue/>\n<EnumerationValue/>"), schema=False)
    assert package.process("P").data_fields == ()
    assert [(d.line, d.message) for d in package.load_diagnostics] == [
        (
            5,
            "<DataField> at line 5 could not be read (<EnumerationValue> at line 6 in it: "
            "required attribute Name is missing); it is kept as XML",
        )
    ]
    assert dump_xpdl(package).count(b"<EnumerationValue/>") == 2


def test_a_value_with_a_name_keeps_the_type_and_its_values() -> None:
    package = load_xpdl(_package('<EnumerationValue Name="a"/><EnumerationValue/>'), schema=False)
    [field] = package.process("P").data_fields
    assert field.data_type.values == ("a",)  # type: ignore[union-attr]
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    assert engine.instance(engine.start_process("P", {})).data == {"f": "a"}

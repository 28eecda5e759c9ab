"""A loop's counter: XPDL 2.2's ``LoopCounter`` is an integer and names no field; wfengine's
counter names an INTEGER data field, written ``wfe:LoopCounter`` so the file stays valid.

``LoopCounter`` was taken as the name of a field to write: a spec file's ``LoopCounter="0"``
added an undeclared ``'0'`` to every instance's data, and the builder's ``counter="n"`` was
written as ``LoopCounter="n"``, which the 2.2 schema refuses."""

from __future__ import annotations

import pytest
from lxml import etree

from wfengine import Engine, PackageBuilder, dump_xpdl, load_xpdl, validate
from wfengine.definition.build_arguments import multi_instance, standard_loop
from wfengine.definition.model import (
    WFENGINE_NS,
    XPDL22_NS,
    ArrayType,
    BasicType,
    BasicTypeKind,
    DeclaredType,
    EnumerationType,
    Package,
    StandardLoop,
)
from wfengine.definition.model_activities import counter_field
from wfengine.errors import DeployError
from wfengine.runtime.compiler import compile_process


def _file(counter_attrs: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" xmlns:wfe="{WFENGINE_NS}" Id="lc" Name="lc">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>now</Created>
  </PackageHeader>
  <WorkflowProcesses><WorkflowProcess Id="p"><ProcessHeader/>
    <DataFields>
      <DataField Id="n"><DataType><BasicType Type="INTEGER"/></DataType>
        <InitialValue>0</InitialValue></DataField>
      <DataField Id="i"><DataType><BasicType Type="INTEGER"/></DataType>
        <InitialValue>-1</InitialValue></DataField>
    </DataFields>
    <Activities>
      <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
      <Activity Id="a">
        <Implementation><Task><TaskScript><Script>n = n + 1</Script></TaskScript></Task>
        </Implementation>
        <Loop LoopType="Standard"><LoopStandard LoopMaximum="5" TestTime="After"
          {counter_attrs}><LoopCondition>n &lt; 3</LoopCondition></LoopStandard></Loop>
      </Activity>
      <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
    </Activities>
    <Transitions><Transition Id="t1" From="s" To="a"/><Transition Id="t2" From="a" To="e"/>
    </Transitions>
  </WorkflowProcess></WorkflowProcesses>
</Package>""".encode()


def _run(package_text: bytes) -> dict[str, object]:
    with Engine() as engine:
        engine.deploy(load_xpdl(package_text))
        return dict(engine.instance(engine.start_process("p")).data)


@pytest.mark.parametrize("counter", ["0", "3", "+1", " 0 "])
def test_an_integer_loop_counter_names_no_field(counter: str) -> None:
    package = load_xpdl(_file(f'LoopCounter="{counter}"'))
    assert [d.code for d in validate(package)] == []
    assert _run(_file(f'LoopCounter="{counter}"')) == {"n": 3, "i": -1}
    assert counter_field(counter) is None


@pytest.mark.parametrize(
    "attrs",
    ['wfe:LoopCounter="i"', 'LoopCounter="i"', 'wfe:LoopCounter="i" LoopCounter="0"'],
    ids=["own-attribute", "old-form", "both"],
)
def test_a_counter_naming_a_field_counts_in_it(attrs: str) -> None:
    # three iterations: the field holds the iterations before the last, 0 first
    assert _run(_file(attrs)) == {"n": 3, "i": 2}


def test_a_counter_naming_a_field_is_written_schema_valid_and_reads_back() -> None:
    pb = PackageBuilder("b")
    p = pb.process("x").data_field("n", "INTEGER", initial="0").data_field("k", "INTEGER")
    p.start("s").activity("a", script="n = n + 1", loop=standard_loop("n < 3", counter="n"))
    p.activity("m", loop=multi_instance("2", counter="k")).end("e")
    p.sequence("s", "a", "m", "e")
    package = pb.build()
    written = dump_xpdl(package)
    root = etree.fromstring(written)
    standard = next(root.iter(f"{{{XPDL22_NS}}}LoopStandard"))
    multi = next(root.iter(f"{{{XPDL22_NS}}}LoopMultiInstance"))
    for element, field in ((standard, "n"), (multi, "k")):
        assert element.get("LoopCounter") is None
        assert element.get(f"{{{WFENGINE_NS}}}LoopCounter") == field
    again = load_xpdl(written)
    assert [d.code for d in validate(again)] == []  # no schema-violation
    assert again == package


def test_an_integer_counter_is_written_as_xpdl_s() -> None:
    package = load_xpdl(_file('LoopCounter="0"'))
    standard = next(etree.fromstring(dump_xpdl(package)).iter(f"{{{XPDL22_NS}}}LoopStandard"))
    assert standard.get("LoopCounter") == "0"
    assert standard.get(f"{{{WFENGINE_NS}}}LoopCounter") is None


def test_which_counters_name_a_field() -> None:
    assert StandardLoop(counter="n").counter_field == "n"
    assert StandardLoop(counter="0").counter_field is None
    assert StandardLoop().counter_field is None
    assert counter_field("") is None and counter_field("  ") is None
    assert counter_field("loop-count") == "loop-count"


def _counting(field_type: object, counter: str = "k", *, multi: bool = False) -> Package:
    pb = PackageBuilder("lc")
    pb.type_declaration("Level", EnumerationType(values=("low", "high")))
    pb.type_declaration("Count", "INTEGER")
    p = pb.process("x").data_field("n", "INTEGER", initial="0")
    if field_type is not None:
        p.data_field("k", field_type)  # type: ignore[arg-type]
    loop = (
        multi_instance("2", counter=counter) if multi else standard_loop("n < 3", counter=counter)
    )
    p.start("s").activity("a", script="n = n + 1", loop=loop).end("e")
    p.sequence("s", "a", "e")
    return pb.build()


def _found(package: Package) -> list[tuple[str, str, str | None]]:
    return [(d.severity.value, d.code, d.element_id) for d in validate(package)]


@pytest.mark.parametrize("multi", [False, True], ids=["standard", "multi-instance"])
@pytest.mark.parametrize(
    ("field_type", "shown"),
    [
        ("STRING", "STRING"),
        ("FLOAT", "FLOAT"),
        ("Level", "an enumeration"),
        (ArrayType(element=BasicType(type=BasicTypeKind.INTEGER)), "a list"),
    ],
)
def test_a_counter_naming_a_field_that_is_no_integer_is_refused(
    field_type: object, shown: str, multi: bool
) -> None:
    package = _counting(field_type, multi=multi)
    assert _found(package) == [("error", "loop-counter", "a")]
    [finding] = validate(package)
    assert f"its counter names 'k', which is {shown}, not an INTEGER" in finding.message
    with Engine() as engine, pytest.raises(DeployError, match="loop-counter"):
        engine.deploy(package)
    with pytest.raises(DeployError, match="not an INTEGER"):  # the compiler refuses it too
        compile_process(package, package.workflow_processes[0])


@pytest.mark.parametrize(
    "field_type",
    ["INTEGER", "Count", DeclaredType(id="Undeclared")],
    ids=["basic", "declared", "unknown"],
)
def test_a_counter_naming_an_integer_field_or_one_of_unknown_type_counts_in_it(
    field_type: object,
) -> None:
    package = _counting(field_type)
    assert [c for _, c, _ in _found(package) if c != "undefined-type"] == []
    with Engine() as engine:
        engine.deploy(package)
        assert engine.instance(engine.start_process("x")).data["k"] == 2


def test_a_counter_naming_no_declared_field_is_a_warning_and_counts_as_undeclared_data() -> None:
    package = _counting(None)
    [finding] = validate(package)
    assert (finding.severity.value, finding.code) == ("warning", "undefined-data-field")
    assert "counts its iterations in 'k'" in finding.message
    with Engine() as engine:
        engine.deploy(package)
        assert engine.instance(engine.start_process("x")).data == {"n": 3, "k": 2}


def test_the_loop_condition_may_read_the_counter_field() -> None:
    pb = PackageBuilder("lc")
    p = pb.process("x").data_field("n", "INTEGER", initial="0")
    loop = StandardLoop(condition="k < 2", counter="k", maximum=5)
    p.start("s").activity("a", script="n = n + 1", loop=loop).end("e").sequence("s", "a", "e")
    # 'k' is no declared field (a warning), but the engine sets it: no unknown name
    assert [c for _, c, _ in _found(pb.build())] == ["undefined-data-field"]


def test_a_stored_deployment_counting_in_a_string_field_still_compiles() -> None:
    # deployed by an earlier wfengine, which took it: its instances keep running
    from wfengine.runtime.compile_activity import stored_deployment

    package = _counting("STRING")
    with stored_deployment():
        compiled = compile_process(package, package.workflow_processes[0])
    assert compiled.process_id == "x"

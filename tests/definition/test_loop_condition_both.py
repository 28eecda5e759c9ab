"""A loop condition written both as attribute (2.1's form) and as element (2.2's), as both
schemas allow: the element is read, and an attribute that says something else is kept as
written with a warning. It was dropped without a word."""

from __future__ import annotations

import pytest

from wfengine import dump_xpdl
from wfengine.definition.model import MultiInstanceLoop, Package, StandardLoop
from wfengine.definition.xpdl.reader import read_package


def _loop(loop: str) -> Package:
    doc = f"""<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="p"><PackageHeader/>
      <WorkflowProcesses><WorkflowProcess Id="w"><ProcessHeader/><DataFields>
        <DataField Id="n"><DataType><BasicType Type="INTEGER"/></DataType></DataField>
      </DataFields><Activities>
        <Activity Id="a"><Implementation><No/></Implementation><Loop>{loop}</Loop></Activity>
      </Activities></WorkflowProcess></WorkflowProcesses></Package>"""
    return read_package(doc.encode(), schema=False)


_STANDARD = (
    '<LoopStandard LoopCondition="{attr}" TestTime="After">'
    "<LoopCondition>n &lt; 4</LoopCondition></LoopStandard>"
)
_MULTI = (
    '<LoopMultiInstance MI_Condition="{attr}" MI_Ordering="Parallel">'
    "<MI_Condition>n &lt; 4</MI_Condition></LoopMultiInstance>"
)


@pytest.mark.parametrize(("loop", "name"), [(_STANDARD, "LoopCondition"), (_MULTI, "MI_Condition")])
def test_a_different_attribute_beside_the_element_is_kept_with_a_warning(
    loop: str, name: str
) -> None:
    pkg = _loop(loop.format(attr="n &lt; 3"))
    read = pkg.process("w").activity("a").loop
    assert isinstance(read, StandardLoop | MultiInstanceLoop)
    condition = read.condition if isinstance(read, StandardLoop) else read.mi_condition
    assert condition == "n < 4"  # the element's
    assert (name, "n < 3") in read.extra_attrs
    (warning,) = pkg.load_diagnostics
    assert warning.code == "xpdl-unreadable" and warning.element_id == "a"
    assert f"the {name} attribute 'n < 3'" in warning.message
    assert "kept as written" in warning.message
    written = dump_xpdl(pkg).decode()
    assert f'{name}="n &lt; 3"' in written  # written back, as 2.2 still allows
    assert read_package(dump_xpdl(pkg), schema=False).process("w").activity("a").loop == read


@pytest.mark.parametrize("loop", [_STANDARD, _MULTI])
def test_the_same_condition_twice_is_one_without_a_warning(loop: str) -> None:
    pkg = _loop(loop.format(attr="n &lt; 4 "))
    read = pkg.process("w").activity("a").loop
    assert read is not None and read.extra_attrs == ()
    assert pkg.load_diagnostics == ()

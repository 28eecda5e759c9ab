"""XPDL 2.1/2.2 DataMappings: a mapping's Direction, and what a positional actual cannot
carry (an Actual's own ScriptType, a TestValue), are never dropped without a word."""

from __future__ import annotations

import pytest

from wfengine import dump_xpdl
from wfengine.definition.model import XPDL22_NS, Package, SubFlowImplementation
from wfengine.definition.xpdl.reader import read_package


def _call(mappings: str, mode: str = "INOUT", script: str = "") -> Package:
    doc = f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader/>{script}
      <WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/><DataFields>
        <DataField Id="n"><DataType><BasicType Type="INTEGER"/></DataType></DataField>
      </DataFields><Activities>
        <Activity Id="a"><Implementation><SubFlow Id="child"><DataMappings>{mappings}
        </DataMappings></SubFlow></Implementation></Activity>
      </Activities></WorkflowProcess>
      <WorkflowProcess Id="child"><ProcessHeader/><FormalParameters>
        <FormalParameter Id="q" Mode="{mode}"><DataType><BasicType Type="INTEGER"/></DataType>
        </FormalParameter></FormalParameters><Activities><Activity Id="c"/></Activities>
      </WorkflowProcess></WorkflowProcesses></Package>"""
    return read_package(doc.encode(), schema=False)


def _body(pkg: Package) -> SubFlowImplementation:
    body = pkg.process("w").activity("a").body
    assert isinstance(body, SubFlowImplementation)
    return body


def _mapping(formal: str, actual: str, direction: str | None = None) -> str:
    way = "" if direction is None else f' Direction="{direction}"'
    return f'<DataMapping Formal="{formal}"{way}><Actual>{actual}</Actual></DataMapping>'


@pytest.mark.parametrize(
    ("mappings", "actual"),
    [
        (_mapping("q", "n", "INOUT"), "n"),
        (_mapping("q", "n"), "n"),  # no Direction: as the formal's Mode says
        (_mapping("q", "n", "IN") + _mapping("q", "n", "OUT"), "n"),  # apart, as 2.2 allows
        (_mapping("q", " n ", "OUT") + _mapping("q", "n", "IN"), "n"),
    ],
    ids=["inout", "no-direction", "in-and-out", "out-and-in"],
)
def test_an_inout_formal_mapped_both_ways_is_one_actual(mappings: str, actual: str) -> None:
    pkg = _call(mappings)
    assert _body(pkg).actual_parameters == (actual,)
    assert _body(pkg).extras == () and pkg.load_diagnostics == ()


@pytest.mark.parametrize(
    ("mode", "mappings", "why"),
    [
        (
            "INOUT",
            _mapping("q", "n + 10", "IN"),
            "the INOUT formal parameter 'q' is mapped IN only",
        ),
        ("IN", _mapping("q", "n", "OUT"), "the IN formal parameter 'q' is mapped OUT only"),
        ("OUT", _mapping("q", "n", "IN"), "the OUT formal parameter 'q' is mapped IN only"),
        (
            "INOUT",
            _mapping("q", "n + 10", "IN") + _mapping("q", "n", "OUT"),
            "is mapped IN from 'n + 10' and OUT to 'n'",
        ),
        ("INOUT", _mapping("q", "n", "IN") + _mapping("q", "n", "IN"), "mapped twice"),
        ("IN", _mapping("q", "n", "SIDEWAYS"), "Direction='SIDEWAYS'"),
    ],
    ids=["in-only", "out-for-in", "in-for-out", "two-actuals", "twice", "unknown"],
)
def test_a_direction_a_call_cannot_say_keeps_the_mappings_with_a_warning(
    mode: str, mappings: str, why: str
) -> None:
    # it was read as a positional actual without a word: an IN-only expression for an INOUT
    # formal was then refused as "must be the name of a data field"
    pkg = _call(mappings, mode)
    body = _body(pkg)
    assert body.actual_parameters == ()
    assert [x.local_name for x in body.extras] == ["DataMappings"]  # written back as they were
    (warning,) = pkg.load_diagnostics
    assert warning.code == "xpdl-unreadable" and why in warning.message, warning.message
    assert "activity 'a'" in warning.message
    assert "Direction" in dump_xpdl(pkg).decode()


@pytest.mark.parametrize(
    ("direction", "also"),
    [
        ("IN", "the callee's value of it is also written back to 'n'"),
        ("OUT", "the value of 'n' is also passed in"),
    ],
)
def test_a_data_field_mapped_one_way_to_an_inout_formal_is_passed_with_a_warning(
    direction: str, also: str
) -> None:
    """Tools write Direction IN for a field they only pass in: keeping every mapping of the
    call as XML for it refused at deploy a file that ran (parameter-count: 0 passed)."""
    pkg = _call(_mapping("q", "n", direction))
    assert _body(pkg).actual_parameters == ("n",)
    assert _body(pkg).extras == ()
    (warning,) = pkg.load_diagnostics
    assert warning.code == "xpdl-unreadable"
    assert f"the INOUT formal parameter 'q' is mapped {direction} only" in warning.message
    assert also in warning.message


def test_an_actuals_own_language_is_kept() -> None:
    js = '<Actual ScriptType="text/javascript">parseInt("7")</Actual>'
    pkg = _call(f'<DataMapping Formal="q">{js}</DataMapping>', "IN")
    assert _body(pkg).actual_parameters == ('parseInt("7")',)
    assert _body(pkg).actual_parameter_attrs == ((("ScriptType", "text/javascript"),),)
    assert pkg.load_diagnostics == ()


def test_a_test_value_is_not_dropped_without_a_word() -> None:
    pkg = _call(
        '<DataMapping Formal="q" Direction="IN"><Actual>n</Actual>'
        "<TestValue>3</TestValue></DataMapping>",
        "IN",
    )
    assert _body(pkg).actual_parameters == ("n",)
    (warning,) = pkg.load_diagnostics
    assert "<TestValue> of the DataMapping of 'q'" in warning.message

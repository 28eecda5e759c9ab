"""An actual parameter's own ScriptType (2.2's FormalExpression, 2.1's ActualParameter and a
DataMapping's Actual are ExpressionType) names its language, as a condition's does: it was
dropped with a warning, so ``f.toUpperCase()`` in a native package refused the process, and
the written 2.2 lost it."""

from __future__ import annotations

import pytest

from wfengine import dump_xpdl, validate
from wfengine.definition.model import XPDL22_NS, TaskImplementation
from wfengine.definition.model_activities import actual_attrs
from wfengine.definition.xpdl.reader import read_package
from wfengine.runtime.engine import Engine

_JS = 'ScriptType="text/javascript"'
_FORMAL = f"<ActualParameter><FormalExpression {_JS}>f.toUpperCase()</FormalExpression>"
_PARAMETERS = f"<ActualParameters>{_FORMAL}</ActualParameter></ActualParameters>"
_MAPPINGS = (
    f'<DataMappings><DataMapping Formal="x" Direction="IN"><Actual {_JS}>f.toUpperCase()'
    "</Actual></DataMapping></DataMappings>"
)


def _package(call: str) -> bytes:
    return f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader/>
      <Applications><Application Id="app"><FormalParameters>
        <FormalParameter Id="x" Mode="IN"><DataType><BasicType Type="STRING"/></DataType>
        </FormalParameter></FormalParameters></Application></Applications>
      <WorkflowProcesses><WorkflowProcess Id="w"><ProcessHeader/><DataFields>
        <DataField Id="f"><DataType><BasicType Type="STRING"/></DataType>
          <InitialValue>'abc'</InitialValue></DataField>
      </DataFields><Activities>
        <Activity Id="b"><Implementation><Task><TaskApplication Id="app">{call}
        </TaskApplication></Task></Implementation></Activity>
      </Activities></WorkflowProcess></WorkflowProcesses></Package>""".encode()


@pytest.mark.parametrize("call", [_PARAMETERS, _MAPPINGS], ids=["formal-expression", "mapping"])
def test_an_actual_parameters_script_type_is_kept_followed_and_written(call: str) -> None:
    pkg = read_package(_package(call), schema=False)
    assert pkg.load_diagnostics == ()  # "attribute ScriptType ... is not kept"
    body = pkg.process("w").activity("b").body
    assert isinstance(body, TaskImplementation)
    assert dict(actual_attrs(body.tools[0], 0)) == {"ScriptType": "text/javascript"}
    assert validate(pkg) == []  # "method 'toUpperCase' is not available"
    written = dump_xpdl(pkg).decode()
    assert f"<FormalExpression {_JS}>f.toUpperCase()</FormalExpression>" in written
    assert read_package(written.encode()).process("w") == pkg.process("w")
    seen: list[str] = []
    with Engine() as engine:
        engine.applications.register("app", lambda x: seen.append(x))
        engine.deploy(pkg)
        engine.start_process("w")
    assert seen == ["ABC"]


def test_a_21_actual_parameters_own_script_type_is_its_language() -> None:
    doc = _package(
        f"<ActualParameters><ActualParameter {_JS}>f.toUpperCase()</ActualParameter>"
        "</ActualParameters>"
    ).replace(XPDL22_NS.encode(), b"http://www.wfmc.org/2008/XPDL2.1")
    pkg = read_package(doc, schema=False)
    assert pkg.load_diagnostics == () and validate(pkg) == []
    assert f"<FormalExpression {_JS}>" in dump_xpdl(pkg).decode()


def test_actuals_without_attributes_keep_the_model_as_it_was() -> None:
    plain = _package(
        "<ActualParameters><ActualParameter><FormalExpression>f</FormalExpression>"
        "</ActualParameter></ActualParameters>"
    )
    body = read_package(plain, schema=False).process("w").activity("b").body
    assert isinstance(body, TaskImplementation)
    assert body.tools[0].actual_parameter_attrs == ()

"""A comment or processing instruction inside a transition's condition text is no part of it,
and does not cut it short: ``amount <!-- EUR --> &gt; 500`` is the condition ``amount > 500``
(it once read as ``amount``, took the wrong way and was written so by convert)."""

from __future__ import annotations

import pytest

from wfengine import Engine, VirtualClock, dump_xpdl, load_xpdl, validate
from wfengine.definition.model import Condition, Package

_NS = {"1.0": "http://www.wfmc.org/2002/XPDL1.0", "2.2": "http://www.wfmc.org/2009/XPDL2.2"}


def _doc(condition: str, *, version: str, exception: str = "late") -> bytes:
    """A package whose transition 'big' -> 'e' holds ``condition`` (the Condition element's
    content, in the 1.0/JaWE form: text directly inside it) and 'big' -> 'e2' is OTHERWISE;
    activity 'w' has a deadline raising ``exception``, caught by transition 'caught'."""
    if version == "1.0":
        no = "<Implementation><No/></Implementation>"
        start, end, end2 = (f'<Activity Id="{i}">{no}</Activity>' for i in ("s", "e", "e2"))
    else:
        start = '<Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>'
        end, end2 = (
            f'<Activity Id="{i}"><Event><EndEvent Result="None"/></Event></Activity>'
            for i in ("e", "e2")
        )
    work = (
        '<Activity Id="w"><Implementation><No/></Implementation>'
        '<Deadline Execution="SYNCHR"><DeadlineDuration>P1D</DeadlineDuration>'
        f"<ExceptionName>{exception}</ExceptionName></Deadline></Activity>"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{_NS[version]}" Id="p" Name="P">
  <PackageHeader><XPDLVersion>{version}</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n">
      <ProcessHeader/>
      <DataFields>
        <DataField Id="amount"><DataType><BasicType Type="INTEGER"/></DataType></DataField>
      </DataFields>
      <Activities>{start}<Activity Id="big"><Route/></Activity>{work}{end}{end2}</Activities>
      <Transitions>
        <Transition Id="t1" From="s" To="big"/>
        <Transition Id="t2" From="big" To="e"><Condition Type="CONDITION">{condition}</Condition>
        </Transition>
        <Transition Id="t3" From="big" To="e2"><Condition Type="OTHERWISE"/></Transition>
        <Transition Id="caught" From="w" To="e2">
          <Condition Type="EXCEPTION">{exception}</Condition>
        </Transition>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


def _condition(package: Package, transition: str = "t2") -> Condition:
    found = next(t for t in package.process("wp").transitions if t.id == transition)
    assert found.condition is not None
    return found.condition


def _ran(package: Package, amount: int) -> set[str]:
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    instance = engine.create_instance("wp", data={"amount": amount})
    engine.start(instance)
    return {a.activity_id for a in engine.activity_instances(instance)}


@pytest.mark.parametrize("version", ["1.0", "2.2"])
@pytest.mark.parametrize(
    "condition",
    [
        "amount <!-- EUR --> &gt; 500",
        "amount &gt; <?vendor x?>500",
        "amo<!-- x -->unt &gt; 500",
        "<!-- over the limit -->amount &gt; 500<!-- end -->",
    ],
)
def test_a_comment_in_the_condition_text_does_not_cut_it_short(
    version: str, condition: str
) -> None:
    package = load_xpdl(_doc(condition, version=version))
    expression = _condition(package).expression
    assert expression is not None
    assert expression.split() == ["amount", ">", "500"]
    assert not [d for d in validate(package) if d.code.startswith("expression")]
    # the engine decides with the whole condition: 10 is not over 500
    assert "e2" in _ran(package, 10) and "e" not in _ran(package, 10)
    assert "e" in _ran(package, 900)
    # and a converted file keeps it whole
    again = load_xpdl(dump_xpdl(package))
    assert _condition(again).expression == expression


def test_a_comment_beside_an_expression_element_is_still_no_part_of_it() -> None:
    condition = "<!-- a --><Expression>amount <!-- b -->&gt; 500</Expression><!-- c -->"
    package = load_xpdl(_doc(condition, version="2.2"))
    assert _condition(package).expression == "amount > 500"


@pytest.mark.parametrize("version", ["1.0", "2.2"])
def test_a_comment_in_an_exception_transitions_name_does_not_cut_it_short(version: str) -> None:
    source = _doc("amount &gt; 500", version=version, exception="late_payment").replace(
        b'<Condition Type="EXCEPTION">late_payment',
        b'<Condition Type="EXCEPTION">late<!-- from the deadline -->_payment',
    )
    package = load_xpdl(source)
    assert _condition(package, "caught").expression == "late_payment"
    assert not [d for d in validate(package) if d.code.startswith("deadline")]

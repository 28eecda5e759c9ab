"""XPDL 1.0 numbers a formal parameter's position with ``Index``. It was read and kept but
ignored without a word: an Application listing ``result`` (Index 2, OUT) before ``amount``
(Index 1, IN) was called with amount = the second actual, and its OUT result overwrote the
first. The parameters still bind in the order written (as every earlier wfengine bound them,
so that a redeploy of an unchanged file keeps the versions its running instances were compiled
with), and ``parameter-index`` warns, saying how to list them."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, validate
from wfengine.definition.io import dump_xpdl, load_xpdl

_INTEGER = '<DataType><BasicType Type="INTEGER"/></DataType>'


def _package(result_index: str | None, amount_index: str | None, *more: str) -> bytes:
    """An Application ``calc`` listing ``result`` (OUT) before ``amount`` (IN), with these
    Indexes (None: no Index), then an IN ``extra`` for each Index in ``more``, and a process
    calling it with the actuals x (5) and y (0)."""

    def index(value: str | None) -> str:
        return "" if value is None else f' Index="{value}"'

    extra = "".join(
        f'<FormalParameter Id="extra{i}" Index="{n}" Mode="IN">{_INTEGER}</FormalParameter>'
        for i, n in enumerate(more)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2002/XPDL1.0" Id="pt" Name="pt">
  <PackageHeader><XPDLVersion>1.0</XPDLVersion><Vendor>x</Vendor><Created>2003</Created>
  </PackageHeader>
  <Applications><Application Id="calc"><FormalParameters>
    <FormalParameter Id="result"{index(result_index)} Mode="OUT">{_INTEGER}</FormalParameter>
    <FormalParameter Id="amount"{index(amount_index)} Mode="IN">{_INTEGER}</FormalParameter>
    {extra}
  </FormalParameters></Application></Applications>
  <WorkflowProcesses><WorkflowProcess Id="main"><ProcessHeader/>
    <DataFields>
      <DataField Id="x">{_INTEGER}<InitialValue>5</InitialValue></DataField>
      <DataField Id="y">{_INTEGER}<InitialValue>0</InitialValue></DataField>
    </DataFields>
    <Activities><Activity Id="tool"><Implementation>
      <Tool Id="calc" Type="APPLICATION"><ActualParameters>
        <ActualParameter>x</ActualParameter><ActualParameter>y</ActualParameter>
      </ActualParameters></Tool>
    </Implementation></Activity></Activities>
  </WorkflowProcess></WorkflowProcesses>
</Package>""".encode()


def _run(xpdl: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    calls: list[dict[str, Any]] = []

    def calc(**given: Any) -> dict[str, Any]:
        calls.append(given)
        return {"result": given["amount"] * 10}

    engine = Engine()
    engine.applications.register("calc", calc)
    engine.deploy(load_xpdl(xpdl))
    instance = engine.instance(engine.start_process("main"))
    return dict(instance.data), calls


def test_a_list_out_of_index_order_binds_as_written_with_a_warning_saying_how_to_list_it() -> None:
    xpdl = _package("2", "1")
    [finding] = [d for d in validate(load_xpdl(xpdl)) if d.code == "parameter-index"]
    assert (finding.severity.value, finding.element_id, finding.line) == ("warning", "calc", 5)
    assert "application 'calc' are listed out of their Index order" in finding.message
    assert "bound in the order written ('result' and 'amount')" in finding.message
    assert "not in Index order ('amount' and 'result'): list them in Index order" in finding.message
    data, calls = _run(xpdl)
    assert calls == [{"amount": 0}]  # y, the second actual, meets amount, listed second
    # listed in Index order, they bind so
    fixed = xpdl.replace(b'<FormalParameter Id="result" Index="2" Mode="OUT">', b"@@").replace(
        b'<FormalParameter Id="amount" Index="1" Mode="IN">',
        b'<FormalParameter Id="result" Index="2" Mode="OUT">',
    )
    fixed = fixed.replace(b"@@", b'<FormalParameter Id="amount" Index="1" Mode="IN">', 1)
    assert [d.code for d in validate(load_xpdl(fixed)) if d.code == "parameter-index"] == []
    data, calls = _run(fixed)
    assert calls == [{"amount": 5}]
    assert (data["x"], data["y"]) == (5, 50)


def test_a_written_22_file_keeps_the_order_written() -> None:
    package = load_xpdl(_package("2", "1"))
    [app] = package.applications
    assert [(p.id, p.index) for p in app.formal_parameters] == [("result", "2"), ("amount", "1")]
    again = load_xpdl(dump_xpdl(package))
    [app] = again.applications
    assert [(p.id, p.index) for p in app.formal_parameters] == [("result", "2"), ("amount", "1")]


@pytest.mark.parametrize(
    ("indexes", "why"),
    [
        (("1", "1"), "Index 1 is given to 'result' and 'amount'"),
        (("01", "1"), "Index 1 is given to 'result' and 'amount'"),
        (("two", "1"), "'result' has Index 'two', which is no whole number"),
        (("-2", "1"), "'result' has Index '-2', which is no whole number"),
        (("3", None, "1"), "'amount' has no Index, and the others are out of Index order"),
    ],
)
def test_indexes_that_give_no_order_leave_document_order_with_a_warning(
    indexes: tuple[str | None, ...], why: str
) -> None:
    package = load_xpdl(_package(*indexes))  # type: ignore[arg-type]
    [app] = package.applications
    assert [p.id for p in app.formal_parameters][:2] == ["result", "amount"]
    [finding] = [d for d in validate(package) if d.code == "parameter-index"]
    assert (finding.severity.value, finding.element_id, finding.line) == ("warning", "calc", 5)
    assert f"application 'calc' do not each have a distinct whole-number Index ({why})" in (
        finding.message
    )
    assert "bound in the order written ('result'" in finding.message


@pytest.mark.parametrize("indexes", [(None, None), ("1", None), (None, "2"), ("0", None, "4")])
def test_a_list_no_index_contradicts_is_read_as_written_and_not_reported(
    indexes: tuple[str | None, ...],
) -> None:
    package = load_xpdl(_package(*indexes))  # type: ignore[arg-type]
    [app] = package.applications
    assert [p.id for p in app.formal_parameters][:2] == ["result", "amount"]
    assert [d.code for d in validate(package) if d.code == "parameter-index"] == []


def test_a_22_document_binds_in_document_order_whatever_its_wfe_index_says() -> None:
    written = dump_xpdl(load_xpdl(_package("2", "1")))  # result (Index 2) before amount (1)
    assert b'wfe:Index="2"' in written or b':Index="2"' in written
    [app] = load_xpdl(written).applications
    assert [p.id for p in app.formal_parameters] == ["result", "amount"]
    assert [d.code for d in validate(load_xpdl(written)) if d.code == "parameter-index"] == []


def test_a_long_list_is_named_by_its_first_five_and_how_many_more() -> None:
    # 3,000 formal parameters out of Index order made a 76,000-character warning
    many = "".join(
        f'<FormalParameter Id="p{i}" Index="{3000 - i}" Mode="IN">{_INTEGER}</FormalParameter>'
        for i in range(3000)
    )
    xpdl = _package("2", "1").replace(
        b"</FormalParameters>", many.encode() + b"</FormalParameters>"
    )
    [finding] = [d for d in validate(load_xpdl(xpdl)) if d.code == "parameter-index"]
    assert len(finding.message) < 800, len(finding.message)
    assert "and 2,997 more" in finding.message

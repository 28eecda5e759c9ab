"""A 2.1 DataMappings call that cannot be read as actual parameters (a formal left out, a
name no formal has, a Direction a call cannot say) is refused, as it was; its
``parameter-count`` error said "passes 0 actual parameter(s)" about a call whose file maps one,
and now says what the mappings map."""

from __future__ import annotations

import pytest

from wfengine import validate
from wfengine.definition.io import load_xpdl

_INTEGER = '<DataType><BasicType Type="INTEGER"/></DataType>'


def _package(mappings: str) -> bytes:
    """An application ``calc`` (amount IN, log OUT) that activity ``sub`` calls with these
    DataMappings."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="p21" Name="p21">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>x</Vendor><Created>2009</Created>
  </PackageHeader>
  <Applications><Application Id="calc"><FormalParameters>
    <FormalParameter Id="amount" Mode="IN">{_INTEGER}</FormalParameter>
    <FormalParameter Id="log" Mode="OUT">{_INTEGER}</FormalParameter>
  </FormalParameters></Application></Applications>
  <WorkflowProcesses><WorkflowProcess Id="main"><ProcessHeader/>
    <DataFields><DataField Id="x">{_INTEGER}<InitialValue>5</InitialValue></DataField>
    </DataFields>
    <Activities><Activity Id="sub"><Implementation><Task><TaskApplication Id="calc">
      <DataMappings>{mappings}</DataMappings>
    </TaskApplication></Task></Implementation></Activity></Activities>
  </WorkflowProcess></WorkflowProcesses>
</Package>""".encode()


def _mapping(formal: str, direction: str, actual: str) -> str:
    return (
        f'<DataMapping Formal="{formal}" Direction="{direction}">'
        f"<Actual>{actual}</Actual></DataMapping>"
    )


@pytest.mark.parametrize(
    ("mappings", "says"),
    [
        (
            _mapping("amount", "IN", "x"),
            "maps 1 of the 2 formal parameter(s) of application "
            "'calc' in its DataMappings ('log' is not mapped)",
        ),
        (
            _mapping("amount", "IN", "x") + _mapping("lgo", "OUT", "x"),
            "maps 1 of the 2 formal "
            "parameter(s) of application 'calc' in its DataMappings ('log' is not mapped; 'lgo' "
            "names no formal)",
        ),
        (
            "",
            "maps 0 of the 2 formal parameter(s) of application 'calc' in its DataMappings "
            "('amount' and 'log' are not mapped)",
        ),
        (
            _mapping("amount", "IN", "x") + _mapping("log", "IN", "x + 1"),
            "maps 2 of the 2 "
            "formal parameter(s) of application 'calc' in its DataMappings (the xpdl-unreadable "
            "warning on them says why they cannot be read)",
        ),
    ],
)
def test_the_count_error_says_what_the_mappings_map(mappings: str, says: str) -> None:
    found = validate(load_xpdl(_package(mappings)))
    [count] = [d for d in found if d.code == "parameter-count"]
    assert count.severity.value == "error"  # still refused
    assert count.message.startswith(f"activity 'sub' in process 'main' {says}; "), count.message
    assert "passes 0" not in count.message
    assert [d.code for d in found if d.code == "xpdl-unreadable"] == ["xpdl-unreadable"]


def test_a_positional_call_still_counts_its_actuals() -> None:
    xpdl = _package("").replace(
        b"<DataMappings></DataMappings>",
        b"<ActualParameters><ActualParameter>x</ActualParameter></ActualParameters>",
    )
    [count] = [d for d in validate(load_xpdl(xpdl)) if d.code == "parameter-count"]
    assert "passes 1 actual parameter(s) to application 'calc', which declares 2" in (count.message)


def test_long_and_many_names_keep_the_message_short() -> None:
    # a Formal of 100,000 characters made a 100,239-character error; 3,000 of them listed all
    many = "".join(_mapping(f"f{i}", "IN", "x") for i in range(3_000))
    for mappings in (_mapping("a" * 100_000, "IN", "x"), many):
        [finding] = [
            d for d in validate(load_xpdl(_package(mappings))) if d.code == "parameter-count"
        ]
        assert len(finding.message) < 600, len(finding.message)
    assert "and 2,995 more name no formal" in finding.message

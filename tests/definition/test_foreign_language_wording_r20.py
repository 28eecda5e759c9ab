"""``expression-foreign`` on a text in a script language wfengine does not read at all
(``ScriptType="xpath"``) says so once, and that the text is not wfengine's own language
either: it read "is in a script language wfengine does not read beyond what wfengine
reads"."""

from __future__ import annotations

from wfengine import load_xpdl, validate

_NS = "http://www.wfmc.org/2009/XPDL2.2"


def condition_text(expression: str, script_type: str) -> str:
    """A package whose transition t2's condition is ``expression`` in ``script_type``."""
    return f"""<?xml version="1.0"?>
<Package xmlns="{_NS}" Id="pkg"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
<Vendor>t</Vendor><Created>2024</Created></PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P"><ProcessHeader/>
<DataFields><DataField Id="x"><DataType><BasicType Type="INTEGER"/></DataType>
<InitialValue>1</InitialValue></DataField></DataFields>
<Activities><Activity Id="s"><Event><StartEvent/></Event></Activity>
<Activity Id="a"><Route/><TransitionRestrictions><TransitionRestriction>
<Split Type="Exclusive"><TransitionRefs><TransitionRef Id="t2"/><TransitionRef Id="t3"/>
</TransitionRefs></Split></TransitionRestriction></TransitionRestrictions></Activity>
<Activity Id="e"><Event><EndEvent/></Event></Activity></Activities>
<Transitions><Transition Id="t1" From="s" To="a"/>
<Transition Id="t2" From="a" To="e"><Condition Type="CONDITION"><Expression
 ScriptType="{script_type}"><![CDATA[{expression}]]></Expression></Condition></Transition>
<Transition Id="t3" From="a" To="e"><Condition Type="OTHERWISE"/></Transition>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>"""


def condition_findings(expression: str, script_type: str) -> list[tuple[str, str]]:
    """(code, message) of each finding on transition t2, whose condition is ``expression``."""
    package = load_xpdl(condition_text(expression, script_type).encode(), schema=False)
    return [(d.code, d.message) for d in validate(package) if d.element_id == "t2"]


def test_a_text_in_a_language_wfengine_does_not_read_is_said_so_once() -> None:
    assert condition_findings("/foo/bar[", "xpath") == [
        (
            "expression-foreign",
            "the condition of transition 't2' in process 'P' is in a script language wfengine "
            "does not read, and is no expression in wfengine's own language either ('[' was "
            "never closed; in '/foo/bar['); an instance reaching it stops with an incident",
        )
    ]


def test_a_java_text_beyond_what_wfengine_reads_is_said_so_as_before() -> None:
    assert condition_findings("x is null", "java") == [
        (
            "expression-foreign",
            "the condition of transition 't2' in process 'P' is in Java beyond what wfengine "
            "reads ('is' is a plain name in Java, not Python's keyword; write '==' (or '!='); "
            "in 'x is null'); an instance reaching it stops with an incident",
        )
    ]


def test_the_incident_says_it_once_too() -> None:
    # at run time it read "expression in a script language wfengine does not read that
    # wfengine does not read (...)"
    from wfengine import Engine

    text = condition_text("/foo/bar[", "xpath")
    engine = Engine()
    engine.deploy(load_xpdl(text.encode(), schema=False))
    iid = engine.start_process("P")
    (incident,) = engine.incidents(iid)
    assert "expression in a script language wfengine does not read (" in incident.message
    assert "that wfengine does not read" not in incident.message

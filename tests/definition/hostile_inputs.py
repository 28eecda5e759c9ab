"""Generators of hostile XPDL documents (issue 8, item 7): big in one dimension, small otherwise.

Each shape once took minutes or all memory somewhere in loading, validating, rendering or
converting. The tests build them scaled down (still large enough for quadratic work to show);
the same functions, run with the issue's sizes, are how the before/after timings were taken::

    python -c "from tests.definition.hostile_inputs import *; \\
        open('a.xpdl', 'wb').write(many_package_attributes(200_000))"
"""

from __future__ import annotations

XPDL22 = "http://www.wfmc.org/2009/XPDL2.2"

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Package xmlns="' + XPDL22 + '" Id="pkg"{attrs}>\n'
    "<PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>tests</Vendor>"
    "<Created>2024-01-01</Created></PackageHeader>\n"
)


def _package(body: str, *, attrs: str = "") -> bytes:
    return (_HEADER.format(attrs=attrs) + body + "</Package>\n").encode("utf-8")


def _process(activities: str, transitions: str) -> str:
    return (
        '<WorkflowProcesses><WorkflowProcess Id="wp" Name="hostile"><ProcessHeader/>\n'
        f"<Activities>\n{activities}</Activities>\n"
        f"<Transitions>\n{transitions}</Transitions>\n"
        "</WorkflowProcess></WorkflowProcesses>\n"
    )


_START = '<Activity Id="start"><Event><StartEvent Trigger="None"/></Event></Activity>\n'
_END = '<Activity Id="end"><Event><EndEvent Result="None"/></Event></Activity>\n'
_SMALL_PROCESS = _process(_START + _END, '<Transition Id="t" From="start" To="end"/>\n')


def many_package_attributes(count: int) -> bytes:
    """A valid little package whose ``<Package>`` carries ``count`` unknown attributes.

    The issue's case is 200,000 (2.3 MB). Every such attribute is kept in ``extra_attrs``,
    and the schema check reports each as a violation.
    """
    attrs = "".join(f' a{i}="v"' for i in range(count))
    return _package(_SMALL_PROCESS, attrs=attrs)


def long_activity_name(length: int) -> bytes:
    """A start, one task named with ``length`` characters, and an end (the issue: 10 MB)."""
    name = "N" * length
    task = f'<Activity Id="task" Name="{name}"><Implementation><No/></Implementation></Activity>\n'
    transitions = (
        '<Transition Id="t1" From="start" To="task"/>\n<Transition Id="t2" From="task" To="end"/>\n'
    )
    return _package(_process(_START + task + _END, transitions))


def many_activities(count: int) -> bytes:
    """A chain start → ``count`` tasks → end, each activity with the usual children.

    The issue's case is 58,000 activities in 15.7 MB. Each task carries a performer, an
    implementation and an extended attribute in an order that is not the schema's, so the
    writer has real sorting to do.
    """
    tasks = []
    transitions = ['<Transition Id="t0" From="start" To="a0"/>\n']
    for i in range(count):
        tasks.append(
            f'<Activity Id="a{i}" Name="Task {i}">'
            "<Performers><Performer>clerk</Performer></Performers>"
            "<Implementation><No/></Implementation>"
            '<ExtendedAttributes><ExtendedAttribute Name="k" Value="v"/></ExtendedAttributes>'
            "</Activity>\n"
        )
        after = f"a{i + 1}" if i + 1 < count else "end"
        transitions.append(f'<Transition Id="t{i + 1}" From="a{i}" To="{after}"/>\n')
    participants = (
        '<Participants><Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>'
        "</Participants>\n"
    )
    return _package(participants + _process(_START + "".join(tasks) + _END, "".join(transitions)))


def deep_nesting(depth: int) -> bytes:
    """A package with a vendor element nested ``depth`` levels deep inside it."""
    opening = '<x:e xmlns:x="urn:vendor">' + "<x:e>" * (depth - 1)
    closing = "</x:e>" * depth
    return _package(_SMALL_PROCESS + opening + closing + "\n")


def long_text(length: int) -> bytes:
    """A package whose RedefinableHeader's Author is one text node of ``length`` characters."""
    body = (
        "<RedefinableHeader><Author>"
        + "t" * length
        + "</Author></RedefinableHeader>\n"
        + _SMALL_PROCESS
    )
    return _package(body)


def many_attributes_inside(count: int) -> bytes:
    """``count`` unknown attributes on an activity, a vendor element and an unqualified one in it.

    Half the activity's are in a namespace declared on the activity itself (not on the root),
    so the writer must declare it where it puts them; the vendor elements have content, which
    must stay theirs.
    """
    plain = "".join(f' a{i}="v{i}"' for i in range(count // 2))
    spaced = "".join(f' w:b{i}="&lt;{i}&gt;"' for i in range(count - count // 2))
    vendor = "".join(f' c{i}="{i}"' for i in range(count))
    task = (
        f'<Activity Id="task" xmlns:w="urn:where"{plain}{spaced}>'
        "<Implementation><No/></Implementation>"
        f'<v:box xmlns:v="urn:vendor"{vendor}><v:inner v:k="1">text</v:inner>tail'
        f'<bare xmlns=""{vendor}><inner/></bare></v:box>'
        "</Activity>\n"
    )
    transitions = (
        '<Transition Id="t1" From="start" To="task"/>\n<Transition Id="t2" From="task" To="end"/>\n'
    )
    return _package(_process(_START + task + _END, transitions))

"""Validating and deploying a process take time linear in its number of activity sets: the
checks of each set (its starts, its event sub-processes, the set a block runs, how deep blocks
nest, whether a block runs its own set) and the compile of each block's graph once walked all
of the process's sets again, so 2,000 sets took ~14 s to validate and ~17 s to deploy, and
4,000 nested ones ~26 s just to say ``block-depth``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wfengine import Engine, validate
from wfengine.definition.io import load_xpdl
from wfengine.definition.model import ActivitySet, Package

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="d" Name="d">'
    "<PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>x</Vendor><Created>2009</Created>"
    '</PackageHeader><WorkflowProcesses><WorkflowProcess Id="main"><ProcessHeader/>'
)
_TAIL = "</WorkflowProcess></WorkflowProcesses></Package>"
_NO = "<Implementation><No/></Implementation>"


def _flat(count: int) -> str:
    """``count`` blocks in a row at the top level, each running its own activity set (an
    activity, then a Reference to it), and one event sub-process on a message."""
    sets = "".join(
        f'<ActivitySet Id="S{i}"><Activities><Activity Id="a{i}">{_NO}</Activity>'
        f'<Activity Id="r{i}"><Implementation><Reference ActivityId="a{i}"/></Implementation>'
        f'</Activity></Activities><Transitions><Transition Id="u{i}" From="a{i}" To="r{i}"/>'
        "</Transitions></ActivitySet>"
        for i in range(count)
    )
    sets += (
        '<ActivitySet Id="E" TriggeredByEvent="true"><Activities><Activity Id="e">'
        '<Event><StartEvent Trigger="Message"/></Event></Activity></Activities></ActivitySet>'
    )
    blocks = "".join(
        f'<Activity Id="b{i}"><BlockActivity ActivitySetId="S{i}"/></Activity>'
        for i in range(count)
    )
    blocks += '<Activity Id="sub"><BlockActivity ActivitySetId="E"/></Activity>'
    ways = "".join(f'<Transition Id="t{i}" From="b{i}" To="b{i + 1}"/>' for i in range(count - 1))
    return (
        f"{_HEAD}<ActivitySets>{sets}</ActivitySets><Activities>{blocks}</Activities>"
        f"<Transitions>{ways}</Transitions>{_TAIL}"
    )


def _nested(count: int) -> str:
    """A block running S1, whose block runs S2, ... down to S``count``."""
    sets = "".join(
        f'<ActivitySet Id="S{i}"><Activities><Activity Id="a{i}">'
        + (f'<BlockActivity ActivitySetId="S{i + 1}"/>' if i < count else _NO)
        + "</Activity></Activities></ActivitySet>"
        for i in range(1, count + 1)
    )
    top = '<Activity Id="outer"><BlockActivity ActivitySetId="S1"/></Activity>'
    return f"{_HEAD}<ActivitySets>{sets}</ActivitySets><Activities>{top}</Activities>{_TAIL}"


class _CountingSets(tuple[ActivitySet, ...]):
    """A process's activity sets, counting each one handed out by a walk over them."""

    handed_out = 0

    def __iter__(self) -> Iterator[ActivitySet]:
        for s in super().__iter__():
            _CountingSets.handed_out += 1
            yield s


def _counted(xpdl: str) -> Package:
    package = load_xpdl(xpdl.encode())
    process = package.workflow_processes[0]
    object.__setattr__(process, "activity_sets", _CountingSets(process.activity_sets))
    _CountingSets.handed_out = 0
    return package


@pytest.mark.parametrize("deploy", [False, True])
def test_the_checks_and_the_compile_walk_the_activity_sets_a_bounded_number_of_times(
    deploy: bool,
) -> None:
    count = 150
    package = _counted(_flat(count))
    if deploy:
        Engine().deploy(package)
    else:
        found = validate(package)
        assert [d.code for d in found if d.severity.value == "error"] == []
    # a walk of every set per set (and per block) made several times count**2 (150,000 and
    # more); now each check walks them once or twice: ~20 walks in all
    assert _CountingSets.handed_out <= 30 * count, _CountingSets.handed_out


def test_nested_blocks_are_measured_without_walking_the_chain_per_block() -> None:
    count = 150
    package = _counted(_nested(count))
    found = [(d.code, d.element_id) for d in validate(package) if d.code.startswith("block-")]
    assert found == [("block-depth", "outer")]  # said once, at the outermost block
    assert _CountingSets.handed_out <= 30 * count, _CountingSets.handed_out


def test_a_block_running_its_own_set_again_is_still_found() -> None:
    xpdl = _nested(3).replace(
        f'<Activity Id="a3">{_NO}', '<Activity Id="a3"><BlockActivity ActivitySetId="S2"/>'
    )
    found = [(d.code, d.element_id) for d in validate(load_xpdl(xpdl.encode()))]
    assert ("block-recursion", "a3") in found
    assert ("block-recursion", "a2") in found
    assert ("block-recursion", "a1") not in found  # S1 is not run from S2 or S3

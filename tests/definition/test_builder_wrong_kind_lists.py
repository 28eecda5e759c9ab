"""Builder list arguments given something that is no list: a BuildError at the call naming the
activity, event, package or process and the keyword, as the other wrong-kind arguments are.

Before, ``deadlines=5`` (or ``None``, ``1.5``, ``True``), ``tools=5``, ``start(detail=5)`` and
``extended_attribute("x", content=5)`` on a PackageBuilder or ProcessBuilder raised a bare
``TypeError: 'int' object is not iterable`` from inside the builder; a deadline or tool call
model given bare (not in a list) was read field by field, and refused with a message about
a deadline called ``'line'``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import BuildError, PackageBuilder, deadline
from wfengine.definition.builder import ProcessBuilder
from wfengine.definition.model import ExtendedAttribute, ToolCall, XmlNode


def _process() -> ProcessBuilder:
    return PackageBuilder("p").process("proc")


_DEADLINES = r"activity 'a': deadlines= is a list of deadlines .*, not "


@pytest.mark.parametrize(
    ("make", "says"),
    [
        *(
            (lambda bad=bad: _process().activity("a", deadlines=bad), _DEADLINES + repr(bad))
            for bad in (5, None, 1.5, True)
        ),
        (
            lambda: _process().activity("a", deadlines=deadline("PT1H", "late")),
            _DEADLINES + "Deadline",
        ),
        (
            lambda: _process().activity("a", tools=5),
            r"activity 'a': tools= is a list of \(application, \[actual parameters\]\), not 5",
        ),
        (
            lambda: _process().activity("a", tools=ToolCall(application_id="app")),
            r"activity 'a': tools= is a list of .*, not ToolCall",
        ),
        (
            lambda: _process().start("s", detail=5),
            r"event 's': detail= is a list of XmlNode, not 5",
        ),
        (
            lambda: _process().end("e", detail=None),
            r"event 'e': detail= is a list of XmlNode, not None",
        ),
        (
            lambda: _process().extended_attribute("x", content=5),
            r"process 'proc': extended attribute 'x': content= is a list of XmlNode, not 5",
        ),
        (
            lambda: PackageBuilder("p").extended_attribute("x", content=5),
            r"package 'p': extended attribute 'x': content= is a list of XmlNode, not 5",
        ),
        (
            lambda: PackageBuilder("p").extended_attribute("x", content="<a/>"),
            r"package 'p': extended attribute 'x': content= is a list of XmlNode, not '<a/>'",
        ),
        (
            lambda: _process().extended_attribute("x", value=5),
            r"process 'proc': extended attribute 'x': its value is text or None, not 5",
        ),
    ],
)
def test_a_wrong_kind_is_a_build_error_naming_where(make: Callable[[], object], says: str) -> None:
    with pytest.raises(BuildError, match=says):
        make()


def test_the_lists_still_build() -> None:
    node = XmlNode(tag="vendor")
    b = PackageBuilder("p").extended_attribute("k", "v", content=[node])
    p = b.process("proc").extended_attribute("k", content=(node,))
    p.start("s").activity(
        "a", tools=[("app", ["x"])], deadlines=[("PT1H", "late"), deadline("PT2H", "later")]
    )
    p.end("e").sequence("s", "a", "e")
    package = b.build()
    assert package.extended_attributes == (ExtendedAttribute(name="k", value="v", content=(node,)),)
    process = package.process("proc")
    assert process.extended_attributes == (ExtendedAttribute(name="k", content=(node,)),)
    activity = process.activity("a")
    assert [d.exception_name for d in activity.deadlines] == ["late", "later"]

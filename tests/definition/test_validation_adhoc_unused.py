"""``AdHocCompletionCondition`` or ``AdHocOrdering="Sequential"`` on a scope without
``AdHoc="true"`` is a warning (``adhoc-unused``): the engine ignores both there, so the
condition never ends the set and its activities run at once, which validation did not say."""

from __future__ import annotations

from wfengine import PackageBuilder, dump_xpdl, load_xpdl, validate
from wfengine.definition.model import Package


def _document(ordering: str, completion: str | None, *, adhoc: bool = False) -> Package:
    pb = PackageBuilder("p")
    p = pb.process("x").data_field("n", "INTEGER", initial="0").participant("r")
    s = p.activity_set("todo", adhoc=ordering, completion=completion)
    s.activity("x1", performer="r").activity("x2", performer="r")
    p.start("s").block("b", activity_set="todo").end("e").sequence("s", "b", "e")
    xml = dump_xpdl(pb.build())
    assert b'AdHoc="true"' in xml
    # as a tool that leaves AdHoc out writes it (the builder refuses the like)
    return load_xpdl(xml if adhoc else xml.replace(b'AdHoc="true"', b""))


def _found(package: Package) -> list[tuple[str, str, str | None, str]]:
    return [(d.severity.value, d.code, d.element_id, d.message) for d in validate(package)]


def test_a_completion_condition_and_sequential_ordering_without_adhoc_are_a_warning() -> None:
    [(severity, code, element, message)] = _found(_document("Sequential", "n > 0"))
    assert (severity, code, element) == ("warning", "adhoc-unused", "todo")
    assert "activity set 'todo' of process 'x'" in message
    assert "AdHocCompletionCondition 'n > 0'" in message
    assert "AdHocOrdering 'Sequential'" in message


def test_a_completion_condition_alone_without_adhoc_is_a_warning() -> None:
    [(_, code, _, message)] = _found(_document("Parallel", "n > 0"))
    assert code == "adhoc-unused" and "AdHocOrdering" not in message


def test_a_parallel_ordering_alone_and_an_adhoc_set_are_no_finding() -> None:
    assert _found(_document("Parallel", None)) == []  # the schema's default, written anywhere
    assert _found(_document("Sequential", "n > 0", adhoc=True)) == []

"""A deadline whose exception no transition of its activity catches, where the activity's
EXCEPTION transitions show a catch was meant (a misspelt name), is warned about; an escalation
drawn that way would never run."""

from __future__ import annotations

from wfengine import PackageBuilder, deadline, validate
from wfengine.definition.diagnostics import Diagnostic, Severity


def _found(
    raised: str,
    caught: str | None,
    *,
    application: bool = False,
    default: bool = False,
) -> list[Diagnostic]:
    b = PackageBuilder("p")
    b.participant("clerk")
    if application:
        b.application("app")
    p = b.process("P")
    late = [deadline("PT1H", raised)]
    if application:
        p.start("s").activity("a", tool="app", deadlines=late)
    else:
        p.start("s").activity("a", performer="clerk", deadlines=late)
    p.activity("escalate", performer="clerk").end("e").end("e2")
    p.sequence("s", "a", "e")
    if caught is not None:
        p.transition("a", "escalate", exception=caught)
    if default:
        p.transition("a", "escalate", default_exception=True)
    if caught is not None or default:
        p.sequence("escalate", "e2")
    return [d for d in validate(b.build()) if d.code == "deadline-uncaught"]


def test_a_misspelt_exception_is_warned_on_the_activity() -> None:
    found = _found("late", "Late")
    assert [(d.severity, d.element_id) for d in found] == [(Severity.WARNING, "a")]
    assert "'late'" in found[0].message and "case" in found[0].message


def test_another_name_on_a_task_only_deadlines_raise_is_warned() -> None:
    assert len(_found("late", "overdue")) == 1


def test_a_matching_or_catch_all_transition_is_fine() -> None:
    assert _found("late", "late") == []
    assert _found("late", "other", default=True) == []


def test_a_deadline_with_no_named_catch_only_marks_lateness() -> None:
    assert _found("late", None) == []


def test_an_application_may_raise_the_other_name() -> None:
    assert _found("late", "IOError", application=True) == []
    assert len(_found("late", "LATE", application=True)) == 1

"""``wfengine:escalate-to`` naming no participant of the process or package (a typo) is
reported as a performer naming none is (``undefined-participant``, a warning: it may be a
role, unit or user of the directory); at run time such an escalation goes to the supervisors
(tests/worklist/test_reminders.py)."""

from __future__ import annotations

from wfengine import PackageBuilder, validate


def _findings(escalate_to: str, *, declare: str = "manager") -> list[tuple[str, str]]:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.participant("clerk")
    p.participant(declare)
    late = {"wfengine:escalate-after": "PT1H", "wfengine:escalate-to": escalate_to}
    p.activity("quote", performer="clerk", extended=late)
    return [(f.code, f.message) for f in validate(pb.build())]


def test_an_escalation_to_no_participant_is_a_warning() -> None:
    assert _findings("managr") == [
        (
            "undefined-participant",
            "activity 'quote' in process 'p' has wfengine:escalate-to 'managr', which is no "
            "participant of the process or package",
        )
    ]


def test_an_escalation_to_a_declared_participant_is_clean() -> None:
    assert _findings("manager") == []

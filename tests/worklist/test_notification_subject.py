"""A notification's subject is one line: an e-mail header cannot hold a line break, and an
activity Id holding one (a deploy accepts it, ``validate`` only warns ``id-syntax``) made
every e-mail of its work fail "cannot build the message", retried for hours, sent to no one."""

from __future__ import annotations

from email.message import EmailMessage

from wfengine.worklist.notifiers import Notification


def test_the_subject_of_an_activity_id_with_a_line_break_is_one_line() -> None:
    note = Notification("k", "offered", "wi-1", "pi-1", "answer\nquickly", ("alice",))
    assert "\n" not in note.subject and "answer" in note.subject and "quickly" in note.subject
    message = EmailMessage()
    message["Subject"] = note.subject  # (raised ValueError: Header values may not contain linefeed)
    assert message["Subject"] == note.subject

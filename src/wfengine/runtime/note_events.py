"""The audit events of deleting a comment or an attachment (:mod:`wfengine.worklist.notes`).

Why: a refused delete was in the instance's trail (``operation.refused``) but the deletion
that happened was not, so the trail showed the attempt that failed and not who removed what.
Adding a note is not recorded here: the note itself, with its author and time, is the
record until it is deleted. The event names who deleted it and who wrote it, never its text
or content (which may be what was to be removed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self


@dataclass(frozen=True, slots=True)
class CommentDeleted:
    """``user`` deleted comment ``comment`` that ``author`` wrote (on work item
    ``work_item``, or on the instance as a whole)."""

    KIND: ClassVar[str] = "comment.deleted"
    comment: str
    user: str
    author: str
    work_item: str | None = None

    def detail(self) -> Any:
        found = {"comment": self.comment, "user": self.user, "author": self.author}
        if self.work_item is not None:
            found["work_item"] = self.work_item
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["comment"], detail["user"], detail["author"], detail.get("work_item"))


@dataclass(frozen=True, slots=True)
class AttachmentDeleted:
    """``user`` deleted attachment ``attachment`` (file ``name``) that ``author`` attached
    (to work item ``work_item``, or to the instance as a whole)."""

    KIND: ClassVar[str] = "attachment.deleted"
    attachment: str
    user: str
    author: str
    name: str
    work_item: str | None = None

    def detail(self) -> Any:
        found = {
            "attachment": self.attachment,
            "user": self.user,
            "author": self.author,
            "name": self.name,
        }
        if self.work_item is not None:
            found["work_item"] = self.work_item
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(
            detail["attachment"],
            detail["user"],
            detail["author"],
            detail["name"],
            detail.get("work_item"),
        )


#: the note events, for the audit catalogue (:data:`~wfengine.runtime.history.PAYLOADS`)
NOTE_EVENTS = (CommentDeleted, AttachmentDeleted)

"""Attachments whose storing or reading fails midway: an attachment's content and its record
are written separately (the blob store is the host's to choose), so each failure must leave
no unreachable content behind and say what happened."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.errors import NotFoundError, StoreUnavailableError
from wfengine.worklist.notes import Attachment, MemoryBlobs, Notes, notes_for


def _instance(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    return engine.start_process("p")


class _RecordsRefusingAttachments:
    """Records whose store refuses to add (a full disk at the record's insert)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def add(self, record: Any) -> None:
        raise StoreUnavailableError("the database refused the work (disk full); nothing changed")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_an_attachment_whose_record_is_refused_leaves_no_content_behind(
    org_engine: Engine,
) -> None:
    """The content was stored, the record refused: the error said nothing was changed, yet
    each try left its content in the blob store, unreachable (three tries, 600 KB)."""
    iid = _instance(org_engine)
    real = notes_for(org_engine)
    blobs = MemoryBlobs()
    notes = Notes(org_engine, _RecordsRefusingAttachments(real._records), blobs)
    for _ in range(3):
        with pytest.raises(StoreUnavailableError):
            notes.attach("alice", iid, "scan.pdf", "application/pdf", b"%PDF" * 1000)
    assert blobs._data == {}


def test_an_attachment_needs_a_user(org_engine: Engine) -> None:
    """``attach(None, ...)`` stored the content, then the database refused the record with a
    raw IntegrityError (NOT NULL constraint failed: attachments.author)."""
    iid = _instance(org_engine)
    notes = notes_for(org_engine)
    with pytest.raises(TypeError, match=r"attach: the user must be a user id \(text\), not None"):
        notes.attach(None, iid, "a.txt", "text/plain", b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="comment: the user must be a user id"):
        notes.add_comment(None, iid, "hello")  # type: ignore[arg-type]
    assert notes.attachments(None, iid) == []


class _BlobsDeletedMeanwhile(MemoryBlobs):
    """The content is gone when it is read: its author deleted the attachment between the
    reader's record lookup and the read of its content."""

    def get(self, key: str) -> bytes:
        raise KeyError(key)


def test_a_download_of_an_attachment_deleted_meanwhile_is_not_found(org_engine: Engine) -> None:
    """It raised a bare ``KeyError('at-1')``."""
    iid = _instance(org_engine)
    real = notes_for(org_engine)
    filed = real.attach("alice", iid, "a.txt", "text/plain", b"x")
    notes = Notes(org_engine, real._records, _BlobsDeletedMeanwhile())
    with pytest.raises(NotFoundError, match=rf"no attachment '{filed.id}' \(deleted meanwhile\)"):
        notes.download("bob", filed.id)


class _BlobsRefusingDeletes(MemoryBlobs):
    def delete(self, key: str) -> None:
        raise StoreUnavailableError("the blob store is down")


def test_a_content_that_cannot_be_deleted_is_logged_and_the_attachment_is_gone(
    org_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    iid = _instance(org_engine)
    real = notes_for(org_engine)
    blobs = _BlobsRefusingDeletes()
    notes = Notes(org_engine, real._records, blobs)
    filed: Attachment = notes.attach("alice", iid, "a.txt", "text/plain", b"x")
    with caplog.at_level(logging.WARNING, logger="wfengine.notes"):
        notes.delete_attachment("alice", filed.id)
    assert notes.attachments(None, iid) == []
    assert f"attachment content '{filed.id}' was left in the blob store" in caplog.text

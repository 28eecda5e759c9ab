"""Comments and attachments on an instance or one of its work items.

Departments leave opinions that later ones read; a clerk attaches the customer's letter. A
:class:`Notes` object, got with :func:`notes_for` for an engine, adds, lists, downloads and
deletes them for a named user:

* adding and reading: whoever may see the work item (it is or was offered to them, they hold
  or own it, they supervise or administer: :func:`~wfengine.worklist.worklists.may_see`) or
  an item that replaced it (a re-offer's: :mod:`wfengine.worklist.note_items`), or, on the
  instance, whoever may see one of its work items; listing the instance's notes shows a user
  those on the instance itself and those on the items they may see (and the items those
  replaced), not every item's; listing an item's shows those on the items it replaced too;
* a user that is not a user id (``5``, ``""``, ``b"alice"``) is refused before anything is
  read (``check_acting_user``: a ``TypeError`` or ``ValueError``), as every command's
  ``user=``: it was recorded in the trail as a refused reader, or a list blamed the directory;
* deleting: the author or an administrator, recorded in the instance's audit trail
  (``comment.deleted``, ``attachment.deleted``: who deleted whose note, never its text or
  content); an engine that cannot record it (closed, or inside one of its own commands)
  refuses the deletion and keeps the note. A refused operation raises
  :class:`~wfengine.errors.NotAuthorizedError` and is written to the instance's audit trail
  (``operation.refused``), naming the work item when it concerned one (the event's
  ``work_item_id``), as a refused claim does.

An attachment is at most :data:`MAX_ATTACHMENT_BYTES`, has a content type of the form
``type/subtype`` and a plain file name (no directories). Its content goes to a
:class:`BlobStore` (in the same database as the engine by default, in memory for the memory
store) and is checked against its SHA-256 when read back. Comments are at most
:data:`MAX_COMMENT_CHARS` characters.
"""

from __future__ import annotations

import hashlib
import logging
import re
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

import sqlalchemy as sa

from wfengine.errors import IllegalStateError, NotFoundError, StoreError
from wfengine.runtime.engine import Engine
from wfengine.runtime.engine_check import check_engine
from wfengine.runtime.history import Payload
from wfengine.runtime.host_arguments import check_acting_user, described
from wfengine.runtime.memory_times import utc
from wfengine.runtime.note_events import AttachmentDeleted, CommentDeleted
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.bytewise import bytewise
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.stored_text import text_problem, user_id_problem
from wfengine.runtime.work_rules import asking
from wfengine.worklist.note_items import chains_of, items_of, replaced, seen_through_chain
from wfengine.worklist.worklists import may_see

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_COMMENT_CHARS = 20_000
#: the longest content type an attachment may have (the ``attachments.content_type`` column)
MAX_CONTENT_TYPE_CHARS = 200
_log = logging.getLogger("wfengine.notes")
#: a note of either kind, listed as it came in
_Note = TypeVar("_Note", "Comment", "Attachment")
_CONTENT_TYPE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*(;.{0,100})?$")


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on an instance (``work_item_id`` None) or one of its work items."""

    id: str
    instance_id: str
    work_item_id: str | None
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attached file's description; :meth:`Notes.download` gives its content."""

    id: str
    instance_id: str
    work_item_id: str | None
    author: str
    name: str
    content_type: str
    size: int
    sha256: str
    blob_key: str
    created_at: datetime


class BlobStore(Protocol):
    """Where attachments' contents live: a key in, the bytes out."""

    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class _Records(Protocol):
    def add(self, record: Comment | Attachment) -> None: ...

    def of(
        self, kind: type[Comment] | type[Attachment], instance_id: str
    ) -> list[Comment] | list[Attachment]: ...

    def get(
        self, kind: type[Comment] | type[Attachment], record_id: str
    ) -> Comment | Attachment | None: ...

    def delete(self, kind: type[Comment] | type[Attachment], record_id: str) -> None: ...


class MemoryBlobs:
    """A blob store in a dict (the memory store's)."""

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> None:
        self._data[key] = data

    def get(self, key: str) -> bytes:
        return self._data[key]

    def delete(self, key: str) -> None:
        self._data.pop(key, None)


class SqlBlobs:
    """A blob store in the ``blobs`` table of a SQL store's database."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def put(self, key: str, data: bytes) -> None:
        insert = t.blobs.insert()
        self._store.transaction(lambda conn: conn.execute(insert, {"key": key, "data": data}))

    def get(self, key: str) -> bytes:
        query = sa.select(t.blobs.c.data).where(t.blobs.c.key == key)
        found = self._store.transaction(lambda conn: conn.execute(query).scalar(), write=False)
        if found is None:
            raise KeyError(key)
        return bytes(found)

    def delete(self, key: str) -> None:
        delete = t.blobs.delete().where(t.blobs.c.key == key)
        self._store.transaction(lambda conn: conn.execute(delete))


class _MemoryRecords:
    def __init__(self) -> None:
        self._rows: dict[str, Comment | Attachment] = {}

    def add(self, record: Comment | Attachment) -> None:
        self._rows[record.id] = record

    def of(self, kind: type, instance_id: str) -> list:  # type: ignore[type-arg]
        found = [
            r for r in self._rows.values() if isinstance(r, kind) and r.instance_id == instance_id
        ]
        return sorted(found, key=_oldest_first)

    def get(self, kind: type, record_id: str) -> Comment | Attachment | None:
        found = self._rows.get(record_id)
        return found if isinstance(found, kind) else None

    def delete(self, kind: type, record_id: str) -> None:
        self._rows.pop(record_id, None)


class _SqlRecords:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    @staticmethod
    def _table(kind: type) -> sa.Table:
        return t.comments if kind is Comment else t.attachments

    def add(self, record: Comment | Attachment) -> None:
        table = self._table(type(record))
        values = {f: getattr(record, f) for f in record.__dataclass_fields__}
        self._store.transaction(lambda conn: conn.execute(table.insert(), values))

    def of(self, kind: type, instance_id: str) -> list:  # type: ignore[type-arg]
        table = self._table(kind)
        query = (
            sa.select(table)
            .where(table.c.instance_id == instance_id)
            # cm-10 after cm-9 (ids of one length sort as numbers), as instance listings
            # order, and as the memory records do (:func:`_oldest_first`)
            .order_by(table.c.created_at, sa.func.length(table.c.id), bytewise(table.c.id))
        )
        found = self._store.transaction(
            lambda conn: [dict(r) for r in conn.execute(query).mappings()], write=False
        )
        return [kind(**r) for r in found]

    def get(self, kind: type, record_id: str) -> Comment | Attachment | None:
        table = self._table(kind)
        query = sa.select(table).where(table.c.id == record_id)
        row = self._store.transaction(
            lambda conn: conn.execute(query).mappings().first(), write=False
        )
        return None if row is None else kind(**dict(row))

    def delete(self, kind: type, record_id: str) -> None:
        table = self._table(kind)
        delete = table.delete().where(table.c.id == record_id)
        self._store.transaction(lambda conn: conn.execute(delete))


class Notes:
    """Comments and attachments of one engine's instances (see the module notes)."""

    def __init__(self, engine: Engine, records: _Records, blobs: BlobStore) -> None:
        self.engine = engine
        self._records = records
        self.blobs = blobs

    # -- comments -------------------------------------------------------------------------

    def add_comment(
        self, user: str, instance_id: str, text: str, *, work_item_id: str | None = None
    ) -> Comment:
        _author(user, "comment")
        _text(text, "text", "add_comment")
        if not text.strip():
            raise ValueError("a comment needs some text")
        if len(text) > MAX_COMMENT_CHARS:
            raise ValueError(f"a comment is at most {MAX_COMMENT_CHARS} characters")
        problem = text_problem(text)
        if problem is not None:  # refused alike on every store (PostgreSQL cannot hold NUL)
            raise ValueError(f"comment: the text {problem}")
        self._refuse_closed("add a comment with")
        self._check_reader(user, instance_id, work_item_id, "comment on")
        comment = Comment(
            self.engine.ids.new("cm"),
            instance_id,
            work_item_id,
            user,
            text,
            utc(self.engine.clock.now()),  # UTC on every store, as the engine's records
        )
        self._records.add(comment)
        return comment

    def comments(
        self, user: str | None, instance_id: str, *, work_item_id: str | None = None
    ) -> list[Comment]:
        """The comments on the instance (and on those of its work items ``user`` may see),
        oldest first; with ``work_item_id``, those on that item (and the items it replaced)."""
        check_acting_user(user, "comments")
        return self._listed(Comment, user, instance_id, work_item_id, "read the comments of")

    def delete_comment(self, user: str, comment_id: str) -> None:
        check_acting_user(user, "delete_comment")
        found = self._found(Comment, comment_id)
        if not isinstance(found, Comment):
            raise NotFoundError("comment", comment_id)
        self._check_author(user, found, "delete")
        self._records.delete(Comment, comment_id)
        self._deleted(found, CommentDeleted(found.id, user, found.author, found.work_item_id))

    # -- attachments ------------------------------------------------------------------------

    def attach(
        self,
        user: str,
        instance_id: str,
        name: str,
        content_type: str,
        data: bytes | bytearray | memoryview,
        *,
        work_item_id: str | None = None,
    ) -> Attachment:
        """Attach ``data`` (bytes, or any bytes-like object, copied now) as file ``name``."""
        # every argument before anything is stored: a content that is no bytes failed as a
        # raw driver error on SQLite and left its content unreachable in the memory blobs
        _author(user, "attach")
        _text(name, "name", "attach")
        _text(content_type, "content_type", "attach")
        data = _content(data)
        if (
            not name
            or "/" in name
            or "\\" in name
            or name in (".", "..")
            or len(name) > 255
            or text_problem(name) is not None
        ):
            raise ValueError(f"attach: name {name[:300]!r} is not a plain file name")
        # the whole text (``match`` let a final line break through), no longer than its
        # column (``attachments.content_type``) holds, and printable: its parameters (after
        # ``;``) took a NUL, an escape or a line separator on every store, and a lone
        # surrogate on memory, where SQLite failed with a raw UnicodeEncodeError
        if (
            len(content_type) > MAX_CONTENT_TYPE_CHARS
            or not _CONTENT_TYPE.fullmatch(content_type)
            or not content_type.isprintable()
        ):
            raise ValueError(
                f"attach: content_type {content_type[:60]!r} is not a content type "
                f"(type/subtype, printable, at most {MAX_CONTENT_TYPE_CHARS} characters)"
            )
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ValueError(
                f"{name!r} is {len(data)} bytes; an attachment is at most {MAX_ATTACHMENT_BYTES}"
            )
        self._refuse_closed("attach a file with")
        self._check_reader(user, instance_id, work_item_id, "attach to")
        attachment_id = self.engine.ids.new("at")
        self.blobs.put(attachment_id, data)
        attachment = Attachment(
            attachment_id,
            instance_id,
            work_item_id,
            user,
            name,
            content_type,
            len(data),
            hashlib.sha256(data).hexdigest(),
            attachment_id,
            utc(self.engine.clock.now()),  # UTC on every store, as the engine's records
        )
        try:
            self._records.add(attachment)
        except BaseException:  # no record, so the content would be kept and never reachable
            self._drop_blob(attachment_id, "its record could not be stored")
            raise
        return attachment

    def attachments(
        self, user: str | None, instance_id: str, *, work_item_id: str | None = None
    ) -> list[Attachment]:
        """The attachments as :meth:`comments` lists the comments."""
        check_acting_user(user, "attachments")
        return self._listed(Attachment, user, instance_id, work_item_id, "read the attachments of")

    def download(self, user: str, attachment_id: str) -> tuple[Attachment, bytes]:
        check_acting_user(user, "download")
        found = self._attachment(attachment_id)
        self._check_reader(user, found.instance_id, found.work_item_id, "download")
        try:
            data = self.blobs.get(found.blob_key)
        except KeyError:  # its author deleted it while the reader's rights were checked
            raise NotFoundError("attachment", attachment_id, "deleted meanwhile") from None
        if hashlib.sha256(data).hexdigest() != found.sha256:
            raise StoreError(f"attachment {attachment_id!r}: its content does not match its hash")
        return found, data

    def delete_attachment(self, user: str, attachment_id: str) -> None:
        check_acting_user(user, "delete_attachment")
        found = self._attachment(attachment_id)
        self._check_author(user, found, "delete")
        self._records.delete(Attachment, attachment_id)
        deleted = AttachmentDeleted(found.id, user, found.author, found.name, found.work_item_id)
        self._deleted(found, deleted)
        self._drop_blob(found.blob_key, "its attachment was deleted")  # (once it is recorded)

    def _deleted(self, record: Comment | Attachment, event: Payload) -> None:
        """Record in the instance's trail that ``record`` was deleted (``event``), as a
        refused delete is recorded. After the deletion: a trail never says a note went that
        is still there. An instance no longer kept has no trail to record it in.

        An engine that cannot record it (closed, or asked from inside one of its own
        commands: an application tidying up, ``EngineInUseError``) refuses the deletion: the
        note is put back, so its "nothing was changed" holds. Why: the note was gone with no
        ``comment.deleted`` in the trail, and the error said nothing had changed."""
        try:
            self.engine.record_outside(record.instance_id, event, work_item=record.work_item_id)
        except NotFoundError:
            _log.info(
                "%s was deleted with no instance %r to record it", record.id, record.instance_id
            )
        except Exception as exc:  # (not an interrupt: it may land after the commit)
            try:
                self._records.add(record)
            except Exception as failed:  # (the store itself failing: say what is lost)
                exc.add_note(f"{record.id} could not be put back ({failed}): it is deleted")
                if isinstance(record, Attachment):  # (its content would be kept, unreachable)
                    self._drop_blob(record.blob_key, "its record could not be put back")
            raise

    def _drop_blob(self, key: str, why: str) -> None:
        """Delete an attachment's content whose record is gone (or never stored). A blob store
        is the host's to choose (files, an object store), so the two are not one
        transaction; a content that cannot be deleted now is logged, not raised: the
        attachment is gone either way, and what is left is unreachable garbage to sweep."""
        try:
            self.blobs.delete(key)
        except Exception as exc:
            _log.warning(
                "attachment content %r was left in the blob store (%s; deleting it failed: %s)",
                key,
                why,
                exc,
            )

    def _listed(
        self,
        kind: type[_Note],
        user: str | None,
        instance_id: str,
        work_item_id: str | None,
        operation: str,
    ) -> list[_Note]:
        """The instance's notes of ``kind`` as ``user`` may read them, once they may read
        the instance (or the item): those on ``work_item_id`` alone, when given; else those
        on the instance and on the items ``user`` may see, as a note on one item is read
        (:func:`~wfengine.worklist.worklists.may_see`). Why: anyone who may see one item of
        an instance listed the notes left on every other item, text and files included,
        though reading them item by item was refused. The host (``None``) and an
        administrator the organisation knows see all without an item read; anyone else
        has the instance's items read once, for the check and the listing (each item was
        read again per listing, in the check and per note's item)."""
        if user is None or work_item_id is not None or self._sees_all(user):
            self._check_reader(user, instance_id, work_item_id, operation)
            found: list[_Note] = self._records.of(kind, instance_id)  # type: ignore[assignment]
            if work_item_id is None:
                return found
            # (and those on the items it replaced: the same work, offered afresh)
            on = replaced(chains_of(self.engine, instance_id), work_item_id) | {work_item_id}
            return [r for r in found if r.work_item_id in on]
        visible = self._visible_items(user, instance_id, operation)
        found = self._records.of(kind, instance_id)  # type: ignore[assignment]
        return [r for r in found if r.work_item_id is None or r.work_item_id in visible]

    def _sees_all(self, user: str) -> bool:
        """Whether ``user`` administers and is known, whom every item shows (``may_see``);
        ``is_admin`` asked first, as the check does, so a failing directory names it."""
        org = asking(self.engine.directory)  # (one that fails: a DirectoryError naming it)
        return org is not None and org.is_admin(user) and org.knows(user)

    def _visible_items(self, user: str, instance_id: str, operation: str) -> set[str]:
        """The ids of the instance's items ``user`` may see (an item no longer kept is not
        among them: only the host reads its notes), refusing one who may see none and does
        not administer, as :meth:`_check_reader` does."""
        engine = self.engine
        engine.instance(instance_id)  # NotFoundError for an unknown instance
        visible = items_of(engine, instance_id).visible(engine, user)
        if not visible and not self._admin(user):
            self._refuse_reader(user, instance_id, None, operation)
        return visible

    # -- checks ---------------------------------------------------------------------------

    def _attachment(self, attachment_id: str) -> Attachment:
        found = self._found(Attachment, attachment_id)
        if not isinstance(found, Attachment):
            raise NotFoundError("attachment", attachment_id)
        return found

    def _refuse_closed(self, operation: str) -> None:
        """Refuse adding a note through a closed engine, as a closed SQL engine's store
        refuses it. Why: the memory store took it, so a host's code that worked on memory
        failed on a database."""
        if self.engine.closed:
            raise IllegalStateError(
                "this engine", "closed (engine.close()): open a new Engine on its store", operation
            )

    def _found(
        self, kind: type[Comment] | type[Attachment], record_id: str
    ) -> Comment | Attachment | None:
        """The note ``record_id``, None when there is none; an id no store can hold (a lone
        surrogate, a NUL) names none. Why: a SQL store failed on it as a raw
        ``UnicodeEncodeError`` while memory said there was no such note."""
        if isinstance(record_id, str) and text_problem(record_id) is not None:
            return None
        return self._records.get(kind, record_id)

    def _check_reader(
        self, user: str | None, instance_id: str, work_item_id: str | None, operation: str
    ) -> None:
        """Refuse ``user`` who may not see the instance (or item); ``None`` is the host's
        own code (a status page it builds), which sees everything."""
        engine = self.engine
        engine.instance(instance_id)  # NotFoundError for an unknown instance
        if user is None:
            return
        if work_item_id is not None:
            item = engine.work_item(work_item_id)
            if item.instance_id != instance_id:
                raise NotFoundError("work item", work_item_id, f"of instance {instance_id!r}")
            allowed = seen_through_chain(engine, item, user)  # (or an item that replaced it)
        else:
            allowed = self._admin(user) or any(
                may_see(engine, item, user) for item in items_of(engine, instance_id).items
            )
        if not allowed:
            self._refuse_reader(user, instance_id, work_item_id, operation)

    def _refuse_reader(
        self, user: str, instance_id: str, work_item_id: str | None, operation: str
    ) -> None:
        """Refuse (recorded) ``user`` reading the instance, or its item ``work_item_id``."""
        subject = (
            f"work item {work_item_id!r}" if work_item_id else f"process instance {instance_id!r}"
        )
        raise self.engine.record_refusal(
            instance_id, subject, operation, user, "they may not see it", work_item=work_item_id
        )

    def _check_author(self, user: str, record: Comment | Attachment, operation: str) -> None:
        """Refuse (recorded) ``user`` deleting ``record`` unless they wrote it or administer,
        and are known to the organisation: one who left is refused every operation
        (docs/wapi.md), deleting what they wrote as reading it, until an administrator does."""
        org = asking(self.engine.directory)  # (one that fails: a DirectoryError naming it)
        known = org is None or org.knows(user)
        if known and (user == record.author or (org is not None and org.is_admin(user))):
            return
        what = "comment" if isinstance(record, Comment) else "attachment"
        reason = (
            f"only its author ({record.author!r}) or an administrator may"
            if known
            else "the organisation does not know them"
        )
        raise self.engine.record_refusal(
            record.instance_id,
            f"{what} {record.id!r}",
            operation,
            user,
            reason,
            work_item=record.work_item_id,
        )

    def _admin(self, user: str) -> bool:
        found = asking(self.engine.directory)  # (one that fails: a DirectoryError naming it)
        return found is not None and found.is_admin(user)


def _oldest_first(record: Comment | Attachment) -> tuple[datetime, int, str]:
    """The order notes are listed in on every store: by time, then by id, shorter ids first
    (``cm-2`` before ``cm-10``: notes added at one instant, as a virtual clock or a coarse
    host clock makes them, come in the order they were added). Why: the SQL stores ordered
    by the id's text (``cm-1``, ``cm-10``, ``cm-11``, ``cm-2``), memory by insertion."""
    return (record.created_at, len(record.id), record.id)


def _author(user: object, operation: str) -> None:
    """Refuse a missing author before anything is stored: ``None`` stands for the host's own
    code when reading, but a note is always someone's (a database refused it at the insert,
    with the attachment's content already stored)."""
    if not isinstance(user, str) or not user:
        raise TypeError(f"{operation}: the user must be a user id (text), not {user!r}")
    problem = user_id_problem(user)
    if problem is not None:  # as the engine's commands refuse it, on every store
        raise ValueError(f"{operation}: the user {user[:40]!r} {problem}")


def _text(value: object, name: str, command: str) -> None:
    """Refuse ``command``'s argument ``name`` when it is not text: ``None`` failed as a bare
    ``AttributeError``, ``b"hi"`` as a ``TypeError`` saying the opposite (a bytes-like object
    required), naming neither."""
    if not isinstance(value, str):
        raise TypeError(f"{command}: {name} must be text (a str), not {described(value)}")


def _content(data: object) -> bytes:
    """``data`` as bytes of its own: a copy of a bytearray or memoryview (a host reusing its
    buffer for the next upload changed what the memory store kept, a SQL store copying it on
    insert, and the download then failed its hash check); anything not bytes-like (text, a
    number, which ``bytes()`` would take as a length) a ``TypeError`` naming the argument."""
    if type(data) is bytes:
        return data
    try:
        return bytes(memoryview(data))  # type: ignore[arg-type]
    except TypeError:
        hint = " (encode text first: data.encode())" if isinstance(data, str) else ""
        raise TypeError(
            f"attach: data must be bytes (or bytes-like), not {described(data)}{hint}"
        ) from None


_MEMORY: weakref.WeakKeyDictionary[object, tuple[_MemoryRecords, MemoryBlobs]] = (
    weakref.WeakKeyDictionary()
)


def notes_for(engine: Engine) -> Notes:
    """The notes of ``engine``'s store: its database's tables for a SQL store, kept beside
    the store object for the memory store (so engines sharing a store share its notes)."""
    engine = check_engine(engine, "notes_for")
    if isinstance(engine.store, SqlStore):
        return Notes(engine, _SqlRecords(engine.store), SqlBlobs(engine.store))
    records, blobs = _MEMORY.setdefault(engine.store, (_MemoryRecords(), MemoryBlobs()))
    return Notes(engine, records, blobs)

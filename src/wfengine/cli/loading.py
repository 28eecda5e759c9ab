"""Loading a definition for a command, with the CLI's error conventions applied.

Every command that takes an XPDL file needs the same three outcomes: a package, a file that
could not be read (exit 2, the file named on stderr), or a document that is not usable XPDL (the
loader's diagnostic, exit 1). Keeping that here means the commands agree on messages and
statuses, and ``-`` means standard input everywhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from wfengine.cli.exit_status import DefinitionUnusable, InputOutputError, NotInDefinition
from wfengine.errors import XpdlLoadError

if TYPE_CHECKING:
    from wfengine.definition.model import Package, WorkflowProcess

STDIN_NAME = "<stdin>"
#: the largest ``--answers`` or ``--script`` file read, as for an XPDL document (16 MiB:
#: real ones are a few kilobytes)
MAX_INPUT_BYTES = 16 * 1024 * 1024


def display_name(source: str) -> str:
    """How a command-line file argument is named in messages and findings."""
    return STDIN_NAME if source == "-" else source


def describe_os_error(exc: OSError) -> str:
    """The reason part of an I/O error, without Python's ``[Errno N]`` noise."""
    return exc.strerror or str(exc)


def refuse_empty(source: str, option: str | None = None) -> None:
    """An empty file name is refused saying so: a usage error naming ``option`` when a file
    option was given it, else (a command's argument) :class:`InputOutputError`; exit 2 either
    way. Why: ``Path("")`` is the current directory, and the refusal read "cannot read : Is a
    directory"."""
    if source:
        return
    if option is not None:
        raise click.BadParameter("cannot read '': the file name is empty", param_hint=option)
    raise InputOutputError("cannot read '': the file name is empty")


def non_empty(hint: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """The callback of every option naming a file (or an ``--apps`` module): an empty name is
    a usage error naming the option (exit 2), before the command does anything, ``hint``
    saying what to give instead. Why: ``Path("")`` is the current directory, so ``-o ''``
    failed with "Is a directory" (``audit -o ''`` wrote to stdout) only after the work was
    done, and ``--scenario ''`` or ``--apps ''`` failed in the same obscure way."""

    def check(_ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if isinstance(value, str) and not value:
            raise click.BadParameter(f"the name is empty (''): {hint}")
        return value

    return check


#: the hint of an option naming the file a command writes (``-`` its standard output)
OUTPUT_HINT = "name the file to write, or '-' for standard output"


def output_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The required ``-o/--output OUT`` option of a command that writes one file (render,
    convert): one definition, so both refuse an empty name and show ``OUT`` alike."""
    return click.option(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        callback=non_empty(OUTPUT_HINT),
        help=help_text,
    )


#: the hint of an ``--apps`` option
APPS_HINT = "name a module (dotted name) or a .py file"


def load_package(source: str, *, schema: bool) -> Package:
    """Load ``source`` (a path, or ``-`` for standard input).

    Raises :class:`InputOutputError` when it cannot be read and lets ``XpdlLoadError``
    through for the caller to report as a finding.
    """
    from wfengine.definition.io import load_xpdl

    try:
        if source == "-":
            return load_xpdl(sys.stdin.buffer, schema=schema)  # read up to the size limit only
        refuse_empty(source)
        path = Path(source)
        if path.is_dir():
            raise InputOutputError(f"cannot read {source}: it is a directory")
        return load_xpdl(path, schema=schema)
    except OSError as exc:
        raise InputOutputError(f"cannot read {source}: {describe_os_error(exc)}") from None


def read_input(
    source: str, option: str, *, max_bytes: int = MAX_INPUT_BYTES, dash_is_stdin: bool = True
) -> bytes:
    """The bytes of ``source`` (a path, or ``-`` for standard input unless not
    ``dash_is_stdin``) given to ``option``, read no further than ``max_bytes``:
    ``/dev/zero`` or an endless pipe would otherwise be read until memory runs out. A longer
    input is a usage error (exit 2) naming it; one that cannot be read is
    :class:`InputOutputError` (exit 2)."""
    from wfengine.definition.xpdl.secure import read_limited

    refuse_empty(source, option)
    stdin = dash_is_stdin and source == "-"
    name = STDIN_NAME if stdin else source
    try:
        if stdin:
            return read_limited(sys.stdin.buffer, max_bytes=max_bytes)
        with Path(source).open("rb") as stream:
            return read_limited(stream, max_bytes=max_bytes)
    except OSError as exc:
        raise InputOutputError(f"cannot read {name}: {describe_os_error(exc)}") from None
    except XpdlLoadError:
        raise click.BadParameter(
            f"{name} is larger than the limit of {max_bytes} bytes; the rest was not read",
            param_hint=option,
        ) from None


def load_or_fail(source: str, *, schema: bool = False) -> Package:
    """Load ``source`` for a command that needs the package: a load failure exits with 1.

    The loader's diagnostic is printed in the usual ``file:line: severity code: message``
    form, so it reads exactly as ``wfengine validate`` would report it.
    """
    try:
        return load_package(source, schema=schema)
    except XpdlLoadError as exc:
        click.echo(exc.diagnostic.format(display_name(source)), err=True)
        raise DefinitionUnusable(f"{display_name(source)} cannot be loaded") from None


def chosen_process(package: Package, process_id: str | None, source: str) -> WorkflowProcess:
    """The process of ``package`` (loaded from ``source``) a command works on: the one
    ``--process`` names, else the first. Refused (exit 2) naming ``--process`` only when it
    was given; a file with no workflow process at all (a participant repository) is told as
    the file's, ``FILE has no workflow process``. Why one place: ``run`` and ``instance
    start`` blamed a ``--process`` nobody gave, ``simulate`` the scenario file, and ``render``
    worded it its own way (README: an option's refusal names the option)."""
    if process_id is None and not package.workflow_processes:
        raise NotInDefinition(
            f"{display_name(source)} has no workflow process (package {package.id!r})"
        )
    try:
        return package.process(process_id)
    except KeyError as exc:
        raise NotInDefinition(f"--process: {exc.args[0]}") from None


def write_output(target: str, data: bytes) -> None:
    """Write ``data`` to the file ``target``, or to standard output when it is ``-``
    (:func:`output_file`'s rules)."""
    if target == "-":
        click.echo(data, nl=False)  # bytes go to the binary stream underneath stdout
        return
    with output_file(target, binary=True) as stream:
        stream.write(data)


def refuse_unwritable(target: str) -> None:
    """Make :func:`output_file`'s refusals of ``target`` now, before a long run whose result
    it will hold (``simulate --plot``), rather than after it; nothing is made. Why not open
    it early: the file written aside would stay behind if the run were killed (SIGTERM)."""
    if os.path.isdir(target):
        raise InputOutputError(f"cannot write {target}: {os.strerror(errno.EISDIR)}")
    replaced = _replaced_file(target)
    if replaced is None:
        return  # (a pipe, a device: written in place, as it is)
    folder = os.path.dirname(replaced[0])
    try:
        found = os.stat(folder)
    except OSError as exc:
        raise InputOutputError(f"cannot write {target}: {describe_os_error(exc)}") from None
    if not stat.S_ISDIR(found.st_mode):
        raise InputOutputError(f"cannot write {target}: {os.strerror(errno.ENOTDIR)}")
    if not os.access(folder, os.W_OK):
        raise InputOutputError(f"cannot write {target}: {os.strerror(errno.EACCES)}")


def _replaced_file(target: str) -> tuple[str, os.stat_result | None] | None:
    """Where ``target`` is written aside and renamed to (its real path) and what is there
    now, or None for a target written in place (not a regular file: a pipe, a device,
    ``/dev/stdout``). Refuses an empty name and a database or one of its companions."""
    if not target:
        raise InputOutputError("cannot write '': the file name is empty")
    try:
        found: os.stat_result | None = os.stat(target)
    except OSError:  # not there yet (or not reachable: the writing says why)
        found = None
    if (found is not None and not stat.S_ISREG(found.st_mode)) or _STREAM_NAMES.fullmatch(
        os.path.abspath(target)
    ):
        return None
    final = os.path.realpath(target)  # through symbolic links: the link stays a link
    _refuse_a_database(target, final)
    return final, found


#: what every SQLite database file begins with
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: what a SQLite write-ahead log begins with (big-endian 0x377f0682 or 0x377f0683)
_WAL_MAGICS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
#: what a SQLite rollback journal begins with (a persisted one may have it zeroed)
_JOURNAL_MAGIC = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"
#: the files SQLite keeps beside a database ``X`` while it is in use, by the suffix of their
#: name (``X-wal``...): replacing one loses or corrupts committed work of ``X``
_COMPANIONS = {
    "-wal": "write-ahead log",
    "-shm": "shared-memory index",
    "-journal": "rollback journal",
}
#: names of the process's own streams and descriptors: written to as they are, never
#: replaced (``-o /dev/stdout`` with stdout redirected to a file resolves to that file)
_STREAM_NAMES = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/[^/]+/fd/\d+")


@contextlib.contextmanager
def output_file(target: str, *, binary: bool) -> Iterator[IO[Any]]:
    """A file to write ``target`` through: written beside its final name and renamed over it
    when the block ends well, so an interrupted or failed run never leaves a half-written
    file where a complete one was expected (a failure removes the partial one).

    What is there already is respected as a shell's ``>`` would: an existing file keeps its
    permissions (an export written over a file made private stays private); a symbolic link
    is followed and its target written, the link kept; a target that is not a regular file
    (a named pipe, a device, ``/dev/stdout``) is written to directly, as it cannot be
    replaced. The file being written is made with a name no one can guess or plant a link
    at, readable by its owner only until it is complete.

    Refused (exit 2, nothing written): a target that cannot be written, and one that is a
    SQLite database (``-o wfengine.db`` for ``-o wfengine.csv`` would replace the very
    database being exported with its export) or a file SQLite keeps beside one (its
    ``-wal``, ``-shm`` or ``-journal``: :func:`_refuse_a_database`), and an empty name
    (``Path("")`` is the current directory).
    """
    replaced = _replaced_file(target)
    if replaced is None:
        yield from _written_in_place(target, binary=binary)
        return
    final, found = replaced
    mode = stat.S_IMODE(found.st_mode) & 0o777 if found is not None else _new_file_mode()
    try:
        fd, tmp = tempfile.mkstemp(  # O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600
            dir=os.path.dirname(final), prefix=f".{os.path.basename(final)}.", suffix=".tmp"
        )
    except OSError as exc:
        raise InputOutputError(f"cannot write {target}: {describe_os_error(exc)}") from None
    try:
        stream: IO[Any] = (
            open(fd, "wb") if binary else open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
        )
        with stream:
            yield stream
            os.fchmod(stream.fileno(), mode)
        os.replace(tmp, final)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputOutputError(f"cannot write {target}: {describe_os_error(exc)}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _written_in_place(target: str, *, binary: bool) -> Iterator[IO[Any]]:
    """Write to ``target`` as it is (a named pipe, a device, a stream of this process):
    opening a pipe waits for its reader, as a shell's ``>`` does."""
    try:
        stream: IO[Any] = (
            open(target, "wb") if binary else open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
        )
    except OSError as exc:
        raise InputOutputError(f"cannot write {target}: {describe_os_error(exc)}") from None
    try:
        with stream:
            yield stream
    except OSError as exc:
        raise InputOutputError(f"cannot write {target}: {describe_os_error(exc)}") from None


def _refuse_a_database(target: str, final: str) -> None:
    """Refuse ``final`` when it is a SQLite database or a file SQLite keeps beside one: its
    write-ahead log, shared-memory index or rollback journal, known by its first bytes or by
    its name (``X-wal``, ``X-shm``, ``X-journal`` of a database ``X``: an index or a log
    emptied by a checkpoint has no telling bytes, and one not there yet would be made
    beside the database). Why: an export renamed over a live write-ahead log made the
    database fail with "disk I/O error", and the commits still in the log were lost."""
    what = _database_file(final)
    if what is not None:
        raise InputOutputError(
            f"cannot write {target}: it is {what}, which an output never replaces "
            "(name another file)"
        )


def _database_file(path: str) -> str | None:
    """What ``path`` is, when it is a SQLite database or one of its companion files
    (:func:`_refuse_a_database`); None when it is neither."""
    for suffix, kind in _COMPANIONS.items():
        database = path.removesuffix(suffix)
        if database != path and _head(database).startswith(_SQLITE_MAGIC):
            return f"the {kind} of the SQLite database {database}"
    head = _head(path)
    if head.startswith(_SQLITE_MAGIC):
        return "a SQLite database"
    if head[:4] in _WAL_MAGICS:
        return "a SQLite write-ahead log (a database's -wal file)"
    if head.startswith(_JOURNAL_MAGIC):
        return "a SQLite rollback journal (a database's -journal file)"
    if _is_wal_index(head):
        return "a SQLite shared-memory index (a database's -shm file)"
    return None


#: the version a SQLite shared-memory index's header begins with (in the machine's order)
_WAL_INDEX_VERSION = (3007000).to_bytes(4, sys.byteorder)
#: the size of that header, which the index holds twice, one copy after the other
_WAL_INDEX_HEADER = 48


def _is_wal_index(head: bytes) -> bool:
    """Whether ``head`` begins a SQLite shared-memory index: its version, and its header
    twice (which a text or CSV export never begins with)."""
    size = _WAL_INDEX_HEADER
    return (
        len(head) >= 2 * size
        and head.startswith(_WAL_INDEX_VERSION)
        and head[:size] == head[size : 2 * size]
    )


def _head(path: str) -> bytes:
    """The first bytes of ``path`` (enough to tell the files :func:`_database_file` knows),
    or none when it is not there, not readable or not a regular file. Opened without
    waiting (a file swapped for a named pipe since it was looked at would block a plain
    open) and read only when it is a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return b""  # not there, or not readable: nothing to protect, or the write says why
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, 2 * _WAL_INDEX_HEADER)
    except OSError:
        return b""
    finally:
        os.close(fd)


def _new_file_mode() -> int:
    """The mode a new file gets under the process's umask (what ``open()`` would give):
    the file being written is made 0600 and given this mode when complete."""
    mask = os.umask(0o077)  # read by setting it (the CLI runs one thread), then restored
    os.umask(mask)
    return 0o666 & ~mask

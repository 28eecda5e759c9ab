"""The ``wfengine`` command: a click group with one module per sub-command.

Each command lives in its own ``*_cmd`` module and is registered below, so adding one (``run``,
``instance``, ``worker``, ``db``) is one import and one ``add_command`` line. Command modules
import the heavier parts of wfengine inside their functions, which keeps ``wfengine --help``
fast and working even when an unrelated layer is broken.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

import click

from wfengine import __version__
from wfengine.cli.audit_cmd import audit
from wfengine.cli.convert_cmd import convert
from wfengine.cli.db_cmd import db
from wfengine.cli.demo_cmd import demo
from wfengine.cli.deploy_cmd import deploy
from wfengine.cli.exit_status import ExitStatus, InputOutputError, Interrupted
from wfengine.cli.incident_cmd import incident, incidents
from wfengine.cli.instance_cmd import instance, instances
from wfengine.cli.loading import describe_os_error
from wfengine.cli.message_cmd import message
from wfengine.cli.org_cmd import org
from wfengine.cli.render_cmd import render
from wfengine.cli.run_cmd import run
from wfengine.cli.show_cmd import show
from wfengine.cli.signal_cmd import signal
from wfengine.cli.simulate_cmd import simulate
from wfengine.cli.stats_cmd import stats
from wfengine.cli.status_cmd import status
from wfengine.cli.validate_cmd import validate
from wfengine.cli.versions_cmd import versions
from wfengine.cli.worker_cmd import worker
from wfengine.cli.worklist_cmd import workitem, worklist_command

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class _OutputClosed(click.ClickException):
    """The command's standard output was closed before it was all written (``wfengine audit
    ... | head -1``): exit status 141 (:attr:`ExitStatus.OUTPUT_CLOSED`), silently. Why not
    click's own handling: it exits 1, which a script reads as "the engine refused"; and the
    reader that stopped reading asked for nothing more, so there is nothing to say to it."""

    exit_code = ExitStatus.OUTPUT_CLOSED

    def __init__(self) -> None:
        super().__init__("standard output closed")

    def show(self, file: IO[Any] | None = None) -> None:
        pass


class _StdoutWriteError(OSError):
    """Writing the process's standard output failed (``> /dev/full``: no space left on the
    device). Its own class so that :class:`_Wfengine` can tell it from every other
    :class:`OSError` a command lets through (a database's, a file's), which keep their own
    handling; still an :class:`OSError` with the same ``errno``, so a handler of those meets
    it as before."""


class _StdoutFile(io.FileIO):
    """Standard output's file descriptor, written as Python's own ``sys.stdout`` writes it,
    raising :class:`_StdoutWriteError` when a write fails. Why at this level: ``click.echo``,
    ``sys.stdout.write`` and ``sys.stdout.buffer`` (binary output: ``convert -o -``, XES)
    all end here, and only here does a failure still know it came from standard output."""

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            raise  # the reader went: :class:`_OutputClosed`, as it is for every stream
        except OSError as exc:
            raise _StdoutWriteError(exc.errno, exc.strerror) from exc


def watch_stdout() -> None:
    """Make ``sys.stdout`` write through :class:`_StdoutFile`, keeping its encoding, errors
    and buffering (none under ``python -u``). Left as it is when it is not the process's own
    (click's test runner, a host that replaced it) or not a plain file descriptor (a Windows
    console's). Called by the console script (and ``python -m wfengine.cli.main``) only: a
    host calling :func:`main` in its own process keeps its ``sys.stdout``, which it or a
    library may hold."""
    stream = sys.stdout
    if stream is not sys.__stdout__ or not isinstance(stream, io.TextIOWrapper):
        return
    unbuffered = type(stream.buffer) is io.FileIO
    if not unbuffered and type(getattr(stream.buffer, "raw", None)) is not io.FileIO:
        return
    try:
        stream.flush()
        raw = _StdoutFile(stream.fileno(), "w", closefd=False)
    except OSError:  # (its descriptor closed under it: writing fails as Python's would)
        return
    raw.name = stream.name  # "<stdout>", as it read before
    sys.stdout = io.TextIOWrapper(
        raw if unbuffered else io.BufferedWriter(raw),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
        write_through=stream.write_through,
    )
    sys.stdout.mode = stream.mode  # type: ignore[misc]  # (as open() sets it)


def _let_go_of_stdout() -> None:
    """Point standard output at the null device. Why: what the command left in its buffer
    would fail again when Python flushes it at exit, with a ``BrokenPipeError`` line on
    stderr and status 120 (the Python documentation's own remedy, on ``SIGPIPE``). Left as it
    is when standard output is no file (click's test runner)."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


@contextlib.contextmanager
def _statuses_of_interruptions() -> Iterator[None]:
    """Ctrl-C and a standard output that cannot be written, met while parsing the command
    line (``--help`` prints there) or running the command, turned into the statuses README
    gives: 130 ``Aborted!``, 141 silently when the reader went, 2 ``Error: cannot write
    standard output: REASON`` otherwise. Any other :class:`OSError` goes on as it was."""
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted() from None
    except OSError as exc:
        if exc.errno != errno.EPIPE and not isinstance(exc, _StdoutWriteError):
            raise
        _let_go_of_stdout()
        if exc.errno == errno.EPIPE:
            raise _OutputClosed() from None
        raise InputOutputError(f"cannot write standard output: {describe_os_error(exc)}") from None


class _Wfengine(click.Group):
    """The top-level group: a command interrupted by Ctrl-C exits 130 (:class:`~wfengine.cli.
    exit_status.Interrupted`), not click's 1, which a script could not tell from a refusal;
    one whose output was closed by its reader exits 141 (:class:`_OutputClosed`), not 1 either;
    one whose output cannot be written (a full disk) exits 2 with one line saying so, not 1
    with a traceback (``run`` 1 reads "the instance was terminated").
    ``worker`` handles SIGINT itself (it stops gracefully) and keeps its own statuses."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _statuses_of_interruptions():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with _statuses_of_interruptions():
            try:
                result = super().invoke(ctx)
            except (SystemExit, click.exceptions.Exit):
                _flush_stdout()  # the status the command chose, once its output is out
                raise
            _flush_stdout()  # a reader gone by now is met here, not at exit
            return result


def _flush_stdout() -> None:
    """Flush standard output, if there is one: started with it closed (``>&-``, as some
    launchers do), Python has none (``sys.stdout`` is None) and click writes nothing."""
    if sys.stdout is not None:
        sys.stdout.flush()


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(
    cls=_Wfengine,
    context_settings=CONTEXT_SETTINGS,
    epilog="""\b
Examples:
  wfengine validate examples/*.xpdl
  wfengine show examples/leave_request.xpdl
  wfengine render examples/order_fulfilment.xpdl -o order.svg
  wfengine convert examples/leave_request.xpdl -o leave_request-2.2.xpdl
  wfengine run examples/leave_request.xpdl --set days=3 --json
  wfengine org load examples/organisation.yaml --db sqlite:///wf.db
  wfengine instance start examples/order_fulfilment.xpdl --db sqlite:///wf.db --count 10
  wfengine worker --db sqlite:///wf.db --until-idle

Run `wfengine COMMAND --help` for a command's options; `wfengine workitem --help` goes on
from the worker above, with the work it left for people.""",
)
@click.version_option(__version__, "-V", "--version", prog_name="wfengine")
def main() -> None:
    """wfengine: an embeddable workflow engine for XPDL process definitions (WfMC).

    Exit status of every command: 0 success, 1 the definition has errors or cannot be
    loaded, or the engine refused the request (unknown id, illegal state change), 2 usage
    errors, files that cannot be read or written (standard output among them: a full disk),
    databases that cannot be used, 130 interrupted (Ctrl-C), 141 the output closed before it
    was all written (`| head`).
    """


# Definition commands (Interface 1 of the WfMC reference model).
main.add_command(validate)
main.add_command(convert)
main.add_command(show)
main.add_command(render)
# Engine commands: one run in memory or a database; instances, workers and incidents of a
# database (the durable store).
main.add_command(run)
main.add_command(deploy)
main.add_command(instance)
main.add_command(instances)
main.add_command(versions)
main.add_command(worker)
main.add_command(incidents)
main.add_command(incident)
main.add_command(db)
main.add_command(org)
main.add_command(message)
main.add_command(demo)
main.add_command(signal)
main.add_command(worklist_command)
main.add_command(workitem)
# Monitoring (Interface 5): the audit trail.
main.add_command(audit)
main.add_command(simulate)
main.add_command(status)
main.add_command(stats)


if __name__ == "__main__":  # pragma: no cover - `python -m wfengine.cli.main`
    watch_stdout()
    main(prog_name="wfengine")

"""The exit statuses every ``wfengine`` command uses, so scripts can rely on them.

0 means the command did what was asked and found nothing wrong, 1 means the definition itself
is at fault (it has an error finding, or cannot be loaded at all) or, for the engine commands,
that the workflow refused the request (an unknown id, an illegal state change), and 2 means the
command could not do its job for a reason outside the definition: a usage mistake, a file that
cannot be read or written, a missing helper program, a database that cannot be reached. Click
already exits with 2 on usage errors, which is why the I/O failures share that number.
130 (128 + SIGINT, what a shell reports for a program Ctrl-C stopped) means the command was
interrupted: click's own 1 for it read as a refusal to a script. 141 (128 + SIGPIPE, what a
shell reports for ``yes | head -1``) means the command's reader closed its output before it was
all written: a script with ``pipefail`` tells it from a refusal too.
"""

from __future__ import annotations

from enum import IntEnum
from typing import IO, Any

import click


class ExitStatus(IntEnum):
    OK = 0
    DEFINITION_ERROR = 1
    #: the same 1 for the engine commands: the workflow refused what was asked
    WORKFLOW_REFUSED = 1
    USAGE_OR_IO = 2
    #: Ctrl-C (SIGINT): the command stopped before it finished
    INTERRUPTED = 130
    #: the reader closed standard output before it was all written (``| head -1``)
    OUTPUT_CLOSED = 141


class InputOutputError(click.ClickException):
    """A file could not be read or written, or a helper program is missing: exit status 2.

    Shown by click as ``Error: <message>`` on stderr, like its own usage errors.
    """

    exit_code = ExitStatus.USAGE_OR_IO


class WorkflowRefused(click.ClickException):
    """The engine refused the request: an unknown instance or incident id, an illegal state
    change (resuming a running instance), data that does not fit. Exit status 1, the message
    naming what was refused, as a definition error is for the definition commands."""

    exit_code = ExitStatus.WORKFLOW_REFUSED


class NotInDefinition(click.ClickException):
    """What the command was asked to act on is not in the definition (say an unknown process
    id): exit status 2, like a usage error, but without repeating the usage text.
    """

    exit_code = ExitStatus.USAGE_OR_IO


class DefinitionUnusable(click.ClickException):
    """The definition cannot be used for what was asked (it does not load): exit status 1."""

    exit_code = ExitStatus.DEFINITION_ERROR


class Interrupted(click.ClickException):
    """The command was interrupted (Ctrl-C: ``KeyboardInterrupt``): exit status 130, with
    click's ``Aborted!`` on stderr and no traceback. Why not click's own handling: it exits 1,
    the status a script reads as "refused". Whatever the command was writing has been given up
    by then (its output files are written aside and only put in place at the end)."""

    exit_code = ExitStatus.INTERRUPTED

    def __init__(self) -> None:
        super().__init__("Aborted!")

    def show(self, file: IO[Any] | None = None) -> None:
        # on a new line: the terminal has echoed ^C after whatever was on the current one
        click.echo(file=file, err=file is None)
        click.echo(self.message, file=file, err=file is None)

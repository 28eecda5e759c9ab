"""The exit statuses every ``wfengine`` command uses, so scripts can rely on them.

0 means the command did what was asked and found nothing wrong, 1 means the definition itself
is at fault (it has an error finding, or cannot be loaded at all) or, for the engine commands,
that the workflow refused the request (an unknown id, an illegal state change), and 2 means the
command could not do its job for a reason outside the definition: a usage mistake, a file that
cannot be read or written, a missing helper program, a database that cannot be reached. Click
already exits with 2 on usage errors, which is why the I/O failures share that number.
"""

from __future__ import annotations

from enum import IntEnum

import click


class ExitStatus(IntEnum):
    OK = 0
    DEFINITION_ERROR = 1
    #: the same 1 for the engine commands: the workflow refused what was asked
    WORKFLOW_REFUSED = 1
    USAGE_OR_IO = 2


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

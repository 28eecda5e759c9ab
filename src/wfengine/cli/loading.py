"""Loading a definition for a command, with the CLI's error conventions applied.

Every command that takes an XPDL file needs the same three outcomes: a package, a file that
could not be read (exit 2, the file named on stderr), or a document that is not usable XPDL (the
loader's diagnostic, exit 1). Keeping that here means the commands agree on messages and
statuses, and ``-`` means standard input everywhere.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from wfengine.cli.exit_status import DefinitionUnusable, InputOutputError
from wfengine.errors import XpdlLoadError

if TYPE_CHECKING:
    from wfengine.definition.model import Package

STDIN_NAME = "<stdin>"


def display_name(source: str) -> str:
    """How a command-line file argument is named in messages and findings."""
    return STDIN_NAME if source == "-" else source


def describe_os_error(exc: OSError) -> str:
    """The reason part of an I/O error, without Python's ``[Errno N]`` noise."""
    return exc.strerror or str(exc)


def load_package(source: str, *, schema: bool) -> Package:
    """Load ``source`` (a path, or ``-`` for standard input).

    Raises :class:`InputOutputError` when it cannot be read and lets ``XpdlLoadError``
    through for the caller to report as a finding.
    """
    from wfengine.definition.io import load_xpdl

    try:
        if source == "-":
            return load_xpdl(sys.stdin.buffer, schema=schema)  # read up to the size limit only
        path = Path(source)
        if path.is_dir():
            raise InputOutputError(f"cannot read {source}: it is a directory")
        return load_xpdl(path, schema=schema)
    except OSError as exc:
        raise InputOutputError(f"cannot read {source}: {describe_os_error(exc)}") from None


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


def write_output(target: str, data: bytes) -> None:
    """Write ``data`` to the file ``target``, or to standard output when it is ``-``.

    A file is written beside its final name and then renamed over it, so an interrupted run
    never leaves a half-written definition or picture where a complete one was expected.
    """
    if target == "-":
        click.echo(data, nl=False)  # bytes go to the binary stream underneath stdout
        return
    path = Path(target)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise InputOutputError(f"cannot write {target}: {describe_os_error(exc)}") from None

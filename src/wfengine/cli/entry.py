"""The ``wfengine`` console script: :func:`wfengine.cli.main.main`, with Ctrl-C met while it
is still being imported.

Why a module of its own: importing the command line (click and every command module) takes a
few tenths of a second, and a Ctrl-C in that time arrived before the group that turns it into
``Aborted!`` and exit 130 existed, so it printed a raw ``KeyboardInterrupt`` traceback. This
module imports nothing of wfengine's at its top, so the console script gets here first.
"""

from __future__ import annotations

import sys

#: :attr:`wfengine.cli.exit_status.ExitStatus.INTERRUPTED`, not imported from there: that
#: import (click's) is what a Ctrl-C may interrupt
_INTERRUPTED = 130


def main() -> None:
    """Run the ``wfengine`` command line; Ctrl-C before or after the command's own handling
    (while importing, while exiting) exits 130 with ``Aborted!``, as during a command."""
    try:
        from wfengine.cli.main import main as command_line
        from wfengine.cli.main import watch_stdout

        watch_stdout()
        command_line()
    except KeyboardInterrupt:
        # on a new line: the terminal has echoed ^C after whatever was on the current one
        print("\nAborted!", file=sys.stderr)
        sys.exit(_INTERRUPTED)

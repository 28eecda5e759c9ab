"""Every command and sub-command of the CLI, as the argument lists that name them."""

from __future__ import annotations

import click

from wfengine.cli.main import main


def command_paths(group: click.Group, path: list[str]) -> list[list[str]]:
    """``path`` and the paths of every command below ``group``, sub-groups walked."""
    found = [path]
    for name, command in sorted(group.commands.items()):
        found += (
            command_paths(command, [*path, name])
            if isinstance(command, click.Group)
            else [[*path, name]]
        )
    return found


#: every command and sub-command with its own help (README: "Every command has `--help`
#: with examples"); ``[]`` is ``wfengine`` itself
COMMANDS = command_paths(main, [])

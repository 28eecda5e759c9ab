"""``wfengine signal send``: broadcast a signal to every instance in a database.

A contract (scripts rely on it exactly): ``wfengine signal send NAME --db URL [--set
NAME=VALUE]...`` broadcasts signal NAME with the ``--set`` data (VALUE as JSON when it parses,
else a string): every signal catch event of that name waiting, and every signal event of that
name attached to a running activity or starting an event sub-process, in every running
instance, takes it (each instance in its own command; the automatic work that follows is left
to ``wfengine worker``). It prints ``N taken``, how many took it; a signal nothing waits for is
lost (a transient trigger), and ``0 taken`` says so. Exit 0; 2 on usage errors and databases
that cannot be used.
"""

from __future__ import annotations

import click

from wfengine.cli.assignments import parse_assignments, set_option
from wfengine.cli.database import db_option, engine_on


@click.group()
def signal() -> None:
    """Broadcast signals (the signal catch events waiting in every instance take them)."""


@signal.command("send")
@click.argument("name")
@db_option
@set_option("Data the signal carries (merged into each instance that takes it).")
def send(name: str, url: str, assignments: tuple[str, ...]) -> None:
    """Broadcast signal NAME to every running instance.

    \b
    Examples:
      wfengine signal send price_change --db sqlite:///wf.db --set rate=1.2
    """
    data = parse_assignments(assignments)
    with engine_on(url) as engine:
        taken = engine.broadcast_signal(name, data)
    click.echo(f"{taken} taken")

"""``wfengine signal send``: broadcast a signal to every instance in a database.

A contract (scripts rely on it exactly): ``wfengine signal send NAME --db URL [--set
NAME=VALUE]... [--allow-undeclared]`` broadcasts signal NAME with the ``--set`` data, checked
as ``instance start --set`` is against the processes it reaches now: every process version
with a running instance waiting for the signal, and the version valid now of each process it
starts by a Signal start event (:mod:`wfengine.cli.event_data`; those versions must read it
the same way, else a usage error names them: ``'order' v1 and 'order' v2``; a version none
of whose instances waits does not count, however many catches it has): every signal
catch event of that name waiting, and every signal event of that
name attached to a running activity or starting an event sub-process, in every running
instance, takes it (each instance in its own command; the automatic work that follows is left
to ``wfengine worker``); and each process whose version valid now has a Signal start event of
that name starts one instance there. It prints ``N taken``, how many took it (an instance it
started counts one); a signal nothing waits for is lost (a transient trigger), and ``0 taken``
says so. Exit 0; 2 on usage errors (a ``--set``
that does not fit) and databases that cannot be used.
"""

from __future__ import annotations

import click

from wfengine.cli.assignments import allow_undeclared_option, set_option, split_assignments
from wfengine.cli.database import db_option, engine_on
from wfengine.cli.option_types import TRIGGER_NAME


@click.group(
    epilog="""\b
Examples:
  wfengine signal send price_change --db sqlite:///wf.db --set rate=1.2

(No shipped process catches a signal: price_change and rate are your own names, a signal
your process catches and a data field it declares.)""",
)
def signal() -> None:
    """Broadcast signals (the signal catch events waiting in every instance take them, and
    each Signal start event of the name starts an instance)."""


@signal.command("send")
@click.argument("name", type=TRIGGER_NAME)
@db_option
@set_option(
    "Data the signal carries (merged into each instance that takes it or starts).", typed=True
)
@allow_undeclared_option
def send(name: str, url: str, assignments: tuple[str, ...], allow_undeclared: bool) -> None:
    """Broadcast signal NAME to every running instance that waits for it; each process with a
    Signal start event of NAME starts one instance with the data.

    \b
    Examples:
      wfengine signal send price_change --db sqlite:///wf.db --set rate=1.2

    (No shipped process catches a signal: price_change and rate are your own names, a
    signal your process catches and a data field it declares.)
    """
    from wfengine.cli.event_data import signal_data

    raw = split_assignments(assignments)
    with engine_on(url) as engine:
        data = signal_data(engine, name, raw, allow_undeclared=allow_undeclared)
        taken = engine.broadcast_signal(name, data)
    click.echo(f"{taken} taken")

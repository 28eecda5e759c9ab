"""``wfengine message send``: a message to a process instance in a database.

A contract (scripts rely on it exactly): ``wfengine message send NAME --db URL (--instance ID
| --correlate KEY=VALUE...) [--set NAME=VALUE]... [--allow-undeclared]`` sends message NAME
with the ``--set`` data to the instance named by ``--instance``, or found by its correlation
keys (``--correlate``, the fields its process names in ``wfengine:correlation``). The data is
checked against that instance's process as ``instance start --set`` is, and each correlation
VALUE is read by its key field's declared type, in every stored version of the processes that
catch NAME (an instance of an older version is found by its version's keys and types;
:mod:`wfengine.cli.event_data`). It prints
``ID taken`` when a message catch event that waited took it (the instance's automatic work
that follows is left to ``wfengine worker``), ``ID kept`` when none waits yet and the
instance keeps it. Exit 0; 1 when no open instance (or more than one) matches, the instance is
closed, or its process has no catch event for NAME (a typo would be kept for ever); 2 on usage
errors (both or neither of ``--instance`` and ``--correlate``, a ``--set`` that does not fit
the process) and databases that cannot be used. ``--start`` instead starts a new instance at
the Message start event that takes NAME (``Engine.start_by_message``; the data checked against
the version of that process that starts: the newest valid now) and prints ``ID started``.
"""

from __future__ import annotations

import click

from wfengine.cli.assignments import allow_undeclared_option, set_option, split_assignments
from wfengine.cli.database import db_option, engine_on


@click.group(
    epilog="""\b
Examples:
  wfengine message send customer_reply --db sqlite:///wf.db --instance pi-7 --set ok=true""",
)
def message() -> None:
    """Send messages to process instances (their message catch events wait for them)."""


@message.command("send")
@click.argument("name")
@db_option
@click.option("--instance", "instance_id", metavar="ID", help="The instance to send it to.")
@click.option(
    "--correlate",
    "correlate",
    multiple=True,
    metavar="KEY=VALUE",
    help="Find the instance by a correlation key's value, read by the key field's type "
    "(repeatable).",
)
@click.option(
    "--start",
    is_flag=True,
    help="Start a new instance at the Message start event that takes it.",
)
@set_option("Data the message carries (into the instance that takes it).", typed=True)
@allow_undeclared_option
def send(
    name: str,
    url: str,
    instance_id: str | None,
    correlate: tuple[str, ...],
    start: bool,
    assignments: tuple[str, ...],
    allow_undeclared: bool,
) -> None:
    """Send message NAME to one instance.

    \b
    Examples:
      wfengine message send customer_reply --db sqlite:///wf.db --instance pi-7 --set ok=true
      wfengine message send customer_reply --db sqlite:///wf.db --correlate acceptance_no=A-17
      wfengine message send new_order --db sqlite:///wf.db --start --set item=kettle
      wfengine message send reply --db sqlite:///wf.db --correlate phone=13800000101
    """
    from wfengine.cli.event_data import (
        correlated_target,
        event_data,
        instance_data,
        starting_takers,
    )

    raw = split_assignments(assignments)
    if start:
        if instance_id is not None or correlate:
            raise click.UsageError("--start starts a new instance: no --instance or --correlate")
        with engine_on(url) as engine:
            takers = starting_takers(engine, name)
            data = event_data(takers, raw, f"message {name!r}", allow_undeclared=allow_undeclared)
            click.echo(f"{engine.start_by_message(name, data)} started")
        return
    if (instance_id is None) == (not correlate):
        raise click.UsageError("name the instance with --instance or --correlate (one of them)")
    with engine_on(url) as engine:
        target = instance_id
        if correlate:
            target = correlated_target(engine, name, correlate)
        assert target is not None
        data = instance_data(engine, target, raw, allow_undeclared=allow_undeclared)
        # (a typo, which no catch event takes, is refused by the engine: exit 1)
        taken = engine.send_message(name, data, instance_id=target)
    click.echo(f"{target} {'taken' if taken else 'kept'}")

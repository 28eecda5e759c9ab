"""``wfengine message send``: a message to a process instance in a database.

A contract (scripts rely on it exactly): ``wfengine message send NAME --db URL (--instance ID
| --correlate KEY=VALUE...) [--set NAME=VALUE]...`` sends message NAME with the ``--set``
data (VALUE as JSON when it parses, else a string) to the instance named by ``--instance``,
or found by its correlation keys (``--correlate``, the fields its process names in
``wfengine:correlation``; values read as ``--set``'s). It prints ``ID taken`` when a message
catch event that waited took it (the instance's automatic work that follows is left to
``wfengine worker``), ``ID kept`` when none waits yet and the instance keeps it. Exit 0;
1 when no open instance (or more than one) matches, the instance is closed, or its process
has no catch event for NAME (a typo would be kept for ever); 2 on usage
errors (both or neither of ``--instance`` and ``--correlate``) and databases that cannot be
used. ``--start`` instead starts a new instance at the Message start event that takes NAME
(``Engine.start_by_message``) and prints ``ID started``.
"""

from __future__ import annotations

import click

from wfengine.cli.assignments import parse_assignments, set_option
from wfengine.cli.database import db_option, engine_on


@click.group()
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
    help="Find the instance by a correlation key's value (repeatable).",
)
@click.option(
    "--start",
    is_flag=True,
    help="Start a new instance at the Message start event that takes it.",
)
@set_option("Data the message carries.")
def send(
    name: str,
    url: str,
    instance_id: str | None,
    correlate: tuple[str, ...],
    start: bool,
    assignments: tuple[str, ...],
) -> None:
    """Send message NAME to one instance.

    \b
    Examples:
      wfengine message send customer_reply --db sqlite:///wf.db --instance pi-7 --set ok=true
      wfengine message send customer_reply --db sqlite:///wf.db --correlate acceptance_no=A-17
      wfengine message send new_order --db sqlite:///wf.db --start --set item=kettle
    """
    data = parse_assignments(assignments)
    if start:
        if instance_id is not None or correlate:
            raise click.UsageError("--start starts a new instance: no --instance or --correlate")
        with engine_on(url) as engine:
            click.echo(f"{engine.start_by_message(name, data)} started")
        return
    if (instance_id is None) == (not correlate):
        raise click.UsageError("name the instance with --instance or --correlate (one of them)")
    keys = parse_assignments(correlate, "--correlate") if correlate else None
    with engine_on(url) as engine:
        target = instance_id
        if keys is not None:
            target = engine.correlated_instance(keys, message=name)
        assert target is not None
        # (a typo, which no catch event takes, is refused by the engine: exit 1)
        taken = engine.send_message(name, data, instance_id=target)
    click.echo(f"{target} {'taken' if taken else 'kept'}")

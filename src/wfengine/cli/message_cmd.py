"""``wfengine message send``: a message to a process instance in a database.

A contract (scripts rely on it exactly): ``wfengine message send NAME --db URL (--instance ID
| --correlate KEY=VALUE...) [--set NAME=VALUE]... [--keep|--no-keep] [--allow-undeclared]``
sends message NAME
with the ``--set`` data to the instance named by ``--instance``, or found by its correlation
keys (``--correlate``, the fields its process names in ``wfengine:correlation``). The data is
checked against that instance's process as ``instance start --set`` is, and each correlation
VALUE is read by its key field's declared type, in every stored version of the processes that
catch NAME (an instance of an older version is found by its version's keys and types;
:mod:`wfengine.cli.event_data`). It prints
``ID taken`` when a message catch event that waited took it (the instance's automatic work
that follows is left to ``wfengine worker``), ``ID kept`` when none waits yet and the
instance keeps it (``--keep``, the default). With ``--no-keep`` it is delivered only to a catch
waiting now (``Engine.send_message(keep=False)``): when none waits, or the instance is
suspended, it prints ``ID not taken`` (and why on stderr), and nothing changes, so a reply
is not kept to answer a question asked later, which its sender never saw: file it another
way. Exit 0; 1 when no open instance (or more than one) matches, the instance is
closed, or its process has no catch event for NAME (a typo would be kept for ever); 2 on usage
errors (both or neither of ``--instance`` and ``--correlate``, a ``--correlate`` KEY given
twice or that no process catching NAME correlates by, a ``--set`` that does not fit the
process) and databases that cannot be used. ``--start`` instead starts a new instance at
the Message start event that takes NAME (``Engine.start_by_message``; the data checked against
the version of that process that starts: the newest valid now) and prints ``ID started``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from wfengine.cli.assignments import allow_undeclared_option, set_option, split_assignments
from wfengine.cli.database import db_option, engine_on
from wfengine.cli.option_types import STORED_TEXT, TRIGGER_NAME

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine


@contextmanager
def _deploy_hint(engine: Engine, name: str) -> Iterator[None]:
    """A ``--start`` that finds no process starting by the message says how one is put in
    the database without starting an instance (``wfengine deploy``): before that command,
    ``instance start`` was the only way, and it left an instance with no message data. Not
    when a stored version starts by it (superseded, or valid later): the error names it and
    the version starting now, and deploying its file would roll the process back."""
    from wfengine.cli.exit_status import WorkflowRefused
    from wfengine.errors import NotFoundError
    from wfengine.runtime.message_starts import stored_starters

    try:
        yield
    except NotFoundError as exc:
        if stored_starters(engine, name):
            raise WorkflowRefused(str(exc)) from exc
        hint = "deploy the file whose process starts by it first: wfengine deploy FILE --db URL"
        raise WorkflowRefused(f"{exc}; {hint}") from exc


@click.group(
    epilog="""\b
Examples:
  wfengine message send customer_reply --db sqlite:///crm.db --instance pi-7 \\
    --set customer_info='The router is back on'

(customer_reply is the message a case of examples/crm_complaint/complaint.xpdl waits for
after its coordinator asks the customer a question; see `wfengine message send --help`.)""",
)
def message() -> None:
    """Send messages to process instances (their message catch events wait for them)."""


@message.command("send")
@click.argument("name", type=TRIGGER_NAME)
@db_option
@click.option(
    "--instance",
    "instance_id",
    metavar="ID",
    type=STORED_TEXT,
    help="The instance to send it to.",
)
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
@click.option(
    "--keep/--no-keep",
    default=True,
    show_default=True,
    help="When no catch event waits for it now, keep it on the instance for the next one "
    "(--keep), or leave it untaken and change nothing (--no-keep: prints 'ID not taken'; "
    "for a reply that must not answer a question asked later).",
)
@set_option("Data the message carries (into the instance that takes it).", typed=True)
@allow_undeclared_option
def send(
    name: str,
    url: str,
    instance_id: str | None,
    correlate: tuple[str, ...],
    start: bool,
    keep: bool,
    assignments: tuple[str, ...],
    allow_undeclared: bool,
) -> None:
    """Send message NAME to one instance.

    \b
    Examples:
      wfengine message send customer_reply --db sqlite:///crm.db --instance pi-7 \\
        --set customer_info='The router is back on'
      wfengine message send customer_reply --db sqlite:///crm.db \\
        --correlate phone=13800000101 --correlate acceptance_no=0101-0001 --no-keep
      wfengine message send new_order --db sqlite:///wf.db --start --set item=kettle

    (customer_reply, customer_info and the correlation keys phone and acceptance_no are
    those of examples/crm_complaint/complaint.xpdl, whose cases wait for the customer's
    reply after their coordinator asks a question (its README tells the story); --no-keep,
    as a reply must not answer a question asked later. No shipped process starts by a
    message: new_order and item are your own names there.)
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
        if not keep:
            raise click.UsageError("--start starts a new instance, which takes it: no --no-keep")
        with engine_on(url) as engine, _deploy_hint(engine, name):
            takers = starting_takers(engine, name)
            data = event_data(takers, raw, f"message {name!r}", allow_undeclared=allow_undeclared)
            click.echo(f"{engine.start_by_message(name, data)} started")
        return
    if (instance_id is None) == (not correlate):
        raise click.UsageError("name the instance with --instance or --correlate (one of them)")
    _once_each(correlate)
    with engine_on(url) as engine:
        target = instance_id
        if correlate:
            _correlation_keys(engine, name, correlate)
            target = correlated_target(engine, name, correlate)
        assert target is not None
        data = instance_data(engine, target, raw, allow_undeclared=allow_undeclared)
        # (a typo, which no catch event takes, is refused by the engine: exit 1)
        taken = engine.send_message(name, data, instance_id=target, keep=keep)
    if taken or keep:
        click.echo(f"{target} {'taken' if taken else 'kept'}")
        return
    click.echo(f"{target} not taken")
    click.echo(
        f"wfengine message send: no catch event of {target} waits for {name!r} now (or the "
        "instance is suspended); with --no-keep it is not kept: nothing was changed",
        err=True,
    )


def _once_each(correlate: tuple[str, ...]) -> None:
    """Refuse a ``--correlate`` KEY given twice (exit 2, naming it). Why: the pairs became a
    mapping in which the last value silently won, so a script that meant one case reached
    another (and a message was delivered or kept there)."""
    keys = Counter(pair.partition("=")[0] for pair in correlate)
    twice = sorted(key for key, n in keys.items() if n > 1)
    if twice:
        raise click.BadParameter(
            f"{', '.join(twice)} given more than once: one value per correlation key",
            param_hint="--correlate",
        )


def _correlation_keys(engine: Engine, name: str, correlate: tuple[str, ...]) -> None:
    """Refuse a ``--correlate`` KEY that no process catching message ``name`` correlates by
    (``wfengine:correlation``, in any stored version), naming it and the keys there are
    (exit 2). Why: the lookup could never match, and "no open process instance" read as if
    the case were closed. When no process catches ``name``, the send says so (exit 1)."""
    from wfengine.cli.event_data import deployed_takers

    takers = deployed_takers(engine, "message", name, every_version=True)
    if not takers:
        return
    allowed = sorted({key for t in takers for key in t.compiled.correlation_keys})
    unknown = [k for k in (p.partition("=")[0] for p in correlate) if k not in allowed]
    if unknown:
        keys = ", ".join(allowed) if allowed else "none (send it with --instance)"
        raise click.BadParameter(
            f"{', '.join(unknown)}: not a correlation key of the processes that catch message "
            f"{name!r}; their correlation keys (wfengine:correlation) are: {keys}",
            param_hint="--correlate",
        )

"""``wfengine audit``: the audit trail of a database, listed, exported and verified.

A contract (scripts rely on these exactly):

* ``wfengine audit --db URL [--instance ID] [--process P] [--activity A] [--user U]
  [--kind K]... [--since T] [--until T] [--format table|csv|jsonl|xes] [-o FILE]`` writes the
  events the filters select, oldest first (by time, then instance, then seq), to FILE or
  stdout (also ``-o -``). ``table`` (the default) is for people, each event's detail
  cut to one line (:mod:`wfengine.audit.detail_line`); ``csv`` and ``jsonl`` carry
  the columns of :data:`wfengine.audit.COLUMNS`; ``xes`` is an IEEE 1849 event log for
  process-mining tools (:mod:`wfengine.audit.exports`). T is an ISO 8601 time (without a
  zone: UTC); ``--since`` is inclusive, ``--until`` exclusive (an ``--until`` not after
  ``--since`` is a usage error: the window is empty); ``--kind`` may be given several times.
  A row that cannot be read as an event (a time or detail edited by hand) is left out with a
  message on stderr naming its instance and seq (exit 0); the other events are written.
* ``wfengine audit verify --db URL [--instance ID]`` recomputes the hash chains and prints
  ``ok: N instances, M events`` (and how many older events carry no hash), or one line per
  instance whose trail was tampered with, naming its first bad event (each stored instance's
  chain: an instance removed whole, its row and its events, is not seen). The listing's options
  given before ``verify`` (``audit --instance ID verify``) are a usage error naming where they
  go, not silently ignored.

Exit 0 on success; 1 when verification finds tampering, an instance id is unknown, a
``--process`` was never deployed there or an ``--activity`` is in no deployed version (of that
process, or of any: a misspelt filter is refused, naming what is deployed or the closest
activity, not listed as an empty trail); 2 on usage errors and databases that cannot be used.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import IO, Any

import click

from wfengine.cli.database import DB_ENVVAR, DB_HELP, db_option, engine_on, url_given
from wfengine.cli.exit_status import WorkflowRefused
from wfengine.cli.loading import OUTPUT_HINT, non_empty, output_file
from wfengine.cli.option_types import STORED_TEXT, USER_ID
from wfengine.cli.stderr_log import logging_to_stderr

_FORMATS = ("table", "csv", "jsonl", "xes")


def parse_time(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """An ISO 8601 option value as an aware datetime (UTC when it names no zone)."""
    if value is None:
        return None
    from wfengine.definition.iso_moments import HintedError, iso_datetime

    try:  # (24:00 refused on every Python: 3.14's fromisoformat reads it as the next day)
        found = iso_datetime(value)
    except HintedError as exc:
        raise click.BadParameter(str(exc)) from None
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time") from None
    if found.tzinfo is None:
        return found.replace(tzinfo=UTC)
    try:  # the stores compare in UTC: 0001-01-01T00:00+01:00 has no UTC time
        found.astimezone(UTC)
    except OverflowError:
        raise click.BadParameter(
            f"{value!r} is out of range: in UTC it falls before the year 1 or after the year 9999"
        ) from None
    return found


class _RequiredToList(click.Option):
    """The group's ``--db``: required to list the trail, so its help says ``[required]`` as
    every other ``--db`` does, but not declared required, since ``audit verify --db URL``
    takes its own (the listing refuses a missing one itself). Why: the help did not mark
    it while ``wfengine audit`` without it is "Missing option '--db'", exit 2."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.required = True  # (only while the help line is made)
        try:
            return super().get_help_record(ctx)
        finally:
            self.required = False


@click.group(invoke_without_command=True)
@click.option("--db", "url", metavar="URL", envvar=DB_ENVVAR, help=DB_HELP, cls=_RequiredToList)
@click.option(
    "--instance",
    "instance_id",
    metavar="ID",
    type=STORED_TEXT,
    help="Only this instance's events.",
)
@click.option(
    "--process",
    "process_id",
    metavar="P",
    type=STORED_TEXT,
    help="Only instances of this process.",
)
@click.option(
    "--activity",
    "activity_id",
    metavar="A",
    type=STORED_TEXT,
    help="Only events of this activity.",
)
@click.option("--user", metavar="U", type=USER_ID, help="Only what this user did.")
@click.option(
    "--kind",
    "kinds",
    metavar="K",
    multiple=True,
    callback=lambda _ctx, _param, value: _known_kinds(value),
    help="Only events of kind K (instance.created, work_item.completed, ...).",
)
@click.option("--since", metavar="T", callback=parse_time, help="Events at or after T.")
@click.option("--until", metavar="T", callback=parse_time, help="Events before T.")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="table", show_default=True)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    callback=non_empty(OUTPUT_HINT),
    help="Write to FILE instead of stdout ('-': stdout).",
)
@click.pass_context
def audit(
    ctx: click.Context,
    /,
    url: str | None,
    fmt: str,
    output: str | None,
    **filters: Any,
) -> None:
    """List or export the audit trail (see also: audit verify).

    \b
    Examples:
      wfengine audit --db sqlite:///wf.db --instance pi-1
      wfengine audit --db sqlite:///wf.db --kind operation.refused --format jsonl
      wfengine audit --db sqlite:///wf.db --format xes -o trail.xes
    """
    if ctx.invoked_subcommand is not None:
        _refuse_listing_options(ctx)
        return
    if url is None:
        raise click.UsageError("Missing option '--db'.")
    # (checked here, not by a callback: a subcommand, audit verify, has a --db of its own, and a
    # blank WFENGINE_DB the group read then is not what the user named)
    url_given(ctx, next(p for p in ctx.command.params if p.name == "url"), url)
    if output == "-":  # stdout, as for convert and render (not a file called "-")
        output = None
    since, until = filters.get("since"), filters.get("until")
    from wfengine.audit.metrics import empty_window

    if (reason := empty_window(since, until, "--")) is not None:
        # an empty listing with exit 0 would read as "nothing happened" (stats refuses it too)
        raise click.BadParameter(reason, param_hint="--until")
    from wfengine.audit import iter_events, write_csv, write_jsonl, write_xes
    from wfengine.runtime.queries import refuse_unknown_filters

    wanted = {k: v for k, v in filters.items() if v is not None and v != ()}
    if "kinds" in wanted:
        wanted["kind"] = list(wanted.pop("kinds"))
    # the store reports the rows it leaves out on the wfengine.store logger (as instances does)
    skipped_rows = logging_to_stderr("warning", "wfengine audit: %(message)s", "wfengine.store")
    with skipped_rows, engine_on(url) as engine, ExitStack() as files:
        if wanted.get("instance_id") is not None:
            engine.instance(wanted["instance_id"])  # an unknown id is refused (exit 1)
        # so is a misspelt --process or --activity (an empty trail read as "nothing
        # happened"), before any output is written, in every format
        refuse_unknown_filters(engine.store, wanted.get("process_id"), wanted.get("activity_id"))
        # a progress bar on stderr while writing to a file, when a person watches
        bar = output is not None and sys.stderr.isatty()
        if fmt == "xes":
            binary: IO[bytes] = (
                files.enter_context(output_file(output, binary=True))
                if output
                else sys.stdout.buffer
            )

            def progress(ids: list[str]) -> Iterable[str]:
                return files.enter_context(
                    click.progressbar(ids, label="instances", file=sys.stderr)
                )

            write_xes(engine, binary, progress=progress if bar else None, **wanted)
            return
        out: IO[str] = (
            files.enter_context(output_file(output, binary=False)) if output else sys.stdout
        )
        events: Iterable[Any] = iter_events(engine, **wanted)
        if bar:
            events = files.enter_context(click.progressbar(events, label="events", file=sys.stderr))
        if fmt == "csv":
            write_csv(events, out)
        elif fmt == "jsonl":
            write_jsonl(events, out)
        else:
            _table(events, out)


def _refuse_listing_options(ctx: click.Context) -> None:
    """Refuse the listing's options given before a subcommand (``audit --instance X verify``),
    which the subcommand would silently ignore, naming where each goes (exit 2)."""
    from click.core import ParameterSource

    command = f"audit {ctx.invoked_subcommand}"
    for param in ctx.command.params:
        if ctx.get_parameter_source(param.name or "") is not ParameterSource.COMMANDLINE:
            continue  # not given (a default, or --db from the environment)
        option = max(param.opts, key=len)
        if param.name in ("url", "instance_id"):
            raise click.UsageError(
                f"{option} of {command} goes after {ctx.invoked_subcommand!r}: "
                f"wfengine {command} {option} ..."
            )
        raise click.UsageError(f"{option} is an option of the audit listing, not of {command}")


def _known_kinds(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """``--kind`` values, each a kind of audit event (a misspelt one would match nothing and
    print an empty trail as if nothing had happened): exit 2 naming the closest, in the words
    ``engine.audit_events`` uses (:func:`~wfengine.runtime.audit_kinds.unknown_kind`)."""
    from wfengine.runtime.audit_kinds import unknown_kind

    for kind in kinds:
        why = unknown_kind(kind)
        if why is not None:
            raise click.BadParameter(why, param_hint="--kind")
    return kinds


def _table(events: Any, out: IO[str]) -> None:
    """The events one a line; a lone surrogate in a user id (which UTF-8 cannot hold) is
    U+FFFD, so one odd value does not end the listing with a traceback. The cells that come
    from users and definitions (ids, user) have their control characters escaped
    (:func:`~wfengine.one_line.one_line`): a user id holding a line break would otherwise
    print a forged row of its choosing."""
    from wfengine.audit.detail_line import detail_line
    from wfengine.audit.exports import utf8_text
    from wfengine.one_line import one_line

    out.write(
        f"{'AT':<32} {'INSTANCE':<16} {'SEQ':>4}  {'KIND':<24} {'ACTIVITY':<20} {'USER':<12}"
        " DETAIL\n"
    )
    for e in events:
        at = e.at.astimezone(UTC).isoformat(timespec="seconds")
        instance, kind = one_line(e.instance_id), one_line(e.kind)
        activity, user = one_line(e.activity_id or "-"), one_line(e.user or "-")
        detail = detail_line(e.detail)
        line = (
            f"{at:<32} {instance:<16} {e.seq:>4}  {kind:<24} {activity:<20} {user:<12} {detail}\n"
        )
        out.write(utf8_text(line))


@audit.command()
@db_option
@click.option(
    "--instance",
    "instance_id",
    metavar="ID",
    type=STORED_TEXT,
    help="Verify this instance only.",
)
def verify(url: str, instance_id: str | None) -> None:
    """Recompute the audit trail's hash chains; name the first bad event of each instance.

    Each stored instance's chain is checked: an instance removed whole (its row and its
    events) leaves nothing to check.

    \b
    Examples:
      wfengine audit verify --db sqlite:///wf.db
      wfengine audit verify --db sqlite:///wf.db --instance pi-1
    """
    with engine_on(url) as engine:
        report = engine.verify_audit(instance_id)
    if not report.ok:
        for found in report.breaks:
            click.echo(f"tampered: {found}")
        raise WorkflowRefused(
            f"{len(report.breaks)} of {report.instances} instances' audit trails do not verify"
        )
    older = f" ({report.unchained} older events carry no hash)" if report.unchained else ""
    click.echo(f"ok: {report.instances} instances, {report.events} events{older}")

"""``wfengine worklist`` and ``wfengine workitem``: people's work from the command line.

A contract (scripts rely on these exactly):

* ``wfengine worklist --db URL --user U [--state S] [--process P] [--limit N] [--after ID]
  [--json]`` lists the open items offered to U (unclaimed) or held by U, oldest first (a
  page of at most N after work item ID with ``--limit``/``--after``); ``--json`` prints
  ``[{"id", "instance_id", "process_id", "activity_id", "state", "holder", "offered_to",
  "due", "suspended"}]`` (``holder`` null when unclaimed, ``due`` the earliest deadline or
  null, ``suspended`` true for an item of a suspended instance, which is listed but refuses
  every action until the instance is resumed; the text line says ``instance suspended``); a
  text line is ``ID  PROCESS/ACTIVITY  STATE (WHO[, due TIME][, instance suspended])``, WHO
  ``held by U`` or, unclaimed, ``unclaimed, offered to N users``;
* ``wfengine workitem show|claim|start|complete|release|delegate|reassign|send-back|comment|
  attach ID --db URL --user U [--to USER] [--to-activity ACT] [--reason TEXT] [--file PATH]
  [--set NAME=VALUE]...``: ``send-back --to-activity ACT --reason TEXT`` sends the held item
  back to an earlier activity;
  ``comment --reason TEXT`` and ``attach --file PATH`` leave a note on the item
  (:mod:`wfengine.worklist.notes`); ``show`` prints the item as one JSON object
  (the worklist keys plus ``owner``, ``started_at``, ``completed_at``, ``assignees``,
  ``data``, the instance data the item may read, a sensitive field as ``***`` unless U can
  act on the open item, administers or created the instance, and ``writable``, the fields its
  completion may write: :mod:`wfengine.runtime.compile_people`), through the WAPI session
  (:meth:`wfengine.wapi.Session.get_work_item`), so a user who may not see the item is
  refused and the refusal audited (``operation.refused``) as the API's is;
  the others act as U (see :mod:`wfengine.runtime.work_rules` for who may), ``delegate`` and
  ``reassign`` to ``--to``, ``complete`` with ``--set`` data checked against the process's
  declarations as for ``run``.

Exit 0 on success, 1 when refused (not allowed, or not in a state that allows it: the reason
on stderr), 2 on usage errors (an empty ``--user`` or ``--to`` among them) and databases
that cannot be used. The engine behind these commands defers automatic work to ``wfengine
worker``, as the other operator commands do.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.assignments import allow_undeclared_option, set_option, split_assignments
from wfengine.cli.database import db_option, engine_on
from wfengine.cli.json_output import dumps, iso
from wfengine.cli.option_types import STORED_TEXT, USER_ID
from wfengine.cli.paging import after_option, limit_option
from wfengine.one_line import one_line as o

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.worklist.worklists import WorklistEntry

_STATES = ("offered", "allocated", "started")


def _user_option(func: Any, help_text: str = "Who acts.") -> Any:
    """The required ``--user U``: who acts on a work item, or (``worklist``) whose list."""
    return click.option(
        "--user",
        required=True,
        metavar="U",
        type=USER_ID,
        callback=_named,
        help=help_text,
    )(func)


def _list_user_option(func: Any) -> Any:
    return _user_option(func, "Whose list: the items offered to or held by U.")


def _named(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A user id, which is never empty (an empty one would name nobody)."""
    if not value.strip():
        raise click.BadParameter("name a user", ctx=ctx, param=param)
    return value


def _row(entry: WorklistEntry) -> dict[str, Any]:
    item = entry.item
    return {
        "id": item.id,
        "instance_id": item.instance_id,
        "process_id": entry.process_id,
        "activity_id": item.activity_id,
        "state": item.state.value,
        "holder": item.holder,
        "offered_to": list(item.assignees),
        "due": iso(entry.due),
        "suspended": item.suspended,
    }


@click.command(
    "worklist",
    epilog="""\b
Examples:
  wfengine worklist --db sqlite:///wf.db --user alice --json
  wfengine worklist --db sqlite:///wf.db --user alice --state offered
  wfengine worklist --db sqlite:///wf.db --user alice --limit 50 --after wi-7""",
)
@db_option
@_list_user_option
@click.option("--state", type=click.Choice(_STATES), help="Only items in this state.")
@click.option(
    "--process",
    "process_id",
    metavar="P",
    type=STORED_TEXT,
    help="Only items of this process.",
)
@limit_option
@after_option("work item")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='A list of {"id", "instance_id", "process_id", "activity_id", "state", "holder", '
    '"offered_to", "due", "suspended"}.',
)
def worklist_command(
    url: str,
    user: str,
    state: str | None,
    process_id: str | None,
    limit: int | None,
    after: str | None,
    as_json: bool,
) -> None:
    """List the open work items offered to or held by --user, oldest first.

    --limit and --after page through a long list: the next page is --after the id of the
    last item of this one (the first column of the text, "id" in --json), each page read
    from an index in listing order. An unknown --after ID exits 1.
    """
    from wfengine.runtime.queries import refuse_unknown_filters
    from wfengine.worklist.worklists import worklist

    with engine_on(url) as engine:
        refuse_unknown_filters(engine.store, process_id)  # a misspelt --process: exit 1
        # (any item marks a place: the last of a page may have been completed since)
        last = None if after is None else engine.work_item(after)
        entries = worklist(
            engine, user, state=state, process_id=process_id, after=last, limit=limit
        )
    if as_json:
        click.echo(dumps([_row(e) for e in entries]))
        return
    # one line per item: an id or user holding a line break (a process Id written with
    # &#10;, which deploys with a warning) is shown escaped, as status and instances do, not
    # as a forged row
    for e in entries:
        held = f"held by {o(e.item.holder)}" if e.item.holder else _unclaimed(e.item.assignees)
        due = f", due {iso(e.due)}" if e.due else ""
        # (listed, not acted on: every action is refused until the instance is resumed)
        stopped = ", instance suspended" if e.item.suspended else ""
        where = f"{o(e.process_id)}/{o(e.item.activity_id)}"
        click.echo(f"{o(e.item.id)}  {where}  {e.item.state.value} ({held}{due}{stopped})")


def _unclaimed(assignees: tuple[str, ...]) -> str:
    """Who an unclaimed item waits for, on its text line: how many it is offered to (their
    ids are ``offered_to`` in ``--json``; a role's hundreds would not keep to one line).
    Why: the line said ``offered (offered)``, the state twice."""
    count = len(assignees)
    return f"unclaimed, offered to {count} user{'' if count == 1 else 's'}"


@click.group(
    "workitem",
    epilog="""\b
Examples:
  wfengine workitem claim wi-7 --db sqlite:///wf.db --user alice
  wfengine workitem complete wi-7 --db sqlite:///wf.db --user alice --set order_id=A-100 \\
    --set customer=ada --set amount=250

(They follow `wfengine --help`'s org load, instance start and worker: wi-7 is an order to
enter, offered to sales, which alice is in.)""",
)
def workitem() -> None:
    """Show, claim, start, complete, release, delegate, reassign, send back, comment on or
    attach a file to one work item."""


@workitem.command("show")
@click.argument("item_id", metavar="ID", type=STORED_TEXT)
@db_option
@_user_option
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object (what show always prints).")  # fmt: skip
def show(item_id: str, url: str, user: str, as_json: bool) -> None:
    """Print the work item as one JSON object (offered to, held, owned, supervised or
    administered by --user; anyone else is refused, and the refusal audited).

    --json is taken, and changes nothing, so a script writes it as it does for
    `instance show ID --json` and `status ID --json` (it was a usage error, exit 2).

    \b
    Examples:
      wfengine workitem show wi-7 --db sqlite:///wf.db --user alice
      wfengine workitem show wi-7 --db sqlite:///wf.db --user alice | jq .data
    """
    from wfengine.wapi import connect
    from wfengine.worklist.worklists import entry

    with engine_on(url) as engine:
        session = connect(engine, user)  # WMGetWorkItem: refused and audited as the API is
        item = session.get_work_item(item_id)
        found = entry(engine, item)
        seen = session.get_work_item_attributes(item_id)
    out = _row(found) | {
        "owner": item.owner,
        "assignees": list(item.assignees),
        "started_at": iso(item.started_at),
        "completed_at": iso(item.completed_at),
        "data": seen.values,
        "writable": list(seen.writable),
    }
    click.echo(dumps(out))


def _act(url: str, action: str, item_id: str, act: Any) -> None:
    with engine_on(url) as engine:
        act(engine)
    click.echo(f"{action} {o(item_id)}")


@workitem.command("claim")
@click.argument("item_id", metavar="ID", type=STORED_TEXT)
@db_option
@_user_option
def claim(item_id: str, url: str, user: str) -> None:
    """Take an item offered to --user.

    \b
    Examples:
      wfengine workitem claim wi-7 --db sqlite:///wf.db --user alice
    """
    _act(url, "claimed", item_id, lambda e: e.claim_work_item(item_id, user))


@workitem.command("start")
@click.argument("item_id", metavar="ID", type=STORED_TEXT)
@db_option
@_user_option
def start(item_id: str, url: str, user: str) -> None:
    """Start the item --user holds.

    \b
    Examples:
      wfengine workitem start wi-7 --db sqlite:///wf.db --user alice
    """
    _act(url, "started", item_id, lambda e: e.start_work_item(item_id, user))


@workitem.command("release")
@click.argument("item_id", metavar="ID", type=STORED_TEXT)
@db_option
@_user_option
def release(item_id: str, url: str, user: str) -> None:
    """Give the item back (offered again, or back to who delegated it).

    \b
    Examples:
      wfengine workitem release wi-7 --db sqlite:///wf.db --user alice
    """
    _act(url, "released", item_id, lambda e: e.release_work_item(item_id, user))


@workitem.command("delegate")
@click.argument("item_id", metavar="ID", type=STORED_TEXT)
@db_option
@_user_option
@click.option(
    "--to",
    "to",
    required=True,
    metavar="USER",
    type=USER_ID,
    callback=_named,
    help="Who gets the item.",
)
def delegate(item_id: str, url: str, user: str, to: str) -> None:
    """Hand the item --user holds to --to, staying its owner.

    \b
    Examples:
      wfengine workitem delegate wi-7 --db sqlite:///wf.db --user alice --to bob
    """
    _act(url, "delegated", item_id, lambda e: e.delegate_work_item(item_id, user, to))


@workitem.command("reassign")
@click.argument("item_id", metavar="ID", type=STORED_TEXT)
@db_option
@_user_option
@click.option(
    "--to",
    "to",
    required=True,
    metavar="USER",
    type=USER_ID,
    callback=_named,
    help="Who gets the item.",
)
def reassign(item_id: str, url: str, user: str, to: str) -> None:
    """Give the item to --to (a supervisor or an administrator).

    \b
    Examples:
      wfengine workitem reassign wi-7 --db sqlite:///wf.db --user carol --to bob
    """
    _act(url, "reassigned", item_id, lambda e: e.reassign_work_item(item_id, user, to))


@workitem.command("send-back")
@click.argument("item_id", metavar="ID", type=STORED_TEXT)
@db_option
@_user_option
@click.option(
    "--to-activity",
    "to_activity",
    required=True,
    metavar="ACT",
    type=STORED_TEXT,
    help="The earlier activity.",
)
@click.option("--reason", required=True, metavar="TEXT", help="Why it goes back.")
def send_back(item_id: str, url: str, user: str, to_activity: str, reason: str) -> None:
    """Send the item --user holds back to an earlier activity of its instance; whoever
    completed that activity gets the work again.

    \b
    Examples:
      wfengine org load examples/organisation.yaml --db sqlite:///leave.db
      wfengine instance start examples/leave_request.xpdl --db sqlite:///leave.db \\
        --set employee_name=alice --set days=8
      wfengine worker --db sqlite:///leave.db --until-idle
      wfengine workitem complete wi-1 --db sqlite:///leave.db --user alice
      wfengine worker --db sqlite:///leave.db --until-idle
      wfengine workitem claim wi-101 --db sqlite:///leave.db --user carol
      wfengine workitem send-back wi-101 --db sqlite:///leave.db --user carol \\
        --to-activity submit --reason 'Which days?'

    (alice submits a request for 8 days, more than five, so carol, a manager, gets it to
    approve, as wi-101 (`wfengine worklist --user carol` lists it); she sends it back to
    alice's submit step instead. An activity that runs beside another, as pick_and_pack
    does beside invoice in fulfil_order, cannot be sent back.)
    """
    if not reason.strip():
        raise click.BadParameter("give a reason", param_hint="--reason")
    _act(
        url,
        "sent back",
        item_id,
        lambda e: e.send_back_work_item(item_id, user, to_activity, reason),
    )


@workitem.command("complete")
@click.argument("item_id", metavar="ID", type=STORED_TEXT)
@db_option
@_user_option
@set_option("Data the completion writes, checked against the process's declarations.", typed=True)
@allow_undeclared_option
def complete(
    item_id: str, url: str, user: str, assignments: tuple[str, ...], allow_undeclared: bool
) -> None:
    """Complete the item as --user; its instance's automatic work is queued for workers
    (`wfengine status` shows it until `wfengine worker` runs it).

    \b
    Examples:
      wfengine workitem complete wi-7 --db sqlite:///wf.db --user alice --set order_id=A-100 \\
        --set customer=ada --set amount=250
      wfengine workitem complete wi-101 --db sqlite:///leave.db --user carol --set approved=true

    (fulfil_order: alice, of sales, enters the order, after `wfengine workitem --help`'s
    claim; leave_request: carol, a manager, approves the request the steps of `wfengine
    workitem send-back --help` bring her, instead of sending it back.)
    """
    from wfengine.cli.declared_data import declared_values

    raw = split_assignments(assignments)

    def act(engine: Engine) -> None:
        item = engine.work_item(item_id)
        inst = engine.instance(item.instance_id)
        deployed = engine.deployed(inst.process_id, inst.version)
        data = declared_values(
            raw, deployed.package, deployed.definition, allow_undeclared=allow_undeclared
        )
        engine.complete_work_item(item_id, data, user=user, allow_undeclared=allow_undeclared)

    _act(url, "completed", item_id, act)


@workitem.command("comment")
@click.argument("item_id", metavar="ID", type=STORED_TEXT)
@db_option
@_user_option
@click.option("--reason", "text", required=True, metavar="TEXT", help="The comment.")
def comment(item_id: str, url: str, user: str, text: str) -> None:
    """Leave a comment on the work item (read by whoever may see it later).

    \b
    Examples:
      wfengine workitem comment wi-7 --db sqlite:///wf.db --user alice --reason 'Called back'
    """
    from wfengine.worklist.notes import notes_for

    with engine_on(url) as engine:
        item = engine.work_item(item_id)
        try:
            made = notes_for(engine).add_comment(user, item.instance_id, text, work_item_id=item_id)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--reason") from None
    click.echo(f"commented {o(item_id)} ({made.id})")


@workitem.command("attach")
@click.argument("item_id", metavar="ID", type=STORED_TEXT)
@db_option
@_user_option
@click.option(
    "--file",
    "path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="The file to attach (its type guessed from its name); `-` for stdin, with --name.",
)
@click.option(
    "--name",
    "given_name",
    metavar="NAME",
    help="The attachment's name (default: the file's); needed with --file -.",
)
def attach(item_id: str, url: str, user: str, path: str, given_name: str | None) -> None:
    """Attach a file to the work item.

    --file - reads the content from standard input (a report a script makes, piped in);
    it has no name of its own, so --name gives it one.

    \b
    Examples:
      wfengine workitem attach wi-7 --db sqlite:///wf.db --user alice --file receipt.pdf
      make-report | wfengine workitem attach wi-7 --db sqlite:///wf.db --user alice \\
          --file - --name report.pdf
    """
    import mimetypes
    from pathlib import Path

    from wfengine.cli.loading import read_input
    from wfengine.worklist.notes import MAX_ATTACHMENT_BYTES, notes_for

    if given_name is not None:
        name = given_name
        _attachable_name(name, "--name")  # before standard input is read, as --file's name
        if not name.strip():
            raise click.BadParameter("name the attachment (it is empty)", param_hint="--name")
    elif path == "-":
        raise click.BadParameter(
            "standard input has no file name: give the attachment one with --name NAME",
            param_hint="--file -",
        )
    else:
        name = Path(path).name
        _attachable_name(name)
    # no further than an attachment may be: /dev/zero or a pipe has no size to check first
    content = read_input(path, "--file", max_bytes=MAX_ATTACHMENT_BYTES)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    with engine_on(url) as engine:
        item = engine.work_item(item_id)
        try:
            made = notes_for(engine).attach(
                user,
                item.instance_id,
                name,
                content_type,
                content,
                work_item_id=item_id,
            )
        except ValueError as exc:  # (a name no attachment may have: a line break in it)
            hint = "--file" if given_name is None else "--name"
            raise click.BadParameter(str(exc), param_hint=hint) from None
    click.echo(f"attached {o(name)} to {o(item_id)} ({made.id}, {made.size} bytes)")


def _attachable_name(name: str, param_hint: str = "--file") -> None:
    """Refuse a file name that is not valid UTF-8 (a Latin-1 ``lettre-\xe9t\xe9.txt`` copied
    from an old system), which no store can keep as the attachment's name, before anything
    is read or opened. Why: it failed as a raw traceback (exit 1) from the engine's check;
    the bytes are shown as escapes, so the user can tell which file to rename. A ``--name``
    (``param_hint``) is checked the same way: it got past, to the engine's "not a plain file
    name" with the bytes garbled, and only once standard input had been read."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(name).decode("utf-8", "backslashreplace")
        raise click.BadParameter(
            f"the file name '{shown}' is not valid UTF-8, which an attachment's name must "
            "be: rename the file (or copy it under a UTF-8 name) and attach that",
            param_hint=param_hint,
        ) from None

"""``wfengine org``: the organisation a database offers work by.

``wfengine org load FILE --db URL`` reads an organisation file (YAML or JSON, ``-`` for
standard input; the shape is in
:mod:`wfengine.worklist.org_model`) and replaces the one stored in the database, in one
transaction. ``wfengine org show --db URL [--json]`` prints the stored organisation (``--json``:
the file's shape, which ``org load`` reads back, with every key of it present: null or [] when
empty). Exit statuses: 0 done; 1 the file is not a
usable organisation (the message names the file and the place in it); 2 a file or database
that cannot be read, or no organisation stored (``show``).

Engines opened on the database afterwards (``run --db``, ``worker``, ``instance start``)
offer work items to the members the organisation gives each performer; a ``wfengine worker``
already running takes up the new one before its next poll (:mod:`wfengine.worklist.org_watch`),
so the work and escalations it offers go by the new organisation too. The work already open
is offered afresh by the new organisation as the load ends (:mod:`wfengine.runtime.reoffer`): an
item on offer that its performers now resolve to other people, or one held by someone the new
organisation does not know, is withdrawn and offered to the performers' members now (a second
line says how many). Loading the same file again finishes a re-offer that was interrupted.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from wfengine.cli.database import db_option, engine_errors, open_engine
from wfengine.cli.exit_status import DefinitionUnusable, InputOutputError
from wfengine.cli.json_output import dumps
from wfengine.cli.loading import display_name
from wfengine.one_line import one_line

if TYPE_CHECKING:
    from wfengine.worklist.org_model import OrgDocument
    from wfengine.worklist.organisation import Organisation


@click.group(
    epilog="""\b
Examples:
  wfengine org load examples/organisation.yaml --db sqlite:///wf.db
  wfengine org show --db sqlite:///wf.db --json""",
)
def org() -> None:
    """Load and show the organisation (users, roles, units) work is offered by."""


@org.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@db_option
def load(file: str, url: str) -> None:
    """Replace the database's organisation with the one in FILE (YAML or JSON; - for
    standard input).

    \b
    Examples:
      wfengine org load examples/organisation.yaml --db sqlite:///wfengine.db
      curl -s https://hr.example/org.json | wfengine org load - --db sqlite:///wfengine.db
    """
    from wfengine.cli.loading import refuse_empty
    from wfengine.errors import OrganisationError
    from wfengine.runtime.reoffer import VersionsLeft, reoffer_work
    from wfengine.runtime.sql.store import SqlStore
    from wfengine.worklist.org_store import organisation_revision, save_organisation

    refuse_empty(file)
    try:
        organisation = _read_organisation(file)
    except OrganisationError as exc:
        raise DefinitionUnusable(str(exc)) from exc
    except OSError as exc:
        raise InputOutputError(f"cannot read {file}: {exc.strerror or exc}") from exc
    engine = open_engine(url)
    try:
        with engine_errors():
            if not isinstance(engine.store, SqlStore):
                raise InputOutputError(
                    "--db must name a database (the organisation is stored there)"
                )
            store = engine.store
            revision = save_organisation(store, organisation)
            left: VersionsLeft | None = None
            with _stopped_reoffer(file) as progress:  # stored: a stop from here leaves work
                engine.directory = organisation  # the open work goes by the new one now
                try:
                    reoffered = reoffer_work(
                        engine,
                        still_current=lambda: organisation_revision(store) == revision,
                        progress=progress,
                    )
                except VersionsLeft as exc:  # the others were re-offered: counted below
                    reoffered, left = exc.reoffered, exc
            replaced = organisation_revision(store) != revision
    finally:
        engine.close()
    doc = organisation.document
    click.echo(
        f"loaded {_counted(len(doc.users), 'user')}, {_counted(len(doc.units), 'unit')}, "
        f"{_counted(len(_roles(doc)), 'role')} and {_counted(len(doc.admins), 'administrator')} "
        f"from {display_name(file)}"
    )
    # always, also with 0 (the README's contract: a script reads the count from the second
    # line; it was printed only when something was re-offered, so the line a script read
    # was missing exactly when the new organisation left all the open work where it was)
    withdrawn = [r for r in reoffered if not r.kept]
    waiting = sum(1 for r in withdrawn if r.replaced_by is None)
    kept = len(reoffered) - len(withdrawn)
    said = [f"{waiting} waiting on an incident"] if waiting else []
    if kept:  # (theirs still, but a release would offer it to no one: an incident then)
        said.append(
            f"{kept} held, kept by its holder, whose performers reach no one now: "
            "a release opens an incident"
        )
    click.echo(
        f"re-offered {_items(len(withdrawn))} by the new organisation"
        + (f" ({'; '.join(said)})" if said else "")
    )
    if replaced:  # (the rest of the open work is offered by the one stored after it)
        click.echo(
            "another organisation load replaced this one meanwhile: the open work is offered "
            "by that one",
            err=True,
        )
    if left is not None:  # exit 1: a definition this wfengine cannot use, not a stop that a
        # rerun finishes as it is (exit 2): it finishes once the version compiles
        again = "-" if file == "-" else shlex.quote(file)
        raise DefinitionUnusable(
            f"the organisation in {display_name(file)} is stored and the other open work "
            f"offered afresh by it; {left}; `wfengine org load {again}` (the same --db) "
            "then finishes it"
        )


def _roles(doc: OrgDocument) -> dict[str, str | None]:
    """Every role of ``doc`` with its name: those its ``roles`` list, in their order, then
    those only users hold, as they first hold them. Why ``org show`` lists them: a role's
    name (which a participant's Name may match) and a role nobody holds were shown nowhere
    but in ``--json``."""
    found: dict[str, str | None] = {r.id: r.name for r in doc.roles}
    for user in doc.users:
        for role in user.roles:
            found.setdefault(role, None)
    return found


def _items(n: int) -> str:
    return _counted(n, "open work item")


def _counted(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


@contextmanager
def _stopped_reoffer(file: str) -> Iterator[_Progress]:
    """The re-offer after the organisation was stored, saying how far it got when it stops.

    Why: the organisation is stored by then, so a failure (the database locked or full) or
    Ctrl-C leaves the open work it had not reached offered to the old organisation's people,
    whom nobody may know now; the store's "stored data is unchanged" (true of the step it
    was taking) or a bare "Aborted!" read as if nothing had changed. Loading the same file
    again finishes the re-offer (it changes nothing already right): the message says so.
    A failure keeps its exit status (:func:`~wfengine.cli.database.engine_errors`), with
    this said first; Ctrl-C is said on stderr before the usual "Aborted!" (130). It yields
    what the re-offer tells how far it got (its ``progress``)."""
    progress = _Progress()
    try:
        with engine_errors():
            yield progress
    except KeyboardInterrupt:
        click.echo(err=True)  # (after the ^C the terminal echoed)
        click.echo(progress.stopped(file, "was interrupted"), err=True)
        raise
    except click.ClickException as exc:  # (engine_errors': its status kept)
        cause = f"What stopped it (the step it was taking was undone): {exc.message}"
        raise type(exc)(f"{progress.stopped(file, 'stopped')}. {cause}") from exc


class _Progress:
    """How far a re-offer got, as :func:`~wfengine.runtime.reoffer.reoffer_work` tells it:
    the open work items of the instances behind it, of all it read. The instance it was
    taking when it stopped was undone (each is one command), so those behind it are done."""

    def __init__(self) -> None:
        self.done: int | None = None  # (None: not begun)
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def stopped(self, file: str, how: str) -> str:
        """The message for a re-offer that stopped (``how``: "stopped", "was interrupted")."""
        if self.done is None:
            where = "before it began"
        else:
            where = f"after {self.done} of {_items(self.total)}, the others still offered as before"
        again = (
            "wfengine org load - (the same organisation on standard input)"
            if file == "-"
            else f"wfengine org load {shlex.quote(file)}"
        )
        return (
            f"the organisation in {display_name(file)} is stored, but offering the open work "
            f"afresh by it {how} {where}: run `{again}` again (the same --db) to finish it"
        )


def _read_organisation(file: str) -> Organisation:
    """The organisation in ``file``, or on standard input for ``-`` (YAML, which JSON is
    too; read up to the size an organisation file may have, as from a file)."""
    import sys

    from wfengine.errors import OrganisationError
    from wfengine.worklist.org_files import (
        MAX_ORG_FILE_BYTES,
        load_organisation,
        parse_organisation,
    )

    if file != "-":
        return load_organisation(file)
    from wfengine.cli.loading import STDIN_NAME

    raw = sys.stdin.buffer.read(MAX_ORG_FILE_BYTES + 1)
    if len(raw) > MAX_ORG_FILE_BYTES:
        raise OrganisationError(f"{STDIN_NAME}: larger than {MAX_ORG_FILE_BYTES} bytes")
    return parse_organisation(raw, STDIN_NAME)


@org.command()
@db_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='As JSON in the shape org load reads, {"users", "units", "roles", "admins"}, every '
    "key present.",
)
def show(url: str, as_json: bool) -> None:
    """Print the organisation stored in the database.

    \b
    Examples:
      wfengine org show --db sqlite:///wf.db
      wfengine org show --db sqlite:///wf.db --json > organisation.json
    """
    from wfengine.runtime.sql.store import SqlStore
    from wfengine.worklist.org_store import read_organisation

    engine = open_engine(url, create=False)  # showing makes no database (see engine_on)
    try:
        with engine_errors():  # a locked or unreadable database: exit 2 saying so
            stored = read_organisation(engine.store) if isinstance(engine.store, SqlStore) else None
    finally:
        engine.close()
    if stored is None:
        raise InputOutputError("no organisation is stored: load one with `wfengine org load`")
    doc = stored.document
    if as_json:
        # every key of the file's shape, also when empty (null, []): a script reads
        # `unit["parent"]` without guessing which keys a unit has; `org load` takes it back
        click.echo(dumps(doc.model_dump(mode="json"), indent=2))
        return
    for user in doc.users:
        parts = [user.id]
        if user.name:
            parts.append(f"({user.name})")
        if user.email:
            parts.append(f"e-mail: {user.email}")
        if user.phone:
            parts.append(f"phone: {user.phone}")
        if user.roles:
            parts.append("roles: " + ", ".join(user.roles))
        if user.units:
            parts.append("units: " + ", ".join(user.units))
        click.echo(one_line("user " + "  ".join(parts)))
    for unit in doc.units:
        extra = [f"({unit.name})"] if unit.name else []
        extra += [f"supervisor: {unit.supervisor}"] if unit.supervisor else []
        extra += [f"parent: {unit.parent}"] if unit.parent else []
        click.echo(one_line(f"unit {unit.id}" + ("  " + "  ".join(extra) if extra else "")))
    for role, name in _roles(doc).items():
        click.echo(one_line(f"role {role}" + (f"  ({name})" if name else "")))
    for admin in doc.admins:
        click.echo(one_line(f"admin {admin}"))

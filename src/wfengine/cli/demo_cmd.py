"""``wfengine demo crm``: a working day at a CRM call centre, run on the real engine.

``wfengine demo crm [--db URL] [--complaints N] [--seed S] [--example DIR]`` takes N
complaints (default 200) through the complaint process of ``examples/crm_complaint`` on a
durable engine (SQLite by default: a new file in a new temporary directory, named in the
report, so the trail can be inspected afterwards with ``wfengine stats``, ``wfengine status``
or ``wfengine audit``), with simulated agents, coordinators, department desks and customers who
act only through the worklist API and messages (``examples/crm_complaint/day.py``), a
progress bar, then the report (``report.py``): cases per path, waiting and handling time per
step, the bottleneck, reminders, what people were told of their work (e-mail and SMS through
the engine's notifiers, to a recording mail server and gateway), one case's brief and detailed
status, and a PNG of the times per step when matplotlib is installed. The same seed gives the
same day.

``--db`` names a durable database of the day's own: an in-memory one (``memory://``,
``sqlite://``) is refused (exit 2), since the trail would be gone when the demo ends; one that
already holds process instances or an organisation is refused (exit 2) before anything is
written, as ``wfengine simulate --db``
refuses one: the day would be reported mixed with what is there, and the organisation
replaced by the example's.

The example's files are read from ``--example``; by default from ``examples/crm_complaint``
of the source checkout this wfengine runs from (an editable install), else from
``examples/crm_complaint`` under the current directory (a wheel holds no examples: one
installed with pip and run at the top of a checkout finds them there, as the README's demo
line has it; stderr names the directory then, since its code runs); with neither, the
command says where to point (exit 2).
"""

from __future__ import annotations

import runpy
import shlex
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.database import url_given
from wfengine.cli.exit_status import InputOutputError
from wfengine.cli.loading import non_empty

if TYPE_CHECKING:
    from collections.abc import Callable

    from wfengine.runtime.engine import Engine
#: the example's directory in a source checkout (src/wfengine/cli -> the repository root)
CHECKOUT_EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "crm_complaint"
#: where the example is under the top directory of a checkout
EXAMPLE_UNDER = Path("examples") / "crm_complaint"


def _example_directory(given: Path | None) -> Path:
    """The example's directory (see the module notes); exit 2 saying where to point."""
    if given is not None:
        if not (given / "day.py").is_file():
            raise click.UsageError(
                f"--example {given}: no CRM example there (no day.py): pass the "
                f"{EXAMPLE_UNDER} directory of a source checkout of wfengine"
            )
        return given
    if (CHECKOUT_EXAMPLE / "day.py").is_file():
        return CHECKOUT_EXAMPLE
    here = Path.cwd() / EXAMPLE_UNDER
    if (here / "day.py").is_file():
        return here
    raise click.UsageError(
        f"the CRM example is not installed with wfengine (a wheel holds no examples) and "
        f"is not at {here}: run the command at the top of a source checkout of wfengine, "
        f"or pass --example path/to/{EXAMPLE_UNDER}"
    )


#: what to give ``--example`` instead of an empty name
_EXAMPLE_HINT = f"name the {EXAMPLE_UNDER} directory, or leave out --example"


def _example_path(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """``--example`` as a path, an empty name refused as every file option refuses one
    (:func:`~wfengine.cli.loading.non_empty`). Why here and not by ``click.Path``'s
    ``path_type``: that made ``''`` the current directory before any check, so from inside
    the example's directory ``--example ''`` ran the whole day."""
    checked = non_empty(_EXAMPLE_HINT)(ctx, param, value)
    return None if checked is None else Path(checked)


@click.group()
def demo() -> None:
    """Run the shipped examples on the real engine.

    \b
    Examples:
      wfengine demo crm
      wfengine demo crm --complaints 50 --seed 7 --db sqlite:///crm-day.db
    """


def _load(directory: Path, name: str) -> ModuleType:
    """The example's module ``name`` as its own loader loads it (``siblings.py``: each file
    once, under ``crm_complaint_NAME``), so the demo and the example's modules share one
    copy of each: ``day.py``'s intake is the one the demo's CRM was made with, and a second
    day in one process runs the files loaded for the first."""
    loader = directory / "siblings.py"
    if not loader.is_file():
        raise click.UsageError(
            f"{directory}: no siblings.py (the example's loader): copy it from the "
            f"{EXAMPLE_UNDER} directory of a source checkout of wfengine"
        )
    sibling: Callable[[str], ModuleType] = runpy.run_path(str(loader))["sibling"]
    return sibling(name)


def _refuse_used(engine: Engine, url: str) -> None:
    """Exit 2 when the database at ``url`` already holds someone's work: process instances,
    or an organisation (see the module notes)."""
    from wfengine.runtime.sql.connect import shown
    from wfengine.runtime.sql.store import SqlStore
    from wfengine.worklist.org_store import read_organisation

    held = None
    if engine.instance_summaries(limit=1):
        held = "process instances"
    elif isinstance(engine.store, SqlStore) and read_organisation(engine.store) is not None:
        held = "an organisation (wfengine org load), which the demo would replace"
    if held is not None:
        raise InputOutputError(
            f"{shown(url)} already holds {held}: the demo keeps its day in a database of its "
            "own (name a new one, or leave out --db)"
        )


def _durable(url: str) -> bool:
    """Whether ``url`` keeps what is written after the demo ends: not the engine's in-memory
    store (``memory://``) nor an in-memory SQLite database (``sqlite://``,
    ``sqlite:///:memory:``, ``mode=memory``). Why: the first failed with SQLAlchemy's "Can't
    load plugin" (the demo opens the CRM's tables on the same URL), the second ran and then
    pointed to a trail that no longer existed. A URL that does not parse is left to the
    engine to name."""
    from wfengine.runtime.sql.in_memory import in_memory

    return not in_memory(url)


@demo.command("crm")
@click.option(
    "--db",
    "url",
    metavar="URL",
    callback=url_given,
    help="Database (default: a new SQLite file).",
)
@click.option(
    "--complaints",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help="How many complaints arrive during the day.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="The day's random seed.")
@click.option(
    "--example",
    "example",
    type=click.Path(file_okay=False),
    default=None,
    callback=_example_path,
    help="The crm_complaint example directory (default: the checkout's, else "
    "examples/crm_complaint under the current directory).",
)
def crm(url: str | None, complaints: int, seed: int, example: Path | None) -> None:
    """A day of customer complaints at a CRM call centre.

    \b
    Examples:
      wfengine demo crm
      wfengine demo crm --complaints 1000 --seed 7
      wfengine demo crm --db sqlite:///crm.db
    """
    from wfengine.cli.database import engine_errors, open_engine
    from wfengine.runtime.clock import VirtualClock
    from wfengine.runtime.sql.store import SqlStore
    from wfengine.worklist.org_store import save_organisation

    if url is not None and not _durable(url):
        raise click.BadParameter(
            f"{url} is a database that is gone when the demo ends, and the demo runs its day "
            "on a durable engine whose trail you inspect afterwards: name a file "
            "(sqlite:///crm-day.db) or a server, or leave out --db for a new file",
            param_hint="--db",
        )
    directory = _example_directory(example)
    definition, crm_side = _load(directory, "definition"), _load(directory, "crm")
    day, report = _load(directory, "day"), _load(directory, "report")
    notices = _load(directory, "notices")
    work: Path | None = None  # the day's directory: its database (unless --db), its PNG
    if url is None:
        work = Path(tempfile.mkdtemp(prefix="wfengine-crm-"))
        url = f"sqlite:///{work / 'crm.db'}"
    clock = VirtualClock()
    engine = open_engine(url, defer=False, clock=clock)  # unusable: exit 2, named
    try:
        _refuse_used(engine, url)
        if example is None and directory != CHECKOUT_EXAMPLE:  # its code runs: say whose
            # (once the database is known to be usable: a refusal stays the first line)
            click.echo(f"wfengine demo crm: the example at {directory}", err=True)
        organisation = day.organisation(complaints)
        engine.directory = organisation
        # stored with the day's trail, so `wfengine stats` groups it by role and unit, and the
        # worklist commands know its people, as after `wfengine org load`
        if isinstance(engine.store, SqlStore):
            save_organisation(engine.store, organisation)
        # people hear of their work by e-mail and SMS, sent to a recording stand-in
        told: Any = notices.Recorded()
        notices.subscribe_people(
            engine.outbox.handlers, organisation, email=told.email(), sms=told.sms()
        )
        with engine_errors():  # the CRM's own tables refused (a newer version): exit 2, named
            apps: Any = crm_side.CrmApps(url, clock=clock)
        apps.register(engine.applications)
        engine.deploy(definition.build())
        # a progress bar for a person watching; redirected, click still wrote its label
        with ExitStack() as shown:
            progress: Callable[[int], None] | None = None
            if sys.stderr.isatty():
                bar = shown.enter_context(
                    click.progressbar(length=complaints, label="complaints", file=sys.stderr)
                )
                last = [0]

                def progress(done: int) -> None:
                    bar.update(done - last[0])
                    last[0] = done

            result = day.run_day(engine, clock, complaints, seed=seed, progress=progress)
        picture = (work / "crm-day.png") if work else _picture_beside(url)
        if picture is None:
            picture = Path(tempfile.mkdtemp(prefix="wfengine-crm-")) / "crm-day.png"
        click.echo(report.report(engine, result, apps, picture, told=told))
        click.echo(f"\n{_trail_line(url)}")
    finally:
        engine.close()


def _picture_beside(url: str) -> Path | None:
    """Where the day's picture goes when ``url`` names a SQLite file: beside it, its name
    with ``.png`` added (``crm-day1.db``, ``crm-day1.db.png``), as a user naming the database
    keeps the day there (it went to a new temporary folder per run, never removed). None for
    a server, a ``file:`` URI, or when that name is taken (a file of the user's, or a
    database named ``*.png``: the picture overwrote it): a temporary folder. Why the name
    added to, not its suffix replaced: ``day.mon`` and ``day.tue`` drew one ``day.png``."""
    from sqlalchemy.engine import make_url

    named = make_url(url)
    database = named.database
    if named.get_backend_name() != "sqlite" or not database or database.startswith("file:"):
        return None
    path = Path(database).resolve()
    picture = path.with_name(f"{path.name}.png")
    return None if picture.exists() else picture


def _trail_line(url: str) -> str:
    """The report's last line: where the day's trail is, and a command to read it, the URL
    without its password (as every other message shows it) and quoted for the shell (a
    PostgreSQL URL's ``&`` would end the command)."""
    from wfengine.runtime.sql.connect import shown

    where = shown(url)
    command = f"wfengine stats --db {shlex.quote(where)}"
    hidden = " with the password in place of ***" if where != url and "***" in where else ""
    return f"The day's trail: {where} (try: {command}{hidden})"

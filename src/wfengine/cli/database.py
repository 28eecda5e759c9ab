"""Commands that work on a database (``--db URL``): opening it, and what their errors mean.

Every such command shares the exit statuses of the other commands:

* **0**: done;
* **1**: the workflow refused the request, with a message on stderr naming what (an unknown
  instance or incident id, an illegal state change such as resuming a running instance, data
  that does not fit);
* **2**: usage, I/O and environment problems: a malformed URL, a database that cannot be
  reached, or one whose schema needs ``wfengine db upgrade`` first, or an in-memory one
  (``memory://``, ``sqlite://``): each command would open its own, empty one, gone when it
  ends (:func:`refuse_in_memory`).

``--db`` may also come from the environment variable ``WFENGINE_DB``.

An engine opened here offers work by the organisation ``wfengine org load`` stored in the
database, when there is one (see :mod:`wfengine.worklist.organisation`). One that runs a loop
(``wfengine worker``'s threads) takes up an organisation loaded while it runs, before its next
poll (:mod:`wfengine.worklist.org_watch`); a one-off command keeps the one it opened with.

Engines opened here for operators (``instance``, ``incident`` commands) defer automatic work
(``Engine(defer_automatic=True)``): resuming an instance or retrying an incident queues the
work for ``wfengine worker``, which has the application bindings; the command itself never
calls an application.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from wfengine.cli.exit_status import InputOutputError, WorkflowRefused

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError

    from wfengine.applications.registry import ApplicationRegistry
    from wfengine.runtime.clock import Clock
    from wfengine.runtime.engine import Engine

DB_ENVVAR = "WFENGINE_DB"
DB_HELP = (
    "SQLAlchemy URL of the database: sqlite:///wfengine.db or "
    f"postgresql+psycopg://user:pw@host/db (default: ${DB_ENVVAR})."
)

_F = TypeVar("_F", bound=Callable[..., Any])


def url_given(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """The callback of every ``--db``: an empty or blank URL is a usage error naming ``--db``
    (exit 2), or ``WFENGINE_DB`` when it came from there, before the command does anything.
    Why: it reached the store, whose refusal ("the database URL cannot be read: expected ...")
    named no option and showed no usage."""
    if isinstance(value, str) and not value.strip():
        from_env = ctx.get_parameter_source(param.name or "") is ParameterSource.ENVIRONMENT
        raise click.BadParameter(
            f"the database URL is empty ({value!r}): name one, such as sqlite:///wfengine.db "
            "or postgresql+psycopg://user@host/db",
            param_hint=f"{DB_ENVVAR} (the environment)" if from_env else "--db",
        )
    return value


def db_option(func: _F) -> _F:
    """The required ``--db URL`` option (into the parameter ``url``)."""
    decorated: _F = click.option(
        "--db",
        "url",
        required=True,
        metavar="URL",
        envvar=DB_ENVVAR,
        callback=url_given,
        help=DB_HELP,
    )(func)
    return decorated


def open_engine(
    url: str,
    *,
    applications: ApplicationRegistry | None = None,
    defer: bool = True,
    clock: Clock | None = None,
    create: bool = True,
) -> Engine:
    """An engine on ``url``; a database that cannot be used is exit status 2.

    ``defer``: leave automatic work to workers (see the module notes). ``create``: make the
    database (a SQLite file) and its schema when there are none; without, a missing one is
    exit status 2 (see :func:`engine_on`). An in-memory database is exit status 2 too (see
    :func:`refuse_in_memory`).
    """
    import sqlalchemy as sa

    from wfengine.errors import StoreError
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.sql.connect import shown

    refuse_in_memory(url)
    try:
        engine = Engine.from_url(
            url, applications=applications, defer_automatic=defer, clock=clock, create=create
        )
        _use_stored_organisation(engine)
        return engine
    except StoreError as exc:
        raise InputOutputError(str(exc)) from exc
    except sa.exc.DBAPIError as exc:
        said = f"cannot open the database {_safe(shown, url)}: {refused(exc, _role(url))}"
        raise InputOutputError(said) from exc
    except (sa.exc.SQLAlchemyError, sa.exc.ArgumentError, ValueError, OSError) as exc:
        raise InputOutputError(f"cannot open the database {_safe(shown, url)}: {exc}") from exc


def refused(exc: DBAPIError, role: str | None = None) -> str:
    """The database failing a command's statement, said as the store says it: the driver's
    first line and what to check (the grant a role ``role`` lacks, a disk full; for a
    connection that failed, that the database is up: an outage, not a refusal), not
    SQLAlchemy's multi-line text with the statement (a CREATE TABLE shown to an operator
    opening a database) and its background link."""
    from wfengine.runtime.sql.migrate import refusal_advice
    from wfengine.runtime.sql.retry import first_line, is_transient

    cause = f"({type(exc.orig).__name__}: {first_line(exc)})"
    if is_transient(exc):
        return f"the database could not be reached {cause}; check that it is up, then retry"
    check = refusal_advice(exc, role)
    return f"the database refused it {cause}" + (f"; {check}" if check else "")


def _role(url: str) -> str | None:
    """The user name ``url`` logs in as (None: none named, or the URL does not read)."""
    import sqlalchemy as sa

    try:
        return sa.make_url(url).username
    except sa.exc.ArgumentError:
        return None


def refuse_in_memory(url: str) -> None:
    """A usage error (exit 2) for ``--db`` naming the engine's memory store (``memory://``) or
    an in-memory SQLite database (``sqlite://``, ``sqlite:///:memory:``, ``mode=memory``).

    Why every command: each one opens its own database, new and empty, and it is gone when
    the command ends. A command that brings work in (``instance start``, ``org load``,
    ``run --db``, ``message send``, ``worker``) reported success and lost it; one that reads
    or changes stored work (``instances``, ``worklist``, ``incident retry``) could only find
    nothing, and pointed to ``wfengine db upgrade``, which refuses the same URL.
    """
    from wfengine.runtime.sql.in_memory import in_memory

    if not in_memory(url):
        return
    raise click.BadParameter(
        f"{url} is an in-memory database: each wfengine command opens a new, empty one, gone "
        "when the command ends (what it stores is lost, and it finds nothing stored): name a "
        "SQLite file (sqlite:///wf.db) or a server",
        param_hint="--db",
    )


def _use_stored_organisation(engine: Engine) -> None:
    """Offer work by the organisation ``wfengine org load`` stored, when there is one, and
    have a worker running the engine look for a newer one between polls (a worker runs for
    days; reading one number per poll costs little, and nothing is read per command)."""
    from wfengine.runtime.worker import between_polls
    from wfengine.worklist.org_watch import use_stored_organisation

    watch = use_stored_organisation(engine)
    if watch is not None:
        between_polls(engine, watch)


def _safe(show: Callable[[str], str], url: str) -> str:
    try:
        return show(url)
    except Exception:  # a URL too malformed to parse is shown as "the given URL"
        return "given by --db"


@contextmanager
def engine_errors() -> Iterator[None]:
    """Turn what an engine command raises into the command's exit status (see above)."""
    import sqlalchemy as sa

    from wfengine.errors import SchemaOutdatedError, StoreUnavailableError, WorkflowError

    try:
        yield
    except (StoreUnavailableError, SchemaOutdatedError) as exc:
        raise InputOutputError(str(exc)) from exc
    except WorkflowError as exc:
        raise WorkflowRefused(str(exc)) from exc
    except sa.exc.DBAPIError as exc:
        raise InputOutputError(f"database error: {refused(exc)}") from exc
    except sa.exc.SQLAlchemyError as exc:
        raise InputOutputError(f"database error: {exc}") from exc


@contextmanager
def engine_on(url: str, *, defer: bool = True, create: bool = False) -> Iterator[Engine]:
    """An operator's engine on ``url`` for the length of a command, errors mapped.

    Without ``create`` it makes no database: an operator's command (listing, inspecting,
    changing stored instances, items, incidents) on a mistyped SQLite path would otherwise
    leave an empty database there and answer as if nothing were stored; it is exit status 2
    naming the path and the command that creates one (``wfengine db upgrade``). The commands
    that bring work in (``deploy``, ``instance start``, ``run --db``, ``worker``, ``org load``,
    ``db upgrade``) create it.
    """
    engine = open_engine(url, defer=defer, create=create)
    try:
        with engine_errors():
            yield engine
    finally:
        engine.close()

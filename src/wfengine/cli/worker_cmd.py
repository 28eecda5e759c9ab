"""``wfengine worker``: run the jobs of a database (deferred work, timers, retries).

The contract scripts rely on (keep it exactly): ``wfengine worker --db URL [--concurrency N]
[--until-idle] [--apps MODULE]`` runs due jobs with N threads (1 to :data:`MAX_CONCURRENCY`,
each its own engine on URL; see :mod:`wfengine.runtime.worker` for why threads, and run several
worker processes to use several cores); ``--until-idle`` exits 0 once no job is due now,
claimable or held by another worker, so that what remains waits for a person, a timer that is
not due yet, or an operator.
``--apps MODULE`` binds applications as for ``wfengine run``.

It logs what it does on stderr (``--log-level``; per-job lines at ``debug``), including the
application-binding findings of every deployed package at start. SIGTERM or SIGINT stop it
gracefully: each thread finishes the job it is running and gives back the jobs it claimed but
has not started; exit status 0. A second signal exits at once (status 130); nothing is lost
then either, the leases just have to expire before another worker takes the jobs.

Exit statuses: 0 stopped or idle; 2 the database cannot be used (at start, or while running
until idle) or the ``--apps`` module is unusable; 1 a job hit a bug in the engine.

Extra options: ``--lease SECONDS`` (default 60) is how long a claim holds a job, and so how
soon a dead worker's jobs are taken over; ``--poll SECONDS`` (default 1) the longest sleep
when nothing is due.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from datetime import timedelta
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.database import db_option, open_engine
from wfengine.cli.stderr_log import logging_to_stderr

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.worker import Worker

_log = logging.getLogger("wfengine.worker")
_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
EXIT_KILLED = 130
#: threads one worker process runs at most: each holds a database connection, and beyond a few
#: dozen threads the GIL and the database, not the thread count, limit throughput (run several
#: worker processes instead)
MAX_CONCURRENCY = 64


@click.command(
    "worker",
    short_help="Run due jobs (deferred work, timers) of a database.",
    epilog="""\b
Examples:
  wfengine worker --db postgresql+psycopg://wf@db/wf --concurrency 4 --apps myapps
  wfengine worker --db sqlite:///wf.db --until-idle""",
)
@db_option
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=MAX_CONCURRENCY),
    default=1,
    show_default=True,
    help=f"Threads, each running jobs with its own engine (1 to {MAX_CONCURRENCY}; run several "
    "worker processes for more).",
)
@click.option("--until-idle", is_flag=True, help="Exit 0 once no job is due now.")
@click.option(
    "--apps",
    "apps_module",
    metavar="MODULE",
    help="Import MODULE (dotted name or .py file) and call its register(registry).",
)
@click.option(
    "--lease",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="How long a claim holds a job (renewed while running).",
)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.01),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help="Longest sleep when no job is due.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
    help="What to log on stderr.",
)
def worker(
    url: str,
    concurrency: int,
    until_idle: bool,
    apps_module: str | None,
    lease: float,
    poll: float,
    log_level: str,
) -> None:
    """Claim and run due jobs until stopped (SIGTERM/SIGINT) or, with --until-idle, idle."""
    with logging_to_stderr(log_level, _LOG_FORMAT):
        _work(url, concurrency, until_idle, apps_module, lease, poll)


def _work(
    url: str,
    concurrency: int,
    until_idle: bool,
    apps_module: str | None,
    lease: float,
    poll: float,
) -> None:
    from wfengine.cli.database import engine_errors
    from wfengine.runtime.worker import Worker

    registry = None
    if apps_module is not None:
        from wfengine.cli.apps import load_apps

        registry = load_apps(apps_module)
    first = open_engine(url, applications=registry, defer=False)  # exit 2 when unusable
    try:
        with engine_errors():
            _report_bindings(first)
    finally:
        first.close()

    def make_engine() -> Engine:
        return open_engine(url, applications=registry, defer=False)

    pool = Worker(
        make_engine,
        concurrency=concurrency,
        lease=timedelta(seconds=lease),
        poll=poll,
        until_idle=until_idle,
    )
    from wfengine.runtime.sql.connect import shown

    _log.info(
        "worker on %s: %d thread(s), lease %g s%s (pid %d)",
        shown(url),
        concurrency,
        lease,
        ", until idle" if until_idle else "",
        os.getpid(),
    )
    previous = _on_signals(pool)
    try:
        with engine_errors():
            pool.run()
    except click.ClickException:
        raise
    except Exception as exc:
        _log.exception("worker failed")
        raise click.ClickException(f"worker failed: {type(exc).__name__}: {exc}") from exc
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    _log.info("worker stopped after %d job(s)", pool.ran)


def _report_bindings(engine: Engine) -> None:
    """Log what the bindings of this worker leave unbound in the deployed packages."""
    seen: set[str] = set()
    apps_log = logging.getLogger("wfengine.applications")
    for process_id in engine.store.deployed_process_ids():
        deployed = engine.latest(process_id)
        if deployed is None or deployed.package_id in seen:
            continue
        seen.add(deployed.package_id)
        for finding in engine.applications.check(deployed.package):
            apps_log.warning("%s", finding.format(f"package {deployed.package_id}"))


_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


def _on_signals(pool: Worker) -> dict[int, _Handler]:
    """SIGTERM/SIGINT: the first stops ``pool`` gracefully, a second exits at once."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if pool.stopping:
            _log.warning("%s again: exiting now (claimed jobs return when leases expire)", name)
            os._exit(EXIT_KILLED)
        _log.info("%s: finishing the current job(s), then stopping", name)
        pool.stop()

    previous: dict[int, _Handler] = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous[signum] = signal.signal(signum, handler)
    return previous

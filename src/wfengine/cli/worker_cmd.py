"""``wfengine worker``: run the jobs of a database (deferred work, timers, retries).

The contract scripts rely on (keep it exactly): ``wfengine worker --db URL [--concurrency N]
[--until-idle] [--apps MODULE]`` runs due jobs with N threads (1 to :data:`MAX_CONCURRENCY`,
each its own engine on URL; see :mod:`wfengine.runtime.worker` for why threads, and run several
worker processes to use several cores); ``--until-idle`` exits 0 once no job is due now,
claimable or held by another worker, so that what remains waits for a person, a timer that is
not due yet, or an operator.
``--apps MODULE`` binds applications as for ``wfengine run``, and its ``subscribe(outbox)``, if
it has one, subscribes the handlers the worker delivers the outbox to (:mod:`wfengine.cli.apps`,
:mod:`wfengine.runtime.outbox_delivery`): after commit, at least once, with the entry's key as
idempotency key, retried with back-off. Without handlers for a kind, its entries are settled as
skipped, so run every worker of a database with the same ``--apps`` module.

**Supervised.** The threads run in a child process; the process started as ``wfengine worker``
only watches it (:mod:`wfengine.runtime.supervisor` says why: a job stuck in one long C call
holds the GIL and freezes its whole process). It renews the child's leases, and a job running
longer than ``--job-timeout`` (default 300 s) gets the child killed, the job made an incident
on its instance (retry it with ``wfengine incident retry``), the child's other jobs given back
and a fresh child started; so does a child dying in the middle of a job. The child is the same
command with hidden options (``--supervised-fd``, ``--supervisor-pid``); it reads the database
URL from ``$WFENGINE_DB``, never from its command line, where ``ps`` would show a password, and
removes that variable from its environment at once, so that the programs its applications run
(the subprocess agent passes its environment on) never see the URL.

It logs what it does on stderr (``--log-level``; per-job lines at ``debug``), including the
application-binding findings of every deployed package at start, and ends with the run's
summary, written by the supervisor over every worker process it ran
(:mod:`wfengine.runtime.worker_tally`). SIGTERM or SIGINT stop it gracefully: each thread
finishes the job it is running and gives back the jobs it claimed but has not started; exit
status 0. A job still running ``--grace`` seconds (default 10) after the
signal is stopped with its process and given back (it runs again). A second signal stops at
once (status 130), giving the claimed jobs back as well.

Exit statuses: 0 stopped or idle; 2 the database cannot be used (at start, while running
until idle, or its SQLite file deleted or replaced while it runs) or the ``--apps`` module is
unusable; 1 a job hit a bug in the engine; 130 stopped by a second signal.

Extra options: ``--lease SECONDS`` (default 60) is how long a claim holds a job, and so how
soon a dead worker's jobs are taken over; ``--poll SECONDS`` (default 1) the longest sleep
when nothing is due. Every SECONDS is a finite number, at most a year
(:class:`wfengine.cli.option_types.Seconds`): ``nan``, ``inf`` or more is a usage error.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.database import DB_ENVVAR, db_option, open_engine, refuse_in_memory
from wfengine.cli.exit_status import InputOutputError
from wfengine.cli.loading import APPS_HINT, non_empty
from wfengine.cli.option_types import Seconds
from wfengine.cli.stderr_log import logging_to_stderr
from wfengine.errors import DeployError, StoreError, StoreUnavailableError
from wfengine.runtime.limits import DEFAULT_GRACE, DEFAULT_JOB_TIMEOUT

if TYPE_CHECKING:
    from wfengine.applications.registry import ApplicationRegistry
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.outbox import OutboxHandlers
    from wfengine.runtime.supervisor import Supervisor
    from wfengine.runtime.worker import Worker

_log = logging.getLogger("wfengine.worker")
_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
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
  wfengine worker --db sqlite:///wf.db --until-idle
  wfengine worker --db sqlite:///wf.db --apps myapps --job-timeout 900""",
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
    callback=non_empty(APPS_HINT),
    help="Import MODULE (dotted name or .py file) and call its register(registry) to bind "
    "applications and its subscribe(outbox) to subscribe outbox handlers: "
    "outbox.subscribe(handler, kinds=['work_item.offered', ...]); each handler is called "
    "with every committed entry of its kinds, at least once (record.key is the idempotency "
    "key), retried with back-off. Entries of kinds nothing subscribes are skipped. "
    "Installed plug-ins (entry-point group wfengine.applications) are bound first; MODULE's "
    "bindings replace theirs.",
)
@click.option(
    "--lease",
    type=Seconds(min=0.1),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="How long a claim holds a job (renewed while running).",
)
@click.option(
    "--poll",
    type=Seconds(min=0.01),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help="Longest sleep when no job is due.",
)
@click.option(
    "--job-timeout",
    type=Seconds(min=0.1),
    default=DEFAULT_JOB_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="A job running longer is stopped with its worker process and becomes an incident on "
    "its instance (keep it above your applications' own timeouts).",
)
@click.option(
    "--grace",
    type=Seconds(min=0),
    default=DEFAULT_GRACE,
    show_default=True,
    metavar="SECONDS",
    help="After SIGTERM/SIGINT, how long running jobs may take to finish before they are "
    "stopped and given back.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
    help="What to log on stderr.",
)
# the worker process a supervisor starts: where it reports, and whose death ends it
@click.option("--supervised-fd", type=int, hidden=True)
@click.option("--supervisor-pid", type=int, hidden=True)
def worker(
    url: str,
    concurrency: int,
    until_idle: bool,
    apps_module: str | None,
    lease: float,
    poll: float,
    job_timeout: float,
    grace: float,
    log_level: str,
    supervised_fd: int | None,
    supervisor_pid: int | None,
) -> None:
    """Claim and run due jobs until stopped (SIGTERM/SIGINT) or, with --until-idle, idle."""
    refuse_in_memory(url)  # exit 2 before a process or thread starts: it would find no work
    if supervised_fd is not None and supervisor_pid is not None:
        # SIGINT is for the supervisor (a terminal sends it to the whole process group)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # the URL (a password, for PostgreSQL) came in $WFENGINE_DB and is read by now: keep
        # it from every program this process starts (the subprocess agent passes its
        # environment on), before any thread or application exists
        os.environ.pop(DB_ENVVAR, None)
    with logging_to_stderr(log_level, _LOG_FORMAT):
        if supervised_fd is not None and supervisor_pid is not None:
            _work(
                url,
                concurrency,
                until_idle,
                apps_module,
                lease,
                poll,
                supervised_fd,
                supervisor_pid,
            )
            return
        # a stop asked for while the supervisor starts (imports, opening the database) is
        # kept and honoured once it is up, rather than killing the process (exit 143)
        early: list[int] = []
        starting = _on_signals(early.append)
        command = _child_command(concurrency, until_idle, apps_module, lease, poll, log_level)
        status = _supervise(url, command, lease, job_timeout, grace, early, starting)
    if status:
        click.get_current_context().exit(status)


def _child_command(
    concurrency: int,
    until_idle: bool,
    apps_module: str | None,
    lease: float,
    poll: float,
    log_level: str,
) -> Callable[[int], Sequence[str]]:
    """The command line of the worker process, reporting on a descriptor (``-P``: the current
    directory is not put first on ``sys.path``, see :mod:`wfengine.cli.apps`)."""
    pid = os.getpid()

    def command(fd: int) -> list[str]:
        args = [sys.executable, "-P", "-m", "wfengine.cli.main", "worker"]
        args += ["--concurrency", str(concurrency), "--lease", repr(lease), "--poll", repr(poll)]
        args += ["--log-level", log_level, "--supervised-fd", str(fd)]
        args += ["--supervisor-pid", str(pid)]
        if until_idle:
            args.append("--until-idle")
        if apps_module is not None:
            args += ["--apps", apps_module]
        return args

    return command


# -- the supervisor -----------------------------------------------------------------------------


def _supervise(
    url: str,
    command: Callable[[int], Sequence[str]],
    lease: float,
    job_timeout: float,
    grace: float,
    early: list[int],
    starting: dict[int, _Handler],
) -> int:
    from wfengine.cli.database import engine_errors
    from wfengine.runtime.sql.connect import shown
    from wfengine.runtime.supervisor import Supervisor

    try:
        engine = open_engine(url, defer=False)  # exit 2 when unusable, before any child starts
    except BaseException:
        _restore(starting)
        raise
    try:
        supervisor = Supervisor(
            command,
            engine,
            env={**os.environ, DB_ENVVAR: url},
            lease=timedelta(seconds=lease),
            job_timeout=job_timeout,
            grace=grace,
            timeout_name="--job-timeout",
        )
        _log.info(
            "supervising a worker on %s: job timeout %g s, stop grace %g s (pid %d)",
            shown(url),
            job_timeout,
            grace,
            os.getpid(),
        )
        previous = _on_signals(lambda signum: supervisor.on_signal(signum))
        for signum in early:  # asked to stop while starting: it stops before starting a child
            supervisor.on_signal(signum)
        try:
            with engine_errors():
                status = supervisor.run()
        except click.ClickException:
            raise
        except Exception as exc:
            _log.exception("worker supervisor failed")
            raise click.ClickException(
                f"worker supervisor failed: {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            _restore(previous)
            _restore(starting)
    finally:
        engine.close()
    _summary(supervisor)
    return status


def _summary(supervisor: Supervisor) -> None:
    """The run's last lines: the supervisor's restarts, if any, then the summary, counting
    every worker process it ran and the incidents it opened (:mod:`.worker_tally`)."""
    if supervisor.started > 1 or supervisor.timed_out:
        _log.info(
            "supervisor: %d worker process(es) started, %d job(s) stopped for running too long",
            supervisor.started,
            supervisor.timed_out,
        )
    _log.info("%s", supervisor.tally.summary())


# -- the worker process -------------------------------------------------------------------------


def _work(
    url: str,
    concurrency: int,
    until_idle: bool,
    apps_module: str | None,
    lease: float,
    poll: float,
    report_fd: int,
    supervisor_pid: int,
) -> None:
    from wfengine.cli.database import engine_errors
    from wfengine.runtime.supervisor import EventReporter, bind_to_supervisor, lease_owner
    from wfengine.runtime.worker import Worker
    from wfengine.runtime.worker_tally import ReportedTally

    stop: list[Callable[[], None]] = []  # the pool's stop, once there is a pool

    def stop_pool() -> None:
        for call in stop:
            call()

    bind_to_supervisor(supervisor_pid, stop_pool)
    reporter = EventReporter(report_fd, stop_pool)
    tally = ReportedTally(reporter.tally)  # the summary is the supervisor's: it is told
    from wfengine.cli.apps import bind_plugins
    from wfengine.runtime.outbox import OutboxHandlers

    registry = bind_plugins()
    outbox = OutboxHandlers()
    if apps_module is not None:
        from wfengine.cli.apps import load_apps

        load_apps(apps_module, registry, outbox)
    _report_outbox(outbox)
    first = _open(url, registry)  # exit 2 when unusable (EXIT_UNAVAILABLE: unreachable)
    try:
        with engine_errors():
            _report_bindings(first)
    finally:
        first.close()

    def make_engine() -> Engine:
        engine = _open(url, registry)
        engine.worker_id = lease_owner(supervisor_pid)
        engine.job_observer = tally.observer(engine, reporter)
        engine.outbox.handlers = outbox  # one set of subscriptions for every thread
        return engine

    pool = Worker(
        make_engine,
        concurrency=concurrency,
        lease=timedelta(seconds=lease),
        poll=poll,
        until_idle=until_idle,
    )
    stop.append(pool.stop)
    from wfengine.runtime.sql.connect import shown

    _log.info(
        "worker on %s: %d thread(s), lease %g s%s (pid %d)",
        shown(url),
        concurrency,
        lease,
        ", until idle" if until_idle else "",
        os.getpid(),
    )
    previous = _on_signals(lambda _signum: _stop_once(pool), (signal.SIGTERM,))
    try:
        with engine_errors(), _file_gone_is_unusable(first):
            pool.run()
    except click.ClickException:
        raise
    except Exception as exc:
        _log.exception("worker failed")
        raise click.ClickException(f"worker failed: {type(exc).__name__}: {exc}") from exc
    finally:
        _restore(previous)
        tally.finish(pool.ran, pool.delivered)  # (what a failure left unreported counts too)
        reporter.close()


def _stop_once(pool: Worker) -> None:
    """The worker process's stop request (its supervisor's SIGTERM): finish the running jobs.
    It never exits at once by itself: that is the supervisor's call, and a second SIGTERM (one
    sent to the whole process group besides the supervisor's) must not cut a job short."""
    if not pool.stopping:
        _log.info("told to stop: finishing the current job(s), then stopping")
        pool.stop()


def _report_outbox(outbox: OutboxHandlers) -> None:
    """Log what the worker delivers the outbox to (nothing: entries are settled as skipped)."""
    kinds = outbox.handled_kinds()
    if kinds is None:
        _log.info("outbox: delivering every kind of entry")
    elif kinds:
        _log.info("outbox: delivering %s; other kinds are skipped", ", ".join(sorted(kinds)))
    else:
        _log.info("outbox: no handler subscribed (--apps MODULE's subscribe(outbox)): skipped")


class _DatabaseUnavailable(click.ClickException):
    """The worker process could not reach the database as it started: its supervisor starts
    another later, unless it was the first (see ``Supervisor.run``)."""

    #: ``supervised_child.EXIT_UNAVAILABLE`` (written out: the CLI loads no engine module
    #: to show its help; a test keeps the two equal)
    exit_code = 75


def _open(url: str, registry: ApplicationRegistry | None) -> Engine:
    """A worker process's engine on ``url``; exit 2 when the database cannot be used, and
    :class:`_DatabaseUnavailable` when it cannot be reached."""
    try:
        return open_engine(url, applications=registry, defer=False)
    except InputOutputError as exc:
        if isinstance(exc.__cause__, StoreUnavailableError):
            raise _DatabaseUnavailable(exc.message) from exc
        raise


@contextmanager
def _file_gone_is_unusable(engine: Engine) -> Iterator[None]:
    """A store error met once the SQLite file ``engine`` opened is gone (deleted, or another
    file in its place) is exit status 2, the database cannot be used, as the supervisor's own
    look at the file makes it: the threads stop on it with a ``StoreError`` naming the file
    (:mod:`wfengine.runtime.worker`), which :func:`engine_errors` takes for a refusal (1)."""
    from wfengine.runtime.sql.sqlite_file import store_file_problem

    try:
        yield
    except StoreError as exc:
        problem = store_file_problem(engine.store)
        if problem is None:
            raise
        said = str(exc)
        raise InputOutputError(said if problem in said else f"{problem} ({said})") from exc


def _report_bindings(engine: Engine) -> None:
    """Log what the bindings of this worker leave unbound in the deployed packages."""
    seen: set[str] = set()
    apps_log = logging.getLogger("wfengine.applications")
    for process_id in engine.store.deployed_process_ids():
        try:
            deployed = engine.latest(process_id)
        except DeployError as exc:  # stored by an earlier wfengine: its instances fail alone
            _log.warning("%s", exc)
            continue
        if deployed is None or deployed.package_id in seen:
            continue
        seen.add(deployed.package_id)
        for finding in engine.applications.check(deployed.package):
            apps_log.warning("%s", finding.format(f"package {deployed.package_id}"))


# -- signals ------------------------------------------------------------------------------------

_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


def _on_signals(
    react: Callable[[int], None],
    signums: Sequence[signal.Signals] = (signal.SIGTERM, signal.SIGINT),
) -> dict[int, _Handler]:
    """Send ``signums`` to ``react``; returns the handlers to restore."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        react(signum)

    previous: dict[int, _Handler] = {}
    for signum in signums:
        previous[signum] = signal.signal(signum, handler)
    return previous


def _restore(previous: dict[int, _Handler]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)

"""The scenario's ``trail``: an audit trail in a database, for ``{empirical: trail}`` durations.

The URL is read beside the scenario file, as ``trace`` and ``organisation`` are
(:func:`beside`): ``trail: sqlite:///history.db`` in ``whatif/again.yaml`` is
``whatif/history.db`` whatever the current directory. Before, it was read from the current
directory, so a scenario that worked from its own directory failed from the one above; and
the error then said to create the database (``wfengine db upgrade``), which makes an empty
one: the next run failed again, on "no completed instance" of every activity. A missing
database is now said so, with nothing to create: only an existing trail can help.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

from wfengine.errors import WorkflowError
from wfengine.simulation.distributions import ScenarioError

#: the form of a SQLite URL naming a file by its path: ``sqlite:///PATH`` (a driver too:
#: ``sqlite+pysqlite:///PATH``); ``sqlite:////abs/path`` is an absolute path
_SQLITE = "sqlite"


def beside(url: str, base: Path) -> str:
    """``url`` with a relative SQLite file path read from ``base`` (the scenario's
    directory); an absolute path, an in-memory database, a ``file:`` URI and any other
    database's URL unchanged."""
    file = _file(url)
    if file is None or PurePosixPath(file).is_absolute():
        return url
    scheme, _, rest = url.partition(":///")
    query = rest[len(file) :]
    return f"{scheme}:///{(base / file).as_posix()}{query}"


def _file(url: str) -> str | None:
    """The file path a ``sqlite:///PATH[?query]`` URL names, as written; None for another
    URL, an in-memory database or a ``file:`` URI."""
    scheme, found, rest = url.partition(":///")
    if not found or scheme.split("+")[0] != _SQLITE:
        return None
    path = rest.partition("?")[0]
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return path


def trail_reader(
    url: str | None, source: str, process_ids: Sequence[str]
) -> Callable[[str], list[float]] | None:
    """Processing times per activity of the processes ``process_ids`` from the trail at
    ``url`` (the scenario's, read from ``source``), read once when first asked: by the
    activity's id (those of every process with that id), and as ``PROCESS/ACTIVITY`` (that
    process's only: the key a scenario names a step by whose id two processes have)."""
    if url is None:
        return None
    cache: dict[str, list[float]] = {}
    loaded = False

    def read(activity_id: str) -> list[float]:
        nonlocal loaded
        if not loaded:
            _read(url, source, process_ids, cache)
            loaded = True
        return cache.get(activity_id, [])

    return read


def _read(url: str, source: str, process_ids: Sequence[str], cache: dict[str, list[float]]) -> None:
    import sqlalchemy as sa

    from wfengine.audit.exports import iter_events
    from wfengine.audit.loop_rounds import LoopActivities
    from wfengine.audit.metrics import activity_durations_of
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.sql.store import SqlStore

    file = _file(url)
    if file is not None and not Path(file).exists():
        raise ScenarioError(
            f"{source}: trail: no database at {file} (a trail is read beside the "
            "scenario: name the database of an audit trail, such as one "
            "`wfengine simulate --db` kept)"
        )
    try:  # an existing trail only: reading one must not create a database
        engine = Engine(store=SqlStore(url, create=False))
    except (WorkflowError, sa.exc.SQLAlchemyError) as exc:
        raise ScenarioError(f"{source}: trail: {exc}") from None
    try:
        looped = LoopActivities(engine)  # (a while loop that ran no round: no time)
        for process_id in process_ids:
            events = iter_events(engine, process_id=process_id)
            found = activity_durations_of(events, looped=looped)
            for act, spans in found.items():
                cache.setdefault(act, []).extend(p for _, p, _ in spans)
                cache.setdefault(f"{process_id}/{act}", []).extend(p for _, p, _ in spans)
    except sa.exc.SQLAlchemyError as exc:
        raise ScenarioError(f"{source}: trail: {url}: {exc}") from None
    finally:
        engine.close()

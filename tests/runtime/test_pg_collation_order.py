"""On a PostgreSQL database whose collation follows a locale (initdb takes the OS's, such as
en_US.UTF-8), listings order ids as every other store does, by code point: ``case-B``,
``case-Zulu``, ``case-alpha``. The locale order (alpha, B, Zulu) came out there before, in
``audit_events()`` (documented: by time, instance, seq), instance listings and their keyset
pages, and work items."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, VirtualClock

_CASES = ["case-Zulu", "case-alpha", "case-B"]
_BY_CODE_POINT = ["case-B", "case-Zulu", "case-alpha"]


class _HostIds:
    def __init__(self) -> None:
        self._cases = iter(_CASES)
        self._tasks = iter(c.replace("case", "task") for c in _CASES)
        self._n = 0

    def new(self, kind: str) -> str:
        if kind in ("pi", "wi"):
            return next(self._cases if kind == "pi" else self._tasks)
        self._n += 1
        return f"{kind}-{self._n}"


@pytest.fixture
def en_us_url(pg_server_url: str) -> Iterator[str]:
    """A database beside the session's, collated by ICU's en-US."""
    name = f"wf_en_us_{os.getpid()}"
    admin = sa.create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            try:
                conn.exec_driver_sql(
                    f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu '
                    "ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
                )
            except sa.exc.DBAPIError as exc:  # a server built without ICU
                pytest.skip(f"no ICU collation on this server: {exc}")
        yield sa.make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_a_locale_collated_database_lists_ids_by_code_point(en_us_url: str) -> None:
    with Engine(clock=VirtualClock(), db_url=en_us_url, ids=_HostIds()) as engine:
        pb = PackageBuilder("pkg")
        p = pb.process("main")
        p.participant("clerk")
        p.start("s").activity("work", performer="clerk").end("e")
        p.sequence("s", "work", "e")
        engine.deploy(pb.build())
        for _ in _CASES:
            engine.start_process("main")
        runs: list[str] = []
        for event in engine.audit_events():
            if not runs or runs[-1] != event.instance_id:
                runs.append(event.instance_id)
        assert runs == _BY_CODE_POINT
        first = engine.audit_events(limit=1)[0]
        assert first.instance_id == "case-B"
        every = engine.audit_events()
        last_of_zulu = every[-1 - len(engine.audit("case-alpha"))]
        assert last_of_zulu.instance_id == "case-Zulu"
        assert {e.instance_id for e in engine.audit_events(after=last_of_zulu)} == {"case-alpha"}
        assert [i.id for i in engine.instance_summaries()] == _BY_CODE_POINT
        page = engine.instance_summaries(after="case-B", limit=1)
        assert [i.id for i in page] == ["case-Zulu"]
        tasks = [c.replace("case", "task") for c in _BY_CODE_POINT]
        assert [w.id for w in engine.work_items()] == tasks

"""What the tests of a trail edited by hand share: a few stored instances, and SQL run on the
database behind wfengine's back (as a person with a database shell would)."""

from __future__ import annotations

import sqlalchemy as sa

from wfengine import Engine, PackageBuilder


def started(url: str, instances: int) -> list[str]:
    """``instances`` instances of a process whose one activity waits for a clerk, on ``url``."""
    with Engine(db_url=url) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a", performer="clerk")
        e.deploy(pb.build())
        return [e.start_process("p", {"n": n}) for n in range(instances)]


def run_sql(url: str, statement: str, **params: object) -> None:
    """Run ``statement`` on ``url`` and commit it."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(statement), params)
    finally:
        engine.dispose()

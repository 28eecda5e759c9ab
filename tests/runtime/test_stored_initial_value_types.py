"""A deployment an older wfengine stored, whose initial value deploying now refuses
(validation's ``initial-value-type``): a stored deployment is never validated again, so the
runtime decides what its instances get. A DATE keeps what the older engine gave (the date as
written); never the text itself in a field of another type."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ExpressionEvaluationError
from wfengine.runtime.engine import Engine

PLACEHOLDER = "2000-01-01"


def _older_deployment(tmp_path: Path, kind: str, initial: str) -> str:
    """A SQLite database holding process ``main`` whose field ``d`` (of ``kind``) starts at
    ``initial``, as an older wfengine stored it (deployed with a valid value, then the stored
    text rewritten: what that engine accepted and wrote)."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    builder = PackageBuilder("pkg")
    process = builder.process("main")
    process.data_field(
        "d", kind, initial=PLACEHOLDER if kind == "DATE" else PLACEHOLDER + "T00:00:00"
    )
    process.activity("a")
    engine = Engine(db_url=url)
    engine.deploy(builder.build())
    engine.close()
    old = PLACEHOLDER if kind == "DATE" else PLACEHOLDER + "T00:00:00"
    con = sqlite3.connect(tmp_path / "old.sqlite")
    with con:
        for column in ("xpdl", "model"):
            rows = con.execute(f"SELECT rowid, {column} FROM deployments").fetchall()
            for rowid, text in rows:
                text = text.decode() if isinstance(text, bytes) else text
                con.execute(
                    f"UPDATE deployments SET {column} = ? WHERE rowid = ?",
                    (text.replace(old, initial), rowid),
                )
    con.close()
    return url


@pytest.mark.parametrize(
    "initial", ["2024-01-01T00:00:00+01:00", "2024-01-01T10:30:00", "2024-01-01T23:30:00-05:00"]
)
def test_a_date_field_of_an_older_deployment_gets_the_written_date(
    tmp_path: Path, initial: str
) -> None:
    engine = Engine(db_url=_older_deployment(tmp_path, "DATE", initial))
    try:
        iid = engine.create_instance("main")
        assert engine.instance(iid).data["d"] == date(2024, 1, 1)
    finally:
        engine.close()


def test_a_datetime_field_of_an_older_deployment_with_no_datetime_is_refused_naming_it(
    tmp_path: Path,
) -> None:
    engine = Engine(db_url=_older_deployment(tmp_path, "DATETIME", "2024-01-01T25:00:00"))
    try:
        with pytest.raises(ExpressionEvaluationError, match="data field 'd' initial"):
            engine.create_instance("main")
    finally:
        engine.close()

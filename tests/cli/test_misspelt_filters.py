"""A misspelt ``--process`` or ``--activity`` is refused, exit 1, naming what is deployed or
the closest activity, before any output: ``audit`` (every format) and ``instances``, as
``stats`` refused it already (:func:`~wfengine.runtime.queries.refuse_unknown_filters`).
Before, each printed an empty listing (or an empty XES log) and exited 0, which reads as
"nothing happened"."""

from __future__ import annotations

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine import Engine
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import NotFoundError
from wfengine.runtime.queries import refuse_unknown_filters


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("filters")
    db = sqlite_url(tmp)
    pb = PackageBuilder("pkg")
    p = pb.process("claim")
    p.activity("enter").activity("check")
    p.transition("enter", "check")
    done = cli("run", write(tmp, pb), "--db", db)
    assert done.exit_code == 0, done.output
    return db


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["audit", "--process", "claims"], "no deployed process 'claims' (deployed: claim)"),
        (["audit", "--process", "claims", "--format", "xes"], "deployed: claim"),
        (["audit", "--process", "claims", "--format", "jsonl"], "deployed: claim"),
        (["audit", "--activity", "entr"], "no activity 'entr'"),
        (["audit", "--process", "claim", "--activity", "Enter", "--format", "csv"], "enter"),
        (["instances", "--process", "claims"], "no deployed process 'claims' (deployed: claim)"),
    ],
)
def test_a_misspelt_filter_exits_1_naming_what_is_there(
    url: str, args: list[str], said: str
) -> None:
    out = cli(*args, "--db", url)
    assert out.exit_code == 1, out.output
    assert said in out.stderr
    assert out.stdout == ""  # nothing written before the refusal


def test_the_right_filters_still_list(url: str) -> None:
    for args in (
        ["audit", "--process", "claim", "--activity", "enter", "--format", "jsonl"],
        ["instances", "--process", "claim"],
    ):
        out = cli(*args, "--db", url)
        assert out.exit_code == 0, out.output
        assert out.stdout.strip()


def test_refuse_unknown_filters(url: str) -> None:
    with Engine(db_url=url) as engine:
        with pytest.raises(NotFoundError, match="deployed: claim"):
            refuse_unknown_filters(engine.store, "claims")
        with pytest.raises(NotFoundError, match="did you mean enter"):
            refuse_unknown_filters(engine.store, None, "entr")
        with pytest.raises(NotFoundError, match="process 'claim'"):
            refuse_unknown_filters(engine.store, "claim", "nowhere")
        refuse_unknown_filters(engine.store, "claim", "enter")
        refuse_unknown_filters(engine.store, None, "check")

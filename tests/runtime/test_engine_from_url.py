"""``Engine.from_url``: one string names the store, as hosts configure it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, ProcessState, StoreError, VirtualClock
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.sql.store import SqlStore


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("review", performer="clerk", deadlines=[("PT1H", "Late", "ASYNCHR")])
    return pb


@pytest.mark.parametrize("url", ["memory://", "memory:"])
def test_the_memory_url_is_the_in_memory_store(url: str) -> None:
    with Engine.from_url(url) as engine:
        assert isinstance(engine.store, MemoryStore)
        engine.deploy(_package().build())
        iid = engine.start_process("p")
        assert engine.instance(iid).state is ProcessState.RUNNING


def test_a_sqlite_url_keeps_instances_for_the_next_engine(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine.from_url(url) as engine:
        assert isinstance(engine.store, SqlStore)
        engine.deploy(_package().build())
        iid = engine.start_process("p")
    with Engine.from_url(url) as engine:
        (item,) = engine.work_items(iid)
        engine.complete_work_item(item.id)
        assert engine.instance(iid).state is ProcessState.COMPLETED


def test_keyword_arguments_reach_the_engine() -> None:
    clock = VirtualClock()
    with Engine.from_url("memory://", clock=clock, defer_automatic=True) as engine:
        assert engine.clock is clock
        assert engine.defer_automatic is True
        engine.deploy(_package().build())
        iid = engine.start_process("p")
        assert engine.work_items(iid) == []  # deferred: the first step waits for a worker
        clock.advance(timedelta(minutes=5))
        engine.run_due_jobs()
        (timer,) = engine.timers(iid)
        assert timer.due == clock.now() + timedelta(hours=1)


def test_create_false_makes_no_database(tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    with pytest.raises(StoreError, match=f"no database at {path}: nothing was created"):
        Engine.from_url(f"sqlite:///{path}", create=False)
    assert not path.exists()
    with pytest.raises(StoreError, match="new, empty store"):
        Engine.from_url("memory://", create=False)
    with Engine.from_url(f"sqlite:///{path}") as engine:  # made by a program that may
        engine.deploy(_package().build())
    with Engine.from_url(f"sqlite:///{path}", create=False) as engine:
        assert engine.store.deployed_process_ids() == ["p"]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("mysql://user:secret@host/db", "unsupported database"),
        ("not a url", "cannot be read"),
    ],
)
def test_a_url_naming_no_usable_store_is_a_store_error(url: str, said: str) -> None:
    with pytest.raises(StoreError, match=said) as raised:
        Engine.from_url(url)
    assert "secret" not in str(raised.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////tmp/a b/c:d.db", "sqlite:////tmp/a b/c:d.db"),
        ("sqlite:///:memory:", "sqlite:///:memory:"),
        ("sqlite:///relative/wf.db", "sqlite:///relative/wf.db"),
        ("postgresql://ada:secret@db.example/wf", "postgresql+psycopg://ada:***@db.example/wf"),
    ],
)
def test_messages_show_a_url_as_written_without_its_password(url: str, expected: str) -> None:
    from wfengine.runtime.sql.connect import shown

    assert shown(url) == expected


def test_the_first_command_after_a_deploy_does_not_compile_the_stored_text_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deploying engine keeps what it compiled (issue 14: a 10,000-activity process took
    2 s to read back before its first start); another engine still reads the package back
    (from its stored model, see ``test_deployment_models``)."""
    import wfengine.runtime.deployment as deployment

    url = f"sqlite:///{tmp_path / 'wf.db'}"
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a").activity("b").transition("a", "b")
    reads: list[int] = []
    real = deployment._package

    def counting(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(deployment, "_package", counting)
    with Engine.from_url(url) as first:
        first.deploy(pb.build())
        first.start_process("main")
        assert reads == []
    with Engine.from_url(url) as other:
        assert other.trace(other.start_process("main")) == ["a", "b"]
        assert reads == [1]


@pytest.mark.parametrize("url", ["memory://x", "memory:///tmp/wf", "MEMORY://name"])
def test_a_memory_url_with_a_path_says_memory_takes_none(url: str) -> None:
    """It said "unsupported database memory://x: wfengine stores in SQLite or PostgreSQL",
    though ``memory://`` is documented."""
    with pytest.raises(StoreError, match=r"memory:// \(the in-memory store\) takes no path"):
        Engine.from_url(url)


def test_the_memory_url_any_case_is_the_memory_store() -> None:
    with Engine.from_url("MEMORY://") as engine:
        assert isinstance(engine.store, MemoryStore)


def test_the_memory_url_as_db_url_names_the_memory_store_engine() -> None:
    with pytest.raises(StoreError, match=r"memory:// is the memory store: use Engine\(\)"):
        Engine(db_url="memory://")


@pytest.mark.parametrize("url", [5, None, Path("cases.db"), b"sqlite://"])
def test_a_url_of_the_wrong_kind_is_a_type_error_naming_it(url: object, tmp_path: Path) -> None:
    """As ``Engine(db_url=5)`` is: ``from_url(5)``, ``from_url(None)`` or a ``Path`` said "the
    database URL cannot be read", a StoreError that reads as a mistyped URL."""
    kind = type(url).__name__
    with pytest.raises(TypeError, match=rf"^Engine\.from_url: url is a database URL .*not {kind}"):
        Engine.from_url(url)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=rf"^SqlStore: url is a database URL .*not {kind}"):
        SqlStore(url)  # type: ignore[arg-type]


def test_a_path_is_told_how_to_write_it_as_a_url() -> None:
    with pytest.raises(TypeError, match=r"write 'sqlite:///cases\.db' for a SQLite file"):
        Engine.from_url(Path("cases.db"))  # type: ignore[arg-type]


def test_a_sqlalchemy_url_is_taken(tmp_path: Path) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(f"sqlite:///{tmp_path / 'x.db'}")
    with Engine.from_url(url) as engine:  # type: ignore[arg-type]
        assert isinstance(engine.store, SqlStore)

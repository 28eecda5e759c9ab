"""``Engine(directory=StaticDirectory)``, the class with its parentheses forgotten, is refused
at once, as ``clock=VirtualClock`` and ``ids=...`` are: it was accepted (its ``members`` is
callable), and every offer became an incident "the directory type failed to answer
members('clerk') (AttributeError: 'str' object has no attribute '_members')"."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import Engine, Organisation, StaticDirectory


@pytest.mark.parametrize("cls", [StaticDirectory, Organisation])
def test_a_directory_class_is_refused_naming_it(cls: type) -> None:
    with pytest.raises(TypeError, match=rf"not the class {cls.__name__}: pass {cls.__name__}"):
        Engine(directory=cls)  # type: ignore[arg-type]


def test_setting_a_directory_class_is_refused_and_keeps_the_directory() -> None:
    with Engine() as engine:
        before = engine.directory
        with pytest.raises(TypeError, match="not the class StaticDirectory"):
            engine.directory = StaticDirectory  # type: ignore[assignment]
        assert engine.directory is before


def test_a_refused_directory_opens_no_database(tmp_path: Path) -> None:
    # (the store was opened first: the refusal left a database file and an open engine)
    db = tmp_path / "wf.db"
    with pytest.raises(TypeError, match="not the class StaticDirectory"):
        Engine(db_url=f"sqlite:///{db}", directory=StaticDirectory)  # type: ignore[arg-type]
    assert not db.exists()

"""``Engine.instances()`` leaves out an instance whose stored version no longer compiles, with a
warning naming it, as the work list and ``instance_summaries()`` do: before, that one
instance's DeployError was raised for the whole database, so no instance could be listed."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.worklist.test_worklist_broken_version import _fill
from wfengine import Engine
from wfengine.errors import DeployError


def test_instances_leaves_out_an_instance_that_no_longer_compiles(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    broken, good = _fill(url)
    with caplog.at_level(logging.WARNING, logger="wfengine.store"), Engine(db_url=url) as e:
        assert [i.id for i in e.instances()] == [good]
        assert [i.id for i in e.instances(state="open.running")] == [good]
        assert e.instances(process_id="desk") == []
        assert [s.id for s in e.instance_summaries()] == [broken, good]  # (still listed)
        with pytest.raises(DeployError):  # what needs the version fails, as before
            e.instance(broken)
    assert f"left out instance {broken!r} (process 'desk' version 1)" in caplog.text
    assert "does not compile" in caplog.text

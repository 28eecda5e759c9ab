"""``wfengine worker`` on a database an earlier wfengine filled: a stored deployment the running
wfengine can no longer compile is logged, and the worker runs everything else."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import APPS, automatic, cli, sqlite_url, write
from tests.runtime.conftest import rewrite_stored
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _break_stored(url: str, process_id: str) -> None:
    """Make the stored deployment of ``process_id`` one this wfengine does not compile."""
    rewrite_stored(url, process_id, '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')


def test_a_deployment_that_no_longer_compiles_does_not_stop_the_worker(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    apps = tmp_path / "apps.py"
    apps.write_text(APPS)
    desk = PackageBuilder("desk")
    desk.process("desk").activity(
        "answer", performer="clerk", extended={"wfengine:reminder-every": "PT5M"}
    )
    with Engine(db_url=url) as e:
        e.deploy(desk.build())
        e.start_process("desk")
    _break_stored(url, "desk")
    [iid] = cli("instance", "start", write(tmp_path, automatic()), "--db", url).stdout.split()
    result = cli("worker", "--db", url, "--until-idle", "--apps", str(apps))
    assert result.exit_code == 0, result.output
    assert "'desk' v1" in result.stderr and "does not compile" in result.stderr
    with Engine(db_url=url) as e:
        assert e.instance(iid).state is ProcessState.COMPLETED

"""``signal send --set`` across versions: the data is checked against the process versions
whose open instances the signal reaches, not a version whose instances have all closed, and
versions that read it differently are named by their versions."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package


def _order(amount: str) -> Package:
    pb = PackageBuilder("sig")
    p = pb.process("order")
    p.data_field("amount", amount)
    p.start("s").intermediate("wait_go", signal="go").end("e").sequence("s", "wait_go", "e")
    return pb.build()


def _database(tmp_path: Path, *, v1_open: bool) -> tuple[str, str, str]:
    """v1 (amount FLOAT) and v2 (amount STRING) of 'order', an instance of each waiting at
    the catch of signal 'go'; the v1 one terminated unless ``v1_open``."""
    url = sqlite_url(tmp_path)
    with Engine(db_url=url) as engine:
        engine.deploy(_order("FLOAT"))
        first = engine.start_process("order")
        if not v1_open:
            engine.terminate(first)
        engine.deploy(_order("STRING"))
        second = engine.start_process("order")
    return url, first, second


def _amount(url: str, instance_id: str) -> object:
    with Engine(db_url=url) as engine:
        return engine.instance(instance_id).data["amount"]


def test_a_version_whose_instances_closed_does_not_refuse_the_data(tmp_path: Path) -> None:
    url, _, second = _database(tmp_path, v1_open=False)
    sent = cli("signal", "send", "go", "--db", url, "--set", "amount=high")
    assert sent.exit_code == 0 and sent.stdout == "1 taken\n", sent.output
    assert _amount(url, second) == "high"


def test_a_text_that_looks_like_a_number_keeps_the_reached_versions_type(tmp_path: Path) -> None:
    url, _, second = _database(tmp_path, v1_open=False)
    sent = cli("signal", "send", "go", "--db", url, "--set", "amount=12")
    assert sent.exit_code == 0 and sent.stdout == "1 taken\n", sent.output
    assert _amount(url, second) == "12"


def test_versions_both_reached_that_read_it_differently_are_named(tmp_path: Path) -> None:
    url, first, second = _database(tmp_path, v1_open=True)
    sent = cli("signal", "send", "go", "--db", url, "--set", "amount=12")
    assert sent.exit_code == 2, sent.output
    assert "reaches processes 'order' v1 and 'order' v2, which read amount" in sent.stderr
    assert (_amount(url, first), _amount(url, second)) == (None, None)  # nothing taken
    wrong = cli("signal", "send", "go", "--db", url, "--set", "amount=high")
    assert wrong.exit_code == 2, wrong.output
    assert "signal 'go' reaches process 'order' v1: amount=high" in wrong.stderr
    assert "expected FLOAT" in wrong.stderr

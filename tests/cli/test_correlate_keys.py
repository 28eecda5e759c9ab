"""``message send --correlate``: a KEY given twice, or a KEY no process catching the message
correlates by, is a usage error (exit 2) naming the keys, and nothing is delivered. Before,
the last of a repeated key silently won (the message went to another case, exit 0), and an
unknown key read "no open process instance" (exit 1), as if the case were closed."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder
from wfengine.definition.io import dump_xpdl


def _started(tmp_path: Path) -> tuple[str, list[str]]:
    pb = PackageBuilder("calls")
    p = pb.process("call").extended_attribute("wfengine:correlation", "phone,order_no")
    p.data_field("phone", "STRING")
    p.data_field("order_no", "STRING")
    p.data_field("note", "STRING")
    p.start("s").intermediate("reply", message="reply").end("e").sequence("s", "reply", "e")
    path = tmp_path / "calls.xpdl"
    path.write_bytes(dump_xpdl(pb.build()))
    url = sqlite_url(tmp_path)
    ids = []
    for order in ("A-1", "A-2"):
        started = cli("instance", "start", str(path), "--db", url,
                      "--set", "phone=13800000101", "--set", f"order_no={order}")  # fmt: skip
        assert started.exit_code == 0, started.output
        ids.append(started.stdout.strip())
    worked = cli("worker", "--db", url, "--until-idle")
    assert worked.exit_code == 0, worked.output  # the catches wait
    return url, ids


def _send(url: str, *pairs: str) -> tuple[int, str]:
    args = [a for p in pairs for a in ("--correlate", p)]
    sent = cli("message", "send", "reply", "--db", url, *args, "--set", "note=hi")
    return sent.exit_code, sent.output


def _notes(url: str, ids: list[str]) -> list[object]:
    with Engine(db_url=url) as engine:
        return [engine.instance(i).data.get("note") for i in ids]


def test_a_key_given_twice_is_exit_2_and_delivers_nothing(tmp_path: Path) -> None:
    url, ids = _started(tmp_path)
    code, output = _send(url, "phone=13800000101", "order_no=A-1", "order_no=A-2")
    assert code == 2, output
    assert "order_no given more than once" in output
    assert _notes(url, ids) == [None, None]


def test_a_key_no_process_correlates_by_is_exit_2_naming_the_keys(tmp_path: Path) -> None:
    url, ids = _started(tmp_path)
    code, output = _send(url, "phone=13800000101", "nofield=1")
    assert code == 2, output
    assert "nofield: not a correlation key" in output
    assert "order_no, phone" in output
    assert _notes(url, ids) == [None, None]


def test_the_declared_keys_still_find_the_case(tmp_path: Path) -> None:
    url, ids = _started(tmp_path)
    assert _send(url, "phone=13800000101", "order_no=A-2") == (0, f"{ids[1]} taken\n")


def test_a_correlation_no_open_instance_holds_is_named_as_a_correlation(tmp_path: Path) -> None:
    # it read `no open process instance "order_no='A-9', ..."`, the correlation shown as if
    # it were an instance id
    url, ids = _started(tmp_path)
    code, output = _send(url, "phone=13800000101", "order_no=A-9")
    assert code == 1, output
    assert "no open process instance with correlation " in output
    assert "order_no='A-9'" in output and "(for message 'reply')" in output
    assert _notes(url, ids) == [None, None]

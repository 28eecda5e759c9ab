"""``message send --correlate`` reaches instances of every stored version: each VALUE is read
by the key field's type in each version correlated by it, so a later version that retypes
the key, or correlates by another one, leaves the earlier version's instances reachable."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.definition.io import dump_xpdl
from wfengine.errors import WorkflowError


def _file(tmp_path: Path, name: str, phone: str = "STRING", key: str = "phone") -> str:
    pb = PackageBuilder("calls")
    p = pb.process("call").extended_attribute("wfengine:correlation", key)
    p.data_field("phone", phone)
    p.data_field("order_no", "STRING")
    p.start("s").intermediate("reply", message="reply").end("e").sequence("s", "reply", "e")
    path = tmp_path / name
    path.write_bytes(dump_xpdl(pb.build()))
    return str(path)


def _start(url: str, path: str, *sets: str) -> str:
    args = [a for s in sets for a in ("--set", s)]
    started = cli("instance", "start", path, "--db", url, *args)
    assert started.exit_code == 0, started.output
    return started.stdout.strip()


def _send(url: str, *pairs: str) -> tuple[int, str, str]:
    args = [a for p in pairs for a in ("--correlate", p)]
    sent = cli("message", "send", "reply", "--db", url, *args)
    return sent.exit_code, sent.stdout, sent.stderr


def test_a_key_the_latest_version_retyped_finds_the_older_instance(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    first = _start(url, _file(tmp_path, "v1.xpdl"), "phone=0123")  # STRING: "0123"
    second = _start(url, _file(tmp_path, "v2.xpdl", phone="INTEGER"), "phone=77")
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0  # the catches wait
    assert _send(url, "phone=0123") == (0, f"{first} taken\n", "")
    assert _send(url, "phone=77") == (0, f"{second} taken\n", "")
    missing = _send(url, "phone=0999")
    assert missing[0] == 1 and "no open process instance" in missing[2]


def test_a_key_the_latest_version_dropped_finds_the_older_instance(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    first = _start(url, _file(tmp_path, "v1.xpdl"), "phone=13800000102")
    v2 = _file(tmp_path, "v2.xpdl", key="order_no")  # correlated by order_no instead
    second = _start(url, v2, "phone=13800000102", "order_no=A-1")
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    assert _send(url, "phone=13800000102") == (0, f"{first} taken\n", "")
    assert _send(url, "order_no=A-1") == (0, f"{second} taken\n", "")
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    with Engine(db_url=url) as engine:
        for instance_id in (first, second):
            assert engine.instance(instance_id).state is ProcessState.COMPLETED


def test_a_value_no_version_can_read_is_a_usage_error(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    _start(url, _file(tmp_path, "v1.xpdl", phone="INTEGER"), "phone=5")
    code, _, said = _send(url, "phone=abc")
    assert code == 2 and "phone=abc" in said and "INTEGER" in said


def _python(url: str, value: str) -> str:
    """What Python's correlated_instance says for ``phone=value``: the id or the error."""
    with Engine(db_url=url) as engine:
        try:
            return engine.correlated_instance({"phone": value}, message="reply")
        except WorkflowError as exc:
            return type(exc).__name__


def test_colliding_values_find_what_python_finds(tmp_path: Path) -> None:
    """``077`` for a STRING key is not the case ``"77"``: the CLI passes the text to the
    engine, which reads it once by each version's type. Before, the CLI's INTEGER reading
    77 was read again as a STRING ``"77"``, and that case took ``077``'s message."""
    url = sqlite_url(tmp_path)
    assert cli("deploy", _file(tmp_path, "v1.xpdl", phone="INTEGER"), "--db", url).exit_code == 0
    text = _start(url, _file(tmp_path, "v2.xpdl"), "phone=77")  # STRING: "77"
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    assert _python(url, "077") == "NotFoundError"
    code, out, said = _send(url, "phone=077")
    assert (code, out) == (1, "") and "no open process instance" in said
    assert _python(url, "77") == text
    assert _send(url, "phone=77") == (0, f"{text} taken\n", "")
    number = _start(url, _file(tmp_path, "v1.xpdl", phone="INTEGER"), "phone=77")  # 77
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    assert _python(url, "077") == number  # read by the INTEGER version: 77
    assert _send(url, "phone=077") == (0, f"{number} taken\n", "")

"""Helpers for the tests of the database commands: definitions written to files, SQLite URLs."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl

#: a URL nothing listens on: the database cannot be reached
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none"

APPS = """
def register(registry):
    registry.register("add", lambda v: {"v": v + 1})
"""


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'wf.db'}"


def write(tmp_path: Path, pb: PackageBuilder, name: str = "p.xpdl") -> str:
    path = tmp_path / name
    path.write_bytes(dump_xpdl(pb.build()))
    return str(path)


def automatic() -> PackageBuilder:
    """Parallel branches of automatic work, one of them calling the application ``add``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="1")
    p.application("add", params=[("v", "INOUT", "INTEGER")])
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    p.activity("call", tool="add", args=["v"]).activity("quick")
    p.transition("split", "call").transition("split", "quick")
    p.transition("call", "join").transition("quick", "join")
    p.activity("end").transition("join", "end")
    other = pb.process("other")
    other.activity("clerk", performer="clerk")
    return pb


def cli(*args: str) -> Result:
    """``wfengine ARGS`` in this process."""
    return CliRunner().invoke(main, list(args))


def start_desk_instances(tmp_path: Path, count: int) -> Result:
    """``instance start --count COUNT`` of a one-step process waiting on a clerk, on the
    SQLite file of ``tmp_path`` (the instance-start tests' common run)."""
    pb = PackageBuilder("pkg")
    pb.process("p").activity("a", performer="clerk")
    return cli("instance", "start", write(tmp_path, pb), "--db", sqlite_url(tmp_path),
               "--count", str(count))  # fmt: skip


def stored_instance_ids(tmp_path: Path) -> list[str]:
    """The ids of the instances the SQLite file of ``tmp_path`` holds, as ``instances`` lists."""
    return cli("instances", "--db", sqlite_url(tmp_path)).stdout.split()[::3]

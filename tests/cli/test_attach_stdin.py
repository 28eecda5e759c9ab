"""``wfengine workitem attach --file - --name NAME`` attaches what standard input holds.

Every other file argument takes ``-``; ``attach --file -`` was refused as "File '-' does not
exist", so a script had to write a report it made to a temporary file first. Standard input
has no file name, so ``--name`` gives the attachment one (its content type guessed from it);
without ``--name`` it is a usage error naming ``--file -``. ``--name`` also renames a file.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.cli.databases import cli, sqlite_url, write
from tests.cli.documents import REPO_ROOT
from wfengine import Engine, notes_for
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.worklist.org_files import load_organisation

EXAMPLE_ORG = REPO_ROOT / "examples" / "organisation.yaml"


@pytest.fixture
def item(tmp_path: Path) -> tuple[str, str, str]:
    """The database URL, an item offered to alice and its instance."""
    url = sqlite_url(tmp_path)
    assert cli("org", "load", str(EXAMPLE_ORG), "--db", url).exit_code == 0
    pb = PackageBuilder("pkg")
    pb.process("order").activity("quote", performer="employee")
    assert cli("instance", "start", write(tmp_path, pb), "--db", url).exit_code == 0
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    with Engine(db_url=url, directory=load_organisation(EXAMPLE_ORG)) as engine:
        [found] = engine.work_items()
    return url, found.id, found.instance_id


def _piped(data: bytes, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), input=data)


def _attachments(url: str, instance_id: str) -> list[tuple[str, str, bytes]]:
    with Engine(db_url=url, directory=load_organisation(EXAMPLE_ORG)) as engine:
        notes = notes_for(engine)
        return [
            (a.name, a.content_type, notes.download("alice", a.id)[1])
            for a in notes.attachments("alice", instance_id)
        ]


def test_stdin_is_attached_under_the_name_given(item: tuple[str, str, str]) -> None:
    url, wi, iid = item
    args = ("workitem", "attach", wi, "--db", url, "--user", "alice", "--file", "-")
    done = _piped(b"%PDF-1.7 made by a script", *args, "--name", "report.pdf")
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith(f"attached report.pdf to {wi} (")
    assert _attachments(url, iid) == [
        ("report.pdf", "application/pdf", b"%PDF-1.7 made by a script")
    ]


def test_stdin_without_a_name_is_refused_before_anything_is_attached(
    item: tuple[str, str, str],
) -> None:
    url, wi, iid = item
    args = ("workitem", "attach", wi, "--db", url, "--user", "alice", "--file", "-")
    refused = _piped(b"hello", *args)
    assert refused.exit_code == 2
    assert "--file -" in refused.stderr and "--name NAME" in refused.stderr
    assert _attachments(url, iid) == []


def test_name_renames_a_file(item: tuple[str, str, str], tmp_path: Path) -> None:
    url, wi, iid = item
    letter = tmp_path / "scan-0001.txt"
    letter.write_bytes(b"Dear Sir")
    args = ("workitem", "attach", wi, "--db", url, "--user", "alice", "--file", str(letter))
    assert cli(*args, "--name", "letter.txt").exit_code == 0
    assert _attachments(url, iid) == [("letter.txt", "text/plain", b"Dear Sir")]


class _Unread(io.BytesIO):
    """Standard input that must not be read (but for click's look at what kind it is)."""

    def read(self, size: int | None = -1) -> bytes:
        if size == 0:
            return b""
        raise AssertionError("standard input was read")


def test_a_name_not_utf8_is_refused_before_stdin_is_read(item: tuple[str, str, str]) -> None:
    """``--name`` skipped the UTF-8 check ``--file`` names get: the engine's "not a plain file
    name" with the bytes garbled (``\\udce9``), once the whole input had been read."""
    url, wi, iid = item
    args = ["workitem", "attach", wi, "--db", url, "--user", "alice", "--file", "-"]
    name = os.fsdecode(b"lettre-\xe9t\xe9.txt")
    refused = CliRunner().invoke(main, [*args, "--name", name], input=_Unread())
    assert refused.exit_code == 2, refused.output
    assert "--name" in refused.stderr
    assert "'lettre-\\xe9t\\xe9.txt' is not valid UTF-8" in refused.stderr
    assert "udce9" not in refused.stderr
    assert _attachments(url, iid) == []

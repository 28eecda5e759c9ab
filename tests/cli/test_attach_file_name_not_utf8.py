"""``wfengine workitem attach --file`` with a file whose name is not valid UTF-8 (a Latin-1
``lettre-\\xe9t\\xe9.txt`` copied from an old system) is a usage error (exit 2) naming
``--file`` and saying to rename the file; it was a raw traceback (exit 1) from the engine's
check of the attachment's name. Nothing is attached."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url, write
from tests.cli.documents import REPO_ROOT
from wfengine import Engine, notes_for
from wfengine.definition.builder import PackageBuilder
from wfengine.worklist.org_files import load_organisation

pytestmark = pytest.mark.skipif(
    sys.platform == "darwin", reason="the file system refuses names that are not UTF-8"
)
EXAMPLE_ORG = REPO_ROOT / "examples" / "organisation.yaml"


def test_a_name_not_utf8_is_refused_naming_the_option(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("org", "load", str(EXAMPLE_ORG), "--db", url).exit_code == 0
    pb = PackageBuilder("pkg")
    pb.process("order").activity("quote", performer="employee")
    assert cli("instance", "start", write(tmp_path, pb), "--db", url).exit_code == 0
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    name = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"lettre-\xe9t\xe9.txt"))
    Path(name).write_bytes(b"hello")
    with Engine(db_url=url, directory=load_organisation(EXAMPLE_ORG)) as engine:
        [item] = engine.work_items()
    result = cli("workitem", "attach", item.id, "--db", url, "--user", "alice", "--file", name)
    assert result.exit_code == 2, result.output
    assert "--file" in result.stderr
    assert "lettre-\\xe9t\\xe9.txt' is not valid UTF-8" in result.stderr
    assert "rename the file" in result.stderr
    with Engine(db_url=url, directory=load_organisation(EXAMPLE_ORG)) as engine:
        assert notes_for(engine).attachments(None, item.instance_id) == []

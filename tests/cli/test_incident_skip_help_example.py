"""The ``wfengine incident skip --help`` example for a text field runs as written: its
``--set`` stores the text the operator meant in a STRING field (a STRING keeps its text, so
an example quoting the value again, ``name='"by hand"'``, stored the quotes too). The
example is the order's ``invoice_id``, an output of its invoice activity."""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine import PackageBuilder
from wfengine.runtime.engine import Engine


def _down() -> dict[str, str]:
    raise ConnectionError("lookup is down")


def _stopped(tmp_path: Path) -> tuple[str, str, str]:
    """(database URL, instance id, incident id): a call writing the STRING ``invoice_id``
    failed."""
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.data_field("invoice_id", "STRING")
    p.application("lookup", params=[("invoice_id", "OUT", "STRING")])
    p.activity("call", tool="lookup", args=["invoice_id"])
    [iid] = cli("instance", "start", write(tmp_path, pb), "--db", url).stdout.split()
    with Engine(db_url=url) as engine:
        engine.applications.sleep = lambda _s: None
        engine.applications.register("lookup", _down, retries=0)
        engine.run_due_jobs()
        [incident] = engine.incidents()
    return url, iid, incident.id


def _example_set() -> list[str]:
    """The ``--set`` of the help's text example, as a shell passes it."""
    shown = cli("incident", "skip", "--help")
    assert shown.exit_code == 0, shown.output
    [line] = [line for line in shown.stdout.splitlines() if "--set invoice_id=" in line]
    words = shlex.split(line)
    at = words.index("--set")
    return words[at : at + 2]


def test_the_help_example_stores_the_text_in_a_string_field(tmp_path: Path) -> None:
    url, iid, incident = _stopped(tmp_path)
    example = _example_set()
    done = cli("incident", "skip", incident, "--db", url, *example)
    assert done.exit_code == 0, done.output
    assert done.stdout == f"{incident} resolved\n"
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).data["invoice_id"] == "INV 7 (by hand)"

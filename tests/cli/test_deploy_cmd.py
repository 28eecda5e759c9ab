"""``wfengine deploy FILE... --db URL [--json]``: the processes of files stored, nothing started.

A process that starts only by a message or a signal had to be deployed by ``instance start``,
which also started an instance of it with no message data (one counted in ``instances`` and
``stats``). The output is a contract: ``PROCESS_ID<TAB>VERSION<TAB>new|unchanged`` per process;
``--json`` ``[{"file", "process_id", "version", "new"}]``; a refused process on stderr, exit 1.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from tests.cli.documents import REPO_ROOT

_LEAVE = str(REPO_ROOT / "examples" / "leave_request.xpdl")
_ORDER = str(REPO_ROOT / "examples" / "order_fulfilment.xpdl")

_INTAKE = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="intake_pkg">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>t</Vendor><Created>2026</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="intake">
      <DataFields><DataField Id="ref"><DataType><BasicType Type="STRING"/></DataType>
      </DataField></DataFields>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="Message"><TriggerResultMessage>
          <Message Id="m_order" Name="order"/></TriggerResultMessage></StartEvent></Event>
        </Activity>
        <Activity Id="e"><Event><EndEvent/></Event></Activity>
      </Activities>
      <Transitions><Transition Id="t1" From="s" To="{to}"/></Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


def test_deploy_stores_versions_and_starts_nothing(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    first = cli("deploy", _LEAVE, "--db", url)
    assert first.exit_code == 0, first.output
    assert first.stdout == "request_leave\t1\tnew\n"
    again = cli("deploy", _LEAVE, _ORDER, "--db", url, "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == [
        {"file": _LEAVE, "process_id": "request_leave", "version": 1, "new": False},
        {"file": _ORDER, "process_id": "fulfil_order", "version": 1, "new": True},
    ]
    assert cli("instances", "--db", url).stdout == ""  # nothing was started
    changed = tmp_path / "leave.xpdl"
    changed.write_text(
        Path(_LEAVE)
        .read_text(encoding="utf-8")
        .replace('Name="Request leave"', 'Name="Ask for leave"', 1),
        encoding="utf-8",
    )
    text = cli("deploy", str(changed), "--db", url)
    assert text.stdout == "request_leave\t2\tnew\n"
    assert cli("deploy", _LEAVE, "--db", url).stdout == "request_leave\t3\tnew\n"  # a rollback


def test_a_message_started_process_is_deployed_then_started_by_its_message(
    tmp_path: Path,
) -> None:
    url = sqlite_url(tmp_path)
    intake = tmp_path / "intake.xpdl"
    intake.write_text(_INTAKE.replace("{to}", "e"), encoding="utf-8")
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    early = cli("message", "send", "order", "--db", url, "--start", "--set", "ref=R1")
    assert early.exit_code == 1
    assert "deploy the file whose process starts by it first: wfengine deploy FILE" in early.stderr
    assert cli("deploy", str(intake), "--db", url).stdout == "intake\t1\tnew\n"
    sent = cli("message", "send", "order", "--db", url, "--start", "--set", "ref=R1")
    assert (sent.exit_code, sent.stdout) == (0, "pi-1 started\n")
    assert cli("instances", "--db", url).stdout.splitlines() == ["pi-1\tintake\topen.running"]


def test_a_refused_process_is_named_and_exits_1(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    bad = tmp_path / "bad.xpdl"
    bad.write_text(_INTAKE.replace("{to}", "nope"), encoding="utf-8")
    text = cli("deploy", _LEAVE, str(bad), "--db", url)
    assert text.exit_code == 1
    assert text.stdout == "request_leave\t1\tnew\n"  # the other file's process deployed
    assert f"{bad}: process 'intake' cannot be deployed: dangling-transition" in text.stderr
    shown = cli("deploy", str(bad), "--db", url, "--json")
    assert shown.exit_code == 1
    assert json.loads(shown.stdout) == [
        {"file": str(bad), "process_id": "intake", "version": None, "new": False}
    ]


def test_a_file_that_cannot_be_loaded_deploys_nothing(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    broken = tmp_path / "broken.xpdl"
    broken.write_text("<Package", encoding="utf-8")
    text = cli("deploy", _LEAVE, str(broken), "--db", url)
    assert text.exit_code == 1
    assert "broken.xpdl cannot be loaded" in text.stderr
    assert cli("deploy", _ORDER, "--db", url, "--json").exit_code == 0
    listed = cli("deploy", _LEAVE, "--db", url)
    assert listed.stdout == "request_leave\t1\tnew\n"  # not stored by the refused run


def test_standard_input_is_read_once(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    twice = cli("deploy", "-", "-", "--db", url)
    assert twice.exit_code == 2
    assert "only one FILE can be standard input (-)" in twice.stderr


def test_a_message_only_a_superseded_version_starts_by_is_no_advice_to_deploy(
    tmp_path: Path,
) -> None:
    """Deploying the file that starts by it would make it the newest version, in place of
    the one starting now: the error names both and says so, with no advice to deploy."""
    url = sqlite_url(tmp_path)
    v1, v2 = tmp_path / "v1.xpdl", tmp_path / "v2.xpdl"
    v1.write_text(_INTAKE.replace("{to}", "e"), encoding="utf-8")
    v2.write_text(_INTAKE.replace("{to}", "e").replace('"order"', '"order_new"'), encoding="utf-8")
    assert cli("deploy", str(v1), "--db", url).stdout == "intake\t1\tnew\n"
    assert cli("deploy", str(v2), "--db", url).stdout == "intake\t2\tnew\n"
    sent = cli("message", "send", "order", "--db", url, "--start", "--set", "ref=R1")
    assert sent.exit_code == 1
    assert "'intake' v1, superseded (v2 starts instances now, by message 'order_new')" in (
        sent.stderr
    )
    assert "a rollback" in sent.stderr and "wfengine deploy FILE" not in sent.stderr

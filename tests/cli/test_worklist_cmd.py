"""``wfengine worklist`` and ``wfengine workitem ...``: the contract (the JSON shapes, the
statuses), acting as the users of a loaded organisation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import cli, sqlite_url, write
from tests.cli.documents import REPO_ROOT
from wfengine.definition.builder import PackageBuilder

EXAMPLE_ORG = REPO_ROOT / "examples" / "organisation.yaml"


@pytest.fixture
def url(tmp_path: Path) -> str:
    db = sqlite_url(tmp_path)
    assert cli("org", "load", str(EXAMPLE_ORG), "--db", db).exit_code == 0
    pb = PackageBuilder("pkg")
    pb.data_field("amount", "FLOAT")
    p = pb.process("order")
    p.activity(
        "quote", performer="employee", writes=["amount"], deadlines=[("PT2H", "Late", "ASYNCHR")]
    )
    p.activity("approve", performer="manager")
    p.transition("quote", "approve")
    started = cli("instance", "start", write(tmp_path, pb), "--db", db)
    assert started.exit_code == 0, started.output
    assert cli("worker", "--db", db, "--until-idle").exit_code == 0
    return db


def _list(url: str, user: str, *extra: str) -> list[dict[str, Any]]:
    result = cli("worklist", "--db", url, "--user", user, "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_worklist_json_shape(url: str) -> None:
    [row] = _list(url, "alice")
    assert set(row) == {
        "id",
        "instance_id",
        "process_id",
        "activity_id",
        "state",
        "holder",
        "offered_to",
        "due",
        "suspended",
    }
    assert row["process_id"] == "order" and row["activity_id"] == "quote"
    assert row["state"] == "offered" and row["holder"] is None
    assert row["offered_to"] == ["alice", "bob", "carol", "dave"]
    assert row["due"] is not None  # the deadline's timer
    assert row["suspended"] is False  # (its instance runs)
    assert _list(url, "root") == []  # not an employee
    assert _list(url, "alice", "--state", "allocated") == []
    # a process never deployed is a misspelt filter, not an empty worklist
    result = cli("worklist", "--db", url, "--user", "alice", "--process", "other", "--json")
    assert result.exit_code == 1
    assert "no deployed process 'other' (deployed: order)" in result.output


def test_claim_complete_and_refusals(url: str) -> None:
    [row] = _list(url, "alice")
    wi = row["id"]
    claimed = cli("workitem", "claim", wi, "--db", url, "--user", "alice")
    assert claimed.exit_code == 0 and claimed.stdout.strip() == f"claimed {wi}"
    assert _list(url, "bob") == []  # held by alice now: off bob's list
    [mine] = _list(url, "alice")
    assert (mine["state"], mine["holder"]) == ("allocated", "alice")
    refused = cli("workitem", "complete", wi, "--db", url, "--user", "bob")
    assert refused.exit_code == 1 and "'bob' may not complete" in refused.stderr
    bad = cli("workitem", "complete", wi, "--db", url, "--user", "alice", "--set", "amount=abc")
    assert bad.exit_code == 2 and "amount" in bad.stderr
    done = cli("workitem", "complete", wi, "--db", url, "--user", "alice", "--set", "amount=10")
    assert done.exit_code == 0, done.output
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    [approve] = _list(url, "carol", "--state", "offered")
    assert approve["activity_id"] == "approve"
    args = ("workitem", "complete", approve["id"], "--db", url, "--user", "carol")
    sneaky = cli(*args, "--set", "amount=99")  # approving may not change the amount
    assert sneaky.exit_code == 1 and "may not write 'amount'" in sneaky.stderr
    shown = json.loads(cli("workitem", "show", wi, "--db", url, "--user", "alice").stdout)
    assert shown["state"] == "completed" and shown["holder"] == "alice"
    assert {"owner", "assignees", "started_at", "completed_at"} <= set(shown)
    assert shown["data"]["amount"] == 10 and shown["writable"] == ["amount"]


def test_delegate_reassign_release_start_show(url: str) -> None:
    [row] = _list(url, "bob")
    wi = row["id"]
    assert cli("workitem", "claim", wi, "--db", url, "--user", "bob").exit_code == 0
    assert cli("workitem", "start", wi, "--db", url, "--user", "bob").exit_code == 0
    delegated = cli("workitem", "delegate", wi, "--db", url, "--user", "bob", "--to", "dave")
    assert delegated.exit_code == 0, delegated.output
    shown = json.loads(cli("workitem", "show", wi, "--db", url, "--user", "dave").stdout)
    assert (shown["holder"], shown["owner"]) == ("dave", "bob")
    assert cli("workitem", "release", wi, "--db", url, "--user", "dave").exit_code == 0
    assert _list(url, "bob")[0]["holder"] == "bob"  # back to who delegated it
    not_boss = cli("workitem", "reassign", wi, "--db", url, "--user", "alice", "--to", "alice")
    assert not_boss.exit_code == 1 and "supervisor" in not_boss.stderr
    boss = cli("workitem", "reassign", wi, "--db", url, "--user", "carol", "--to", "alice")
    assert boss.exit_code == 0
    assert _list(url, "alice")[0]["holder"] == "alice"
    hidden = cli("workitem", "show", wi, "--db", url, "--user", "root2")
    assert hidden.exit_code == 1 and "may not see" in hidden.stderr


def test_usage_errors_and_unknown_items(url: str) -> None:
    assert cli("worklist", "--db", url).exit_code == 2  # --user is required
    assert cli("worklist", "--db", url, "--user", "a", "--state", "done").exit_code == 2
    assert cli("workitem", "delegate", "wi-1", "--db", url, "--user", "a").exit_code == 2
    unknown = cli("workitem", "claim", "wi-999", "--db", url, "--user", "alice")
    assert unknown.exit_code == 1 and "wi-999" in unknown.stderr
    twice = _list(url, "alice")[0]["id"]
    assert cli("workitem", "claim", twice, "--db", url, "--user", "alice").exit_code == 0
    again = cli("workitem", "claim", twice, "--db", url, "--user", "bob")
    assert again.exit_code == 1 and "allocated to 'alice'" in again.stderr


def test_comment_and_attach(url: str, tmp_path: Path) -> None:
    from wfengine import Engine
    from wfengine.worklist.notes import notes_for
    from wfengine.worklist.org_files import load_organisation

    wi = _list(url, "alice")[0]["id"]
    said = cli("workitem", "comment", wi, "--db", url, "--user", "alice", "--reason", "hi")
    assert said.exit_code == 0 and said.stdout.startswith(f"commented {wi} (")
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear ...")
    attached = cli("workitem", "attach", wi, "--db", url, "--user", "bob", "--file", str(letter))
    assert attached.exit_code == 0, attached.output
    assert "attached letter.txt" in attached.stdout and "8 bytes" in attached.stdout
    refused = cli("workitem", "comment", wi, "--db", url, "--user", "root2", "--reason", "x")
    assert refused.exit_code == 1 and "may not comment on" in refused.stderr
    empty = cli("workitem", "comment", wi, "--db", url, "--user", "alice", "--reason", " ")
    assert empty.exit_code == 2
    missing = cli("workitem", "attach", wi, "--db", url, "--user", "bob", "--file", "nope")
    assert missing.exit_code == 2
    with Engine(db_url=url, directory=load_organisation(EXAMPLE_ORG)) as engine:
        iid = engine.work_item(wi).instance_id
        notes = notes_for(engine)
        assert [c.text for c in notes.comments("carol", iid)] == ["hi"]
        [found] = notes.attachments("carol", iid)
        assert found.content_type == "text/plain"
        assert notes.download("carol", found.id)[1] == b"Dear ..."


def test_attaching_an_endless_file_reads_no_further_than_an_attachment_may_be(
    url: str,
) -> None:
    """``--file /dev/zero`` passed the size check (a device has size 0) and was read until
    memory ran out."""
    from wfengine.worklist.notes import MAX_ATTACHMENT_BYTES

    wi = _list(url, "alice")[0]["id"]
    result = cli("workitem", "attach", wi, "--db", url, "--user", "bob", "--file", "/dev/zero")
    assert result.exit_code == 2, result.output
    assert f"/dev/zero is larger than the limit of {MAX_ATTACHMENT_BYTES} bytes" in result.stderr


def test_send_back(url: str) -> None:
    wi = _list(url, "alice")[0]["id"]
    assert cli("workitem", "complete", wi, "--db", url, "--user", "alice").exit_code == 0
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    [approve] = _list(url, "carol")
    assert cli("workitem", "claim", approve["id"], "--db", url, "--user", "carol").exit_code == 0
    args = ("workitem", "send-back", approve["id"], "--db", url, "--user", "carol")
    no_reason = cli(*args, "--to-activity", "quote")
    assert no_reason.exit_code == 2
    wrong = cli(*args, "--to-activity", "nowhere", "--reason", "x")
    assert wrong.exit_code == 1 and "nowhere" in wrong.stderr
    sent = cli(*args, "--to-activity", "quote", "--reason", "price missing")
    assert sent.exit_code == 0 and sent.stdout.strip() == f"sent back {approve['id']}"
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    [again] = _list(url, "alice")
    assert (again["activity_id"], again["holder"], again["state"]) == (
        "quote",
        "alice",
        "allocated",
    )


def test_a_refused_show_is_audited_naming_the_item(url: str) -> None:
    wi = _list(url, "alice")[0]["id"]
    hidden = cli("workitem", "show", wi, "--db", url, "--user", "mallory")
    assert hidden.exit_code == 1 and f"'mallory' may not see work item '{wi}'" in hidden.stderr
    trail = cli("audit", "--db", url, "--kind", "operation.refused", "--format", "jsonl")
    [event] = [json.loads(line) for line in trail.stdout.splitlines()]
    assert event["detail"]["user"] == "mallory" and event["detail"]["operation"] == "see"
    assert wi in event["detail"]["subject"]


def test_a_refused_comment_or_attachment_is_audited_naming_the_item(
    url: str, tmp_path: Path
) -> None:
    """The refusals were audited with work_item_id null, unlike a refused claim."""
    wi = _list(url, "alice")[0]["id"]
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear ...")
    args = ("--db", url, "--user", "mallory")
    assert cli("workitem", "comment", wi, *args, "--reason", "hi").exit_code == 1
    assert cli("workitem", "attach", wi, *args, "--file", str(letter)).exit_code == 1
    assert cli("workitem", "claim", wi, *args).exit_code == 1
    trail = cli("audit", "--db", url, "--kind", "operation.refused", "--format", "jsonl")
    events = [json.loads(line) for line in trail.stdout.splitlines()]
    assert [(e["detail"]["operation"], e["work_item_id"]) for e in events] == [
        ("comment on", wi),
        ("attach to", wi),
        ("claim", wi),
    ]
    # and its activity, as a refused claim does (they named none: activity_id null)
    where = {(e["activity_id"], e["activity_instance_id"]) for e in events}
    assert len(where) == 1 and next(iter(where))[0] == "quote"


def test_a_user_is_never_empty(url: str) -> None:
    wi = _list(url, "alice")[0]["id"]
    empty = cli("workitem", "show", wi, "--db", url, "--user", " ")
    assert empty.exit_code == 2 and "name a user" in empty.stderr
    assert cli("workitem", "claim", wi, "--db", url, "--user", "alice").exit_code == 0
    to_nobody = cli("workitem", "delegate", wi, "--db", url, "--user", "alice", "--to", "")
    assert to_nobody.exit_code == 2 and "name a user" in to_nobody.stderr
    assert _list(url, "alice")[0]["holder"] == "alice"  # still hers

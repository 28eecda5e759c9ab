"""``wfengine audit`` and ``wfengine audit verify``: the contract (formats, filters, exit
statuses) on a database a run left."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from lxml import etree

from tests.cli.databases import cli, sqlite_url, write
from wfengine.audit import COLUMNS
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder

XES = "{http://www.xes-standard.org/}"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("audit")
    db = sqlite_url(tmp)
    pb = PackageBuilder("pkg")
    p = pb.process("order")
    p.activity("enter").activity("check").activity("ship")
    p.transition("enter", "check").transition("check", "ship")
    for _ in range(2):
        done = cli("run", write(tmp, pb), "--db", db)
        assert done.exit_code == 0, done.output
    return db


def test_jsonl_carries_every_event_with_the_header(url: str) -> None:
    out = cli("audit", "--db", url, "--format", "jsonl")
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert {tuple(r) for r in rows} == {COLUMNS}
    assert len({r["instance_id"] for r in rows}) == 2
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    assert {r["process_id"] for r in rows} == {"order"}


def _second(url: str) -> str:
    out = cli("audit", "--db", url, "--format", "jsonl", "--kind", "instance.created")
    return str(json.loads(out.stdout.splitlines()[-1])["instance_id"])


def test_csv_and_filters(url: str, tmp_path: Path) -> None:
    target = tmp_path / "trail.csv"
    second = _second(url)
    out = cli(
        "audit", "--db", url, "--format", "csv", "-o", str(target),
        "--instance", second, "--kind", "activity.completed", "--kind", "instance.created",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert {r["instance_id"] for r in rows} == {second}
    assert [r["kind"] for r in rows] == ["instance.created"] + ["activity.completed"] * 3
    assert [r["activity_id"] for r in rows][1:] == ["enter", "check", "ship"]
    assert json.loads(rows[0]["detail"]) is None or rows[0]["detail"]
    later = cli("audit", "--db", url, "--format", "jsonl", "--since", "2999-01-01")
    assert later.exit_code == 0 and later.stdout == ""


def test_table_for_people(url: str) -> None:
    out = cli("audit", "--db", url, "--activity", "ship")
    assert out.exit_code == 0
    lines = out.stdout.splitlines()
    assert lines[0].split()[:4] == ["AT", "INSTANCE", "SEQ", "KIND"]
    assert all(" ship " in line for line in lines[1:]) and len(lines) > 2


def test_the_table_says_what_each_event_recorded(url: str) -> None:
    """The DETAIL column: which state an instance went to, which version it was made of;
    events that record nothing show a dash."""
    out = cli("audit", "--db", url, "--instance", _second(url))
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["AT", "INSTANCE", "SEQ", "KIND", "ACTIVITY", "USER", "DETAIL"]
    cells = [line.split(None, 6) for line in lines[1:]]
    details = {(c[3], c[6]) for c in cells}
    assert ("instance.created", "version=1") in details
    assert ("instance.state", "open.running -> closed.completed") in details
    assert {d for kind, d in details if kind.startswith("activity.")} == {"-"}


def test_xes_has_a_trace_per_instance_in_activity_order(url: str, tmp_path: Path) -> None:
    target = tmp_path / "log.xes"
    assert cli("audit", "--db", url, "--format", "xes", "-o", str(target)).exit_code == 0
    log = etree.parse(str(target)).getroot()
    traces = log.findall("trace")
    assert len(traces) == 2
    names = [
        e.find("string[@key='concept:name']").get("value")  # type: ignore[union-attr]
        for e in traces[0].findall("event")
        if e.find("string[@key='lifecycle:transition']").get("value") == "complete"  # type: ignore[union-attr]
    ]
    assert names == ["enter", "check", "ship"]
    assert {x.get("prefix") for x in log.findall("extension")} >= {"concept", "time"}


def test_usage_errors_and_unknown_ids(url: str) -> None:
    assert cli("audit").exit_code == 2  # no --db
    assert cli("audit", "--db", url, "--since", "yesterday").exit_code == 2
    assert cli("audit", "--db", url, "--format", "pdf").exit_code == 2
    unknown = cli("audit", "--db", url, "--instance", "pi-99")
    assert unknown.exit_code == 1 and "pi-99" in unknown.stderr


def test_verify_passes_then_names_the_edited_event(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    pb.process("p").activity("a").activity("b")
    assert cli("run", write(tmp_path, pb), "--db", db).exit_code == 0
    ok = cli("audit", "verify", "--db", db)
    assert ok.exit_code == 0 and ok.stdout.startswith("ok: 1 instances, ")
    engine = sa.create_engine(db)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_events SET activity_id = 'b' WHERE seq = 2"))
    engine.dispose()
    iid = _second(db)
    bad = cli("audit", "verify", "--db", db, "--instance", iid)
    assert bad.exit_code == 1
    assert f"tampered: instance {iid!r}, event 2: does not match its hash" in bad.stdout


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["--instance", "nope"], "--instance of audit verify goes after 'verify'"),
        (["--db", "URL"], "--db of audit verify goes after 'verify'"),
        (["--format", "xes", "-o", "trail.xes"], "--format is an option of the audit listing"),
        (["--kind", "operation.refused"], "--kind is an option of the audit listing"),
    ],
    ids=["instance", "db", "format", "kind"],
)
def test_listing_options_before_verify_are_refused_not_ignored(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: list[str], message: str
) -> None:
    """``audit --instance nope verify`` printed ok for every instance, exit 0, and ``audit
    --format xes -o trail.xes verify`` wrote nothing, silently."""
    monkeypatch.chdir(tmp_path)
    env = {"WFENGINE_DB": url}
    args = ["audit", *[url if a == "URL" else a for a in given], "verify"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and result.stdout == ""
    assert not (tmp_path / "trail.xes").exists()
    ok = CliRunner().invoke(main, ["audit", "verify"], env=env)  # --db from the environment
    assert ok.exit_code == 0 and ok.stdout.startswith("ok: 2 instances, ")


def test_an_output_that_cannot_be_written_or_is_a_database_is_refused(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    pb.process("p").activity("a")
    assert cli("run", write(tmp_path, pb), "--db", db).exit_code == 0
    database = Path(db.removeprefix("sqlite:///"))
    size = database.stat().st_size
    slip = cli("audit", "--db", db, "-o", str(database))  # meant wfengine.csv
    assert slip.exit_code == 2 and "it is a SQLite database" in slip.stderr
    assert database.stat().st_size == size  # nothing written over it
    missing = cli("audit", "--db", db, "--format", "csv", "-o", str(tmp_path / "no" / "x.csv"))
    assert missing.exit_code == 2 and "cannot write" in missing.stderr
    assert "Traceback" not in missing.output
    out = tmp_path / "trail.csv"
    assert cli("audit", "--db", db, "--format", "csv", "-o", str(out)).exit_code == 0
    assert out.read_text().startswith(",".join(COLUMNS))
    assert [f.name for f in tmp_path.iterdir() if f.name.endswith(".tmp")] == []


def test_stats(url: str) -> None:
    out = cli("stats", "--db", url, "--json")
    assert out.exit_code == 0, out.output
    [order] = json.loads(out.stdout)
    assert set(order) == {
        "process_id",
        "started",
        "completed",
        "work_in_progress",
        "cycle_time",
        "throughput_per_day",
        "activities",
        "users",
        "bottlenecks",
        "groups",
    }
    assert (order["process_id"], order["started"], order["completed"]) == ("order", 2, 2)
    assert [a["activity_id"] for a in order["activities"]] == ["check", "enter", "ship"]
    assert set(order["activities"][0]["waiting"]) == {"count", "mean", "median", "p95"}
    text = cli("stats", "--db", url, "--process", "order")
    assert text.exit_code == 0 and text.stdout.startswith("order: 2 started, 2 completed")
    assert cli("stats", "--db", url, "--since", "nope").exit_code == 2


def test_stats_draws_the_plot_and_the_heat_diagram(url: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="matplotlib (the plots extra) is not installed")
    png, dot = tmp_path / "times.png", tmp_path / "heat.dot"
    out = cli("stats", "--db", url, "--process", "order", "--plot", str(png), "--diagram", str(dot))
    assert out.exit_code == 0, out.output
    assert png.read_bytes().startswith(b"\x89PNG")
    text = dot.read_text()
    assert "fillcolor" in text and "wait " in text and '"ship"' in text
    svg = tmp_path / "times.svg"
    assert cli("stats", "--db", url, "--process", "order", "--plot", str(svg)).exit_code == 0
    assert b"<svg" in svg.read_bytes()[:2000]
    assert cli("stats", "--db", url, "--plot", str(tmp_path / "x.pdf")).exit_code == 2


def test_a_misspelt_kind_is_a_usage_error_not_an_empty_trail(url: str) -> None:
    out = cli("audit", "--db", url, "--kind", "instance.create")
    assert out.exit_code == 2
    assert "'instance.create' is no kind of audit event (did you mean instance.created?)" in (
        out.stderr
    )
    assert cli("audit", "--db", url, "--kind", "instance.created").exit_code == 0
    # the enum's name in upper case suggests its value, as engine.audit_events does
    upper = cli("audit", "--db", url, "--kind", "WORK_ITEM_COMPLETED")
    assert upper.exit_code == 2
    assert "(did you mean work_item.completed?)" in upper.stderr


def test_stats_of_a_process_never_deployed_names_it(url: str) -> None:
    out = cli("stats", "--db", url, "--process", "ordr")
    assert out.exit_code == 1  # not a table of zeros
    assert "no deployed process 'ordr' (deployed: order)" in out.stderr


def test_a_diagram_of_no_known_format_names_what_stats_takes(url: str, tmp_path: Path) -> None:
    out = cli("stats", "--db", url, "--process", "order", "--diagram", str(tmp_path / "x.txt"))
    assert out.exit_code == 2
    assert "use a suffix .dot, .gv, .svg or .png" in out.stderr
    assert "--format" not in out.stderr  # stats has no such option


@pytest.mark.parametrize("json_flag", [["--json"], []], ids=["json", "text"])
def test_a_stats_diagram_on_standard_output_is_refused(url: str, json_flag: list[str]) -> None:
    """``stats --json --diagram -`` wrote the DOT text and the JSON report together on stdout."""
    out = cli("stats", "--db", url, "--process", "order", *json_flag, "--diagram", "-")
    assert out.exit_code == 2, out.output
    assert "--diagram -: name a .svg, .png or .dot file" in out.stderr and out.stdout == ""

"""``wfengine show`` names an event-based gateway's kind ``EventBased`` (text ``[route:
EventBased]``, ``--json`` detail ``"EventBased"``), the spelling ``route(gateway=...)`` takes,
and the drawing labels it "Event-based": one answer (``gateway_name``) for both. Before,
``show`` called it ``Exclusive`` (its GatewayType), as it does a plain exclusive choice, while
``render`` drew it as Event-based. A plain Exclusive route is still ``Exclusive``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wfengine import PackageBuilder, dump_xpdl, load_xpdl, package_to_dot
from wfengine.cli.main import main


def _file(tmp_path: Path) -> Path:
    b = PackageBuilder("g")
    p = b.process("p")
    p.start("s").route("gw", gateway="EventBased").route("x")
    p.intermediate("t", timer="PT1H").intermediate("m", message="m").end("e")
    p.sequence("s", "gw")
    p.transition("gw", "t").transition("gw", "m").sequence("t", "x").sequence("m", "x", "e")
    path = tmp_path / "g.xpdl"
    path.write_bytes(dump_xpdl(b.build()))
    return path


def test_show_and_render_agree_on_an_event_based_gateway(tmp_path: Path) -> None:
    path = _file(tmp_path)
    text = CliRunner().invoke(main, ["show", str(path)])
    assert text.exit_code == 0, text.output
    rows = {line.split()[0]: line.strip() for line in text.stdout.splitlines() if line.strip()}
    assert rows["gw"].startswith("gw  [route: EventBased]")
    assert rows["x"].startswith("x  [route: Exclusive]")
    shown = CliRunner().invoke(main, ["show", "--json", str(path)])
    activities = json.loads(shown.stdout)["processes"][0]["activities"]
    details = {a["id"]: a["detail"] for a in activities if a["kind"] == "route"}
    assert details == {"gw": "EventBased", "x": "Exclusive"}

    dot = package_to_dot(load_xpdl(path.read_bytes()), "p")
    assert '"gw" [tooltip="gw (route)", shape="diamond", label="Event-based"]' in dot
    assert '"x" [tooltip="x (route)", shape="diamond", label="Exclusive"' in dot

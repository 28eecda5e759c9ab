"""The incident of an instance reaching a script the engine never runs names the statement
that is no assignment, as validation's ``script-unsupported`` does. Before, it said only
"an implementation the engine cannot run (a script that is not assignments, a reference,
...)", leaving the operator to guess which statement, or whether it was a script at all."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, validate


def test_the_incident_quotes_the_statement_that_is_no_assignment() -> None:
    pb = PackageBuilder("pkg", script="text/javascript")
    p = pb.process("main").data_field("n", "INTEGER", initial="0")
    p.activity("bump", script="// count it\nn = n + 1; n++")
    package = pb.build()
    [finding] = validate(package)
    with Engine() as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        [incident] = engine.incidents(iid)
    assert incident.activity_id == "bump"
    assert "the script of activity 'bump' is not made of assignments" in incident.message
    assert "('n++' is not one)" in incident.message
    assert "('n++' is not one)" in finding.message

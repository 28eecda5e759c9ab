"""A re-offer whose performer expression names no one now opens an incident that says so: it
said "the directory Organisation failed: _Failure: performer 'person' ...", blaming a
directory that had answered (the navigator's failure was taken for the host's directory's).
"""

from __future__ import annotations

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock


def test_a_performer_expression_naming_no_one_is_told_as_its_own_failure() -> None:
    org = {"users": [{"id": "carol", "roles": ["clerk"]}]}
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(org)) as e:
        pb = PackageBuilder("desk")
        p = pb.process("routed")
        p.data_field("person", "STRING")
        p.activity("handle", performer="person")
        e.deploy(pb.build())
        iid = e.start_process("routed", {"person": "carol"})
        e.directory = Organisation.from_data({"users": [{"id": "mia", "roles": ["clerk"]}]})
        [done] = e.reoffer_work()
        [incident] = e.incidents(iid)
        assert incident.id == done.incident and "'carol'" in incident.message
        assert "the directory Organisation failed" not in incident.message, incident.message

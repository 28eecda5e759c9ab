"""The worker's log line for an incident a job opened writes its ids and message as
``wfengine incidents`` does, control characters escaped. An activity id comes from the
definition: one holding a line break wrote a log line of its author's choosing (a fake
"worker stopped"), one holding ``&#13;&#x9b;2J`` sent a raw CR and a C1 CSI to the terminal."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from wfengine import Engine, load_xpdl
from wfengine.runtime.worker_tally import log_opened

FAKE = "2026-01-01 00:00:00,000 INFO wfengine.worker [MainThread] worker stopped"
_ID = f"g&#10;{FAKE}&#13;&#x9b;2J"
_DOC = f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="pk">
<WorkflowProcesses><WorkflowProcess Id="p">
<DataFields><DataField Id="n"><DataType><BasicType Type="INTEGER"/></DataType>
<InitialValue>5</InitialValue></DataField></DataFields>
<Activities><Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
<Activity Id="{_ID}"><Route/></Activity>
<Activity Id="e"><Event><EndEvent/></Event></Activity></Activities>
<Transitions><Transition Id="t1" From="s" To="{_ID}"/>
<Transition Id="t2" From="{_ID}" To="e"><Condition Type="CONDITION">
<Expression>n / 0 &gt; 1</Expression></Condition></Transition></Transitions>
</WorkflowProcess></WorkflowProcesses></Package>"""


def test_an_incident_s_activity_id_is_logged_on_one_line(caplog: pytest.LogCaptureFixture) -> None:
    engine = Engine()
    engine.deploy(load_xpdl(_DOC.encode(), schema=False))
    iid = engine.start_process("p")
    (incident,) = engine.store.open_incidents(iid)
    assert "\n" in (incident.activity_id or "")  # (the definition's id, as it is)
    with caplog.at_level(logging.WARNING, logger="wfengine.worker"):
        assert log_opened("job-1", engine.store, iid, datetime(2000, 1, 1, tzinfo=UTC)) == 1
    (record,) = caplog.records
    line = record.getMessage()
    assert not any(ch in line for ch in "\n\r\x9b")
    assert f"on instance {iid}, activity g\\n{FAKE}\\r\\x9b2J: " in line

"""A package whose two processes share an Id deploys neither: that is a package none of whose
processes can deploy, so deploy raises DeployError naming the duplicate (it returned [] with
only a logged warning, the refused ids counted against the processes)."""

from __future__ import annotations

import logging

import pytest

from wfengine import Engine, load_xpdl
from wfengine.errors import DeployError

_TWICE = b"""<?xml version="1.0"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="pk"><PackageHeader>
<XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created></PackageHeader>
<WorkflowProcesses>
<WorkflowProcess Id="p"><Activities><Activity Id="a"><Event><StartEvent Trigger="None"/>
</Event></Activity><Activity Id="b"><Event><EndEvent Result="None"/></Event></Activity>
</Activities><Transitions><Transition Id="t1" From="a" To="b"/></Transitions>
</WorkflowProcess>
<WorkflowProcess Id="p"><Activities><Activity Id="a2"><Event><StartEvent Trigger="None"/>
</Event></Activity><Activity Id="b2"><Event><EndEvent Result="None"/></Event></Activity>
</Activities><Transitions><Transition Id="t2" From="a2" To="b2"/></Transitions>
</WorkflowProcess>
</WorkflowProcesses></Package>"""


def test_a_package_of_two_processes_sharing_an_id_raises(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="wfengine.deploy")
    with pytest.raises(DeployError, match=r"duplicate-id.*more than one process with Id 'p'"):
        engine.deploy(load_xpdl(_TWICE, schema=False))
    assert engine.store.versions("p") == []
    assert engine.refusal("p") is not None

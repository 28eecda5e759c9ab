"""``detailed_status`` and ``brief_status`` refuse what is no engine at once (their first use
was a bare ``AttributeError``), and a user the organisation does not know learns nothing of
an id from ``detailed_status``: the same refusal whether the instance exists or not (it was a
``NotFoundError`` for one that does not)."""

from __future__ import annotations

import pytest

from tests.worklist.conftest import ORG
from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    brief_status,
    detailed_status,
)


@pytest.mark.parametrize("given", [None, "sqlite:///wf.db"])
def test_what_is_no_engine_is_a_type_error_naming_the_argument(given: object) -> None:
    with pytest.raises(TypeError, match=r"detailed_status: engine must be a wfengine\.Engine"):
        detailed_status(given, "pi-1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"brief_status: engine must be a wfengine\.Engine"):
        brief_status(given, "pi-1")  # type: ignore[arg-type]


def test_a_stranger_cannot_tell_which_instances_exist() -> None:
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as engine:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        engine.deploy(pb.build())
        instance_id = engine.start_process("ticket")
        for asked in (instance_id, "pi-nope"):
            with pytest.raises(NotAuthorizedError, match="the organisation does not know them"):
                detailed_status(engine, asked, user="zed")

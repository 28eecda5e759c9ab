"""use_stored_organisation refuses what is no Engine as the other public calls do
(wfengine.runtime.engine_check), naming the call and what was given."""

from __future__ import annotations

import pytest

from wfengine.worklist.stored_organisation import use_stored_organisation


@pytest.mark.parametrize("given", [None, "sqlite:///wf.db"])
def test_no_engine_is_refused_naming_the_call_and_how_to_open_one(given: object) -> None:
    with pytest.raises(TypeError) as raised:
        use_stored_organisation(given)  # type: ignore[arg-type]
    text = str(raised.value)
    assert text.startswith("use_stored_organisation: engine must be a wfengine.Engine")
    assert "Engine(db_url=...)" in text

"""The model's JSON shape is versioned (``wfengine.definition.model_format``): a stored model
is read back only by a model of the same shape."""

from __future__ import annotations

import hashlib
import json

from wfengine.definition.model import Package
from wfengine.definition.model_format import MODEL_FORMAT

#: MODEL_FORMAT -> the hash of Package's JSON schema at that format
SHAPES = {
    1: "b0bba808259df461",
    2: "66aaf3ad3d0b1641",
    3: "017bd7f0662b8a5b",
    4: "c0f5a3a4a2c9e270",  # (its data as first recorded; three classes gained docstrings)
    5: "d70942af978de714",  # ExtendedAttribute.namespaces
    6: "715b64dd654cdd6d",  # Deadline.duration_extras
    7: "0a4985303d3fb125",  # ToolCall and SubFlowImplementation.actual_parameter_attrs
}


def test_the_model_format_names_the_models_shape() -> None:
    schema = json.dumps(Package.model_json_schema(), sort_keys=True).encode("utf-8")
    shape = hashlib.sha256(schema).hexdigest()[:16]
    assert SHAPES.get(MODEL_FORMAT) == shape, (
        f"the definition model changed (its JSON schema hashes to {shape}): raise "
        "MODEL_FORMAT in wfengine/definition/model_format.py and record the new hash in "
        "SHAPES, or stored models of the old shape would be read as the new one"
    )

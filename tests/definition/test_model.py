import pytest
from pydantic import ValidationError

from wfengine.definition.model import Activity, BasicType, BasicTypeKind, DataField, Package


def test_source_line_is_not_part_of_equality() -> None:
    assert Activity(id="a", line=3) == Activity(id="a")
    assert hash(Activity(id="a", line=3)) == hash(Activity(id="a"))


def test_models_are_frozen() -> None:
    a = Activity(id="a")
    with pytest.raises(ValidationError):
        a.id = "b"  # type: ignore[misc]
    assert a.id == "a"


def test_data_type_discriminated_from_dict() -> None:
    f = DataField.model_validate({"id": "x", "data_type": {"kind": "basic", "type": "INTEGER"}})
    assert f.data_type == BasicType(type=BasicTypeKind.INTEGER)


def test_bookkeeping_not_compared_on_package() -> None:
    assert Package(id="p", source_version="1.0") == Package(id="p", source_version="2.2")

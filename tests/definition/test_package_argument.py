"""The definition functions said nothing useful when given a path or XPDL text instead of a
package: ``load_xpdl(text)`` quoted the whole document as a file name that was too long (or,
for a short one, misquoted it: ``Path`` folds ``//``), and ``validate``/``dump_xpdl``/
``package_to_dot``/``unique_ids`` of a path raised a bare ``AttributeError`` of ``str``. Each
now raises a ``TypeError`` saying what to pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wfengine import dump_xpdl, load_xpdl, package_to_dot, unique_ids, validate

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "leave_request.xpdl"


@pytest.mark.parametrize(
    "text",
    [
        EXAMPLE.read_text(encoding="utf-8"),
        '<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p"/>',
        '\ufeff  <?xml version="1.0"?><Package/>',
    ],
    ids=["a whole file", "short", "a byte-order mark first"],
)
def test_xpdl_text_given_as_a_str_says_to_pass_its_bytes(text: str) -> None:
    with pytest.raises(TypeError, match=r"an XML document, not a path: pass its bytes"):
        load_xpdl(text)


def test_the_path_and_bytes_forms_still_load() -> None:
    assert load_xpdl(str(EXAMPLE)).id == load_xpdl(EXAMPLE.read_bytes()).id


def test_something_that_is_neither_path_bytes_nor_stream_is_named() -> None:
    with pytest.raises(TypeError, match=r"the document's bytes or a binary stream, not int"):
        load_xpdl(5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("validate", lambda v: validate(v)),
        ("dump_xpdl", lambda v: dump_xpdl(v)),
        ("package_to_dot", lambda v: package_to_dot(v, "p")),
        ("unique_ids", lambda v: unique_ids(v)),
    ],
)
def test_a_path_where_a_package_belongs_says_to_load_it_first(
    name: str, call: Callable[[object], object]
) -> None:
    with pytest.raises(TypeError, match=rf"^{name}: package must be a Package: load an XPDL file"):
        call(str(EXAMPLE))

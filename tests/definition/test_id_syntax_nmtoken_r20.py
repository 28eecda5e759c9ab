"""``id-syntax`` says what the schema check of a written file says: libxml2's ``xs:NMTOKEN``
(XML 1.0 2nd edition's name characters), not Python's ``str.isalnum``. It was silent on Ids
the written file's check refuses (``area_m²``, ``wait_µs``, ``ﬁle_check``, ``ª``) and warned
of four the check takes (U+0387, U+06DD, U+06DE, U+212E)."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder, dump_xpdl, load_xpdl, validate


def _codes(activity_id: str) -> tuple[list[str], list[str]]:
    """id-syntax on the built package, and whether the written file breaks its schema."""
    b = PackageBuilder("pkg")
    process = b.process("proc")
    process.start("s")
    process.activity(activity_id, name="x")
    process.end("e")
    process.sequence("s", activity_id, "e")
    built = b.build()
    written = load_xpdl(dump_xpdl(built))
    return (
        [d.code for d in validate(built) if d.code == "id-syntax"],
        [d.code for d in written.load_diagnostics if d.code == "schema-violation"],
    )


@pytest.mark.parametrize("activity_id", ["area_m²", "wait_µs", "ﬁle_check", "ª"])
def test_an_id_the_written_files_schema_refuses_is_warned_of(activity_id: str) -> None:
    warned, refused = _codes(activity_id)
    assert refused
    assert warned == ["id-syntax"]


@pytest.mark.parametrize(
    "activity_id", ["a\u0387b", "a\u06dd", "a\u06de", "a\u212e", "größe", "名前", "a.b-c_d:e"]
)
def test_an_id_the_written_files_schema_takes_is_not_warned_of(activity_id: str) -> None:
    assert _codes(activity_id) == ([], [])

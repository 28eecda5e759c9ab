"""An organisation file saved as Latin-1 (``René`` with ``é`` as the byte 0xE9): ``org load
x.json`` ended in a ``UnicodeDecodeError`` traceback and ``load_organisation`` raised it
instead of an :class:`OrganisationError` naming the file. Both forms now say which line and
byte are not UTF-8, and what to do."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine import load_organisation
from wfengine.errors import OrganisationError
from wfengine.worklist.org_files import parse_organisation

LATIN_JSON = '{"users": [{"id": "a",\n "name": "René"}]}'.encode("latin-1")
LATIN_YAML = "users:\n  - {id: a, name: René}\n".encode("latin-1")


@pytest.mark.parametrize(
    ("name", "raw", "where"),
    [
        ("org.json", LATIN_JSON, ":2: not UTF-8 text: byte 0xe9 at position 36"),
        ("org.yaml", LATIN_YAML, ":2: not UTF-8 text: byte 0xe9 at position 28"),
    ],
)
def test_a_latin1_file_is_refused_naming_the_line_and_byte(
    tmp_path: Path, name: str, raw: bytes, where: str
) -> None:
    path = tmp_path / name
    path.write_bytes(raw)
    with pytest.raises(OrganisationError) as caught:
        load_organisation(path)
    assert str(caught.value) == (
        f"{path}{where} (invalid continuation byte); save the file as UTF-8 (from Latin-1: "
        "iconv -f latin1 -t utf-8)"
    )


def test_org_load_of_a_latin1_json_file_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "org.json"
    path.write_bytes(LATIN_JSON)
    refused = cli("org", "load", str(path), "--db", sqlite_url(tmp_path))
    assert refused.exit_code == 1, refused.output
    assert f"{path}:2: not UTF-8 text" in refused.stderr


def test_utf8_with_a_byte_order_mark_and_utf16_still_load(tmp_path: Path) -> None:
    (tmp_path / "bom.json").write_bytes(b'\xef\xbb\xbf{"users": [{"id": "ren\xc3\xa9"}]}')
    (tmp_path / "u16.yaml").write_bytes("users: [{id: rené}]\n".encode("utf-16"))
    for name in ("bom.json", "u16.yaml"):
        assert [u.id for u in load_organisation(tmp_path / name).users] == ["rené"]


def test_a_bad_utf16_file_names_its_own_line_and_no_latin1_advice() -> None:
    """r20b: the line was counted in 0x0A bytes of the raw UTF-16, which ``Ċ`` (U+010A) holds
    (line 14 here, not 4), and the advice was to convert from Latin-1."""
    good = "users:\n  - {id: a, name: ĊĊĊĊĊĊĊĊĊĊ}\n  - {id: b}\n"
    raw = (
        codecs.BOM_UTF16_LE + good.encode("utf-16-le") + b"\x00\xdc" + "x: 1\n".encode("utf-16-le")
    )
    with pytest.raises(OrganisationError) as caught:
        parse_organisation(raw, "org.yaml")
    assert str(caught.value) == (
        "org.yaml:4: not UTF-16 text: byte 0x00 at position 100 (illegal encoding); save the "
        "file as UTF-8"
    )

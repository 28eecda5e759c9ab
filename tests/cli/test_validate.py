"""``wfengine validate``: the finding lines, the JSON shape and the exit statuses scripts use."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.documents import (
    BILLION_LAUGHS,
    DANGLING_TRANSITION,
    DUPLICATE_ID,
    EXTERNAL_ENTITY,
    LEAVE_REQUEST,
    MALFORMED,
    ORDER_FULFILMENT,
    UNKNOWN_NAMESPACE,
    write,
)
from tests.definition.hostile_inputs import deep_nesting, long_text, many_package_attributes
from wfengine.cli.main import main
from wfengine.definition.xpdl.secure import DEFAULT_MAX_BYTES, MAX_DEPTH, MAX_TEXT_BYTES

#: ``file:line: severity code: message``; a finding with no line is ``file: severity ...``
FINDING_LINE = re.compile(
    r"^(?P<file>.+?)(?::(?P<line>\d+))?: (?P<severity>error|warning|info) (?P<code>[a-z-]+): .+$"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_examples_have_no_errors() -> None:
    status, out, err = run(str(LEAVE_REQUEST), str(ORDER_FULFILMENT))
    assert status == 0, out + err
    assert " error " not in out
    assert "2 files checked: 0 errors" in err


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (DUPLICATE_ID, "duplicate-id"),
        (DANGLING_TRANSITION, "dangling-transition"),
        (MALFORMED, "xml-malformed"),
        (BILLION_LAUGHS, "xml-forbidden"),
        (EXTERNAL_ENTITY, "xml-forbidden"),
        (UNKNOWN_NAMESPACE, "xpdl-unknown-namespace"),
    ],
    ids=["duplicate-id", "dangling", "malformed", "billion-laughs", "external-entity", "namespace"],
)
def test_an_error_finding_exits_1_and_names_file_line_and_code(
    tmp_path: Path, text: str, code: str
) -> None:
    bad = write(tmp_path, "bad.xpdl", text)
    status, out, _ = run(str(bad))
    assert status == 1
    errors = [
        m for m in map(FINDING_LINE.match, out.splitlines()) if m and m["severity"] == "error"
    ]
    assert code in {m["code"] for m in errors}, out
    assert all(m["file"] == str(bad) for m in errors)


def test_findings_carry_the_source_line(tmp_path: Path) -> None:
    bad = write(tmp_path, "dangling.xpdl", DANGLING_TRANSITION)
    _, out, _ = run(str(bad))
    line = next(
        m
        for m in map(FINDING_LINE.match, out.splitlines())
        if m and m["code"] == "dangling-transition"
    )
    source_lines = DANGLING_TRANSITION.splitlines()
    assert 'To="nowhere"' in source_lines[int(line["line"]) - 1]


def test_external_entity_is_not_expanded(tmp_path: Path) -> None:
    bad = write(tmp_path, "xxe.xpdl", EXTERNAL_ENTITY)
    _, out, _ = run("--json", str(bad))
    assert "root:" not in out  # /etc/passwd's first line never reaches the output


def test_one_bad_file_among_good_ones_still_exits_1(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.xpdl", DUPLICATE_ID)
    status, out, _ = run(str(LEAVE_REQUEST), str(bad), str(ORDER_FULFILMENT))
    assert status == 1
    assert f"{bad}:" in out


def test_missing_file_exits_2_with_its_name_on_stderr(tmp_path: Path) -> None:
    missing = tmp_path / "nope.xpdl"
    status, out, err = run(str(LEAVE_REQUEST), str(missing))
    assert status == 2
    assert str(missing) in err and "cannot read" in err
    assert str(missing) not in out


def test_an_empty_file_name_exits_2_saying_it_is_empty() -> None:
    """It said "cannot read : it is a directory" (``Path("")`` is the current directory)."""
    status, _, err = run(str(LEAVE_REQUEST), "")
    assert status == 2
    assert "cannot read '': the file name is empty" in err


def test_directory_exits_2(tmp_path: Path) -> None:
    status, _, err = run(str(tmp_path))
    assert status == 2
    assert "directory" in err


def test_missing_file_wins_over_an_error_finding(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.xpdl", DUPLICATE_ID)
    status, _, _ = run(str(bad), str(tmp_path / "missing.xpdl"))
    assert status == 2


def test_no_file_is_a_usage_error() -> None:
    status, _, err = run()
    assert status == 2
    assert "FILE" in err


def test_json_is_one_list_of_findings_with_the_documented_keys(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.xpdl", DUPLICATE_ID)
    status, out, _ = run("--json", str(bad), str(LEAVE_REQUEST))
    assert status == 1
    findings = json.loads(out)
    assert isinstance(findings, list) and findings
    for finding in findings:
        assert set(finding) == {"file", "line", "severity", "code", "message", "element_id"}
        assert finding["severity"] in {"error", "warning", "info"}
        assert finding["line"] is None or isinstance(finding["line"], int)
    duplicate = next(f for f in findings if f["code"] == "duplicate-id")
    assert duplicate == {**duplicate, "file": str(bad), "severity": "error", "element_id": "work"}


def test_json_for_clean_files_is_an_empty_list_and_exit_0() -> None:
    status, out, _ = run("--json", "--no-schema", str(LEAVE_REQUEST))
    assert status == 0
    assert [f for f in json.loads(out) if f["severity"] == "error"] == []


def test_json_reports_unloadable_files_as_findings(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.xml", MALFORMED)
    status, out, _ = run("--json", str(bad))
    assert status == 1
    [finding] = json.loads(out)
    assert finding["code"] == "xml-malformed" and finding["file"] == str(bad)


def test_json_with_a_missing_file_still_prints_json_and_exits_2(tmp_path: Path) -> None:
    status, out, err = run("--json", str(LEAVE_REQUEST), str(tmp_path / "gone.xpdl"))
    assert status == 2
    assert isinstance(json.loads(out), list)
    assert "gone.xpdl" in err


def test_reads_standard_input_as_dash() -> None:
    result = CliRunner().invoke(main, ["validate", "-"], input=DUPLICATE_ID)
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:")


def test_the_installed_command_keeps_the_exit_statuses(tmp_path: Path) -> None:
    """The contract holds for a real process, not only inside click's test runner."""
    bad = write(tmp_path, "bad.xpdl", DANGLING_TRANSITION)
    cmd = [sys.executable, "-m", "wfengine.cli.main", "validate", "--no-schema"]
    statuses = [
        subprocess.run([*cmd, str(path)], capture_output=True, timeout=120, check=False).returncode
        for path in (LEAVE_REQUEST, bad, tmp_path / "missing.xpdl")
    ]
    assert statuses == [0, 1, 2]


# -- hostile inputs (issue 8, item 7) --------------------------------------------------------


def test_many_package_attributes_are_validated_with_warnings_only(tmp_path: Path) -> None:
    """50,000 attributes on <Package>: minutes with the old quadratic attribute reading."""
    path = tmp_path / "attributes.xpdl"
    path.write_bytes(many_package_attributes(50_000))
    status, out, err = run(str(path))
    assert status == 0, err
    assert "schema-violation" in out
    assert "0 errors" in err


class _EndlessZeros(io.RawIOBase):
    """Standard input that never ends, counting the bytes it gave."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), 1 << 20)
        buffer[:n] = bytes(n)
        self.given += n
        return n


def test_endless_standard_input_is_too_large_and_not_read_to_its_end() -> None:
    stdin = _EndlessZeros()
    result = CliRunner().invoke(main, ["validate", "-"], input=io.BufferedReader(stdin))
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("<stdin>: error xml-too-large:")
    assert stdin.given <= DEFAULT_MAX_BYTES + 1 + (1 << 20)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("how", ["path", "stdin"])
def test_dev_zero_is_too_large_and_the_command_ends(how: str) -> None:
    """A real process: without the bounded read it died of MemoryError (or never ended)."""
    cmd = [sys.executable, "-m", "wfengine.cli.main", "validate", "--no-schema"]
    with open("/dev/zero", "rb") as zeros:
        done = subprocess.run(
            [*cmd, "/dev/zero" if how == "path" else "-"],
            stdin=zeros,
            capture_output=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert b"error xml-too-large: document is larger than the limit" in done.stdout


@pytest.mark.parametrize(
    ("document", "code", "limit"),
    [
        (deep_nesting(300), "xml-too-deep", f"limit of {MAX_DEPTH} levels"),
        (long_text(MAX_TEXT_BYTES + 1), "xml-text-too-large", f"limit of {MAX_TEXT_BYTES} bytes"),
    ],
    ids=["deep", "long-text"],
)
def test_parser_limits_have_their_own_codes(
    tmp_path: Path, document: bytes, code: str, limit: str
) -> None:
    path = tmp_path / "limit.xpdl"
    path.write_bytes(document)
    status, out, _err = run("--no-schema", str(path))
    assert status == 1
    match = FINDING_LINE.match(out.splitlines()[0])
    assert match is not None, out
    assert match["code"] == code
    assert limit in out
    assert f"at line {match['line']}" in out
    assert int(match["line"]) > 1


def test_a_finding_with_no_line_names_the_file_without_a_made_up_line_0(tmp_path: Path) -> None:
    apps = tmp_path / "binds_more.py"
    apps.write_text(
        "def register(registry):\n    registry.register('not_in_the_file', lambda: {})\n"
    )
    status, out, _ = run("--apps", str(apps), str(LEAVE_REQUEST))
    assert status == 0, out
    lines = out.splitlines()
    [undeclared] = [line for line in lines if "application-undeclared" in line]
    assert undeclared.startswith(f"{LEAVE_REQUEST}: warning application-undeclared: ")
    assert ":0:" not in out
    # a finding about an element of the file points at its line
    unbound = [FINDING_LINE.match(line) for line in lines if "application-unbound" in line]
    assert unbound and all(m is not None and m["line"] and int(m["line"]) > 0 for m in unbound)


def test_a_finding_line_ends_with_the_element_it_is_about(tmp_path: Path) -> None:
    """README: `file:line: severity code: message [ELEMENT_ID]` (scripts split on it)."""
    bad = write(tmp_path, "bad.xpdl", DANGLING_TRANSITION)
    _, out, _ = run(str(bad))
    (line,) = [line for line in out.splitlines() if "dangling-transition" in line]
    assert re.fullmatch(r".+:\d+: error dangling-transition: .+ \[t2\]", line), line

"""An ``sms-file`` notifier whose ``path`` can never be a file to append to is refused when
it is made, naming the notifier and the setting. Before, ``{"path": ""}`` (the current
directory) and ``{"path": "/tmp"}`` were taken, and then every text failed with
``IsADirectoryError``, 20 attempts an entry. A path whose directory does not exist yet is
taken, with a warning: a spool directory may be made or mounted after the engine starts."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from wfengine import notifier
from wfengine.errors import ApplicationError
from wfengine.worklist.notification import Notification
from wfengine.worklist.org_model import OrgUser

TAKES = "(it takes path (required))"


@pytest.mark.parametrize(
    ("path", "error", "says"),
    [
        ("", ValueError, "path is empty ('', the current directory when opened)"),
        ("  ", ValueError, "path is empty ('  ', the current directory when opened)"),
        (None, TypeError, "path must be a file's path (text), not NoneType"),
        (b"sms.jsonl", TypeError, "path must be a file's path (text), not bytes"),
        ("sms\0.jsonl", ValueError, "path 'sms\\x00.jsonl' holds a NUL character"),
    ],
    ids=["empty", "blank", "None", "bytes", "NUL"],
)
def test_a_path_that_is_no_path_is_refused(path: Any, error: type[Exception], says: str) -> None:
    with pytest.raises(error) as raised:
        notifier("sms-file", {"path": path})
    assert str(raised.value).startswith(f"notifier 'sms-file': sms-file notifier: {says}")
    assert str(raised.value).endswith(TAKES)


@pytest.mark.parametrize("form", ["{}", "{}/", "{}/."])
def test_a_directory_is_refused(tmp_path: Path, form: str) -> None:
    given = form.format(tmp_path)
    with pytest.raises(ValueError) as raised:
        notifier("sms-file", {"path": given})
    assert str(raised.value) == (
        f"notifier 'sms-file': sms-file notifier: path {given!r} names a directory; give a "
        f"file in it to append the texts to (sms.jsonl) {TAKES}"
    )


def test_a_path_under_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "spool").write_text("")
    given = tmp_path / "spool" / "day" / "sms.jsonl"
    with pytest.raises(ValueError) as raised:
        notifier("sms-file", {"path": given})
    assert f"is under {str(tmp_path / 'spool')!r}, a file, not a directory" in str(raised.value)


def _text(made: Any, key: str) -> None:
    user = OrgUser(id="ann", phone="+100")
    made.notify(Notification(key, "offered", "wi-1", "pi-1", "a", ("ann",)), [user])


def test_a_directory_missing_yet_is_taken_with_a_warning_and_texts_once_it_exists(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spool = tmp_path / "spool" / "sms.jsonl"
    with caplog.at_level(logging.WARNING, logger="wfengine.notifications"):
        made = notifier("sms-file", {"path": str(spool)})
    assert caplog.messages == [
        f"sms-file notifier: the directory of {str(spool)!r} does not exist (yet): texts fail "
        "until it does"
    ]
    with pytest.raises(ApplicationError, match="FileNotFoundError"):  # (retried)
        _text(made, "k1")
    spool.parent.mkdir()
    _text(made, "k1")
    assert json.loads(spool.read_text())["key"] == "k1/ann"


def test_a_file_path_is_taken_without_a_word(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="wfengine.notifications"):
        made = notifier("sms-file", {"path": tmp_path / "sms.jsonl"})
        _text(made, "k2")
    assert not caplog.messages
    assert (tmp_path / "sms.jsonl").read_text().count("\n") == 1

"""``notifier(name, settings)`` refuses a mistaken setting naming the notifier, what was given
and the settings it takes (it said "<lambda>() got an unexpected keyword argument 'file'")."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.worklist import notifiers as n


def test_an_unknown_setting_names_the_notifier_and_what_it_takes() -> None:
    with pytest.raises(TypeError) as caught:
        n.notifier("sms-file", {"file": "sms.log"})
    assert str(caught.value) == (
        "notifier 'sms-file': no setting 'file'; it takes path (required) (given: 'file')"
    )


def test_a_missing_setting_names_the_notifier_and_what_it_takes() -> None:
    with pytest.raises(
        TypeError, match=r"^notifier 'webhook': missing .*'secret'.*url \(required\)"
    ):
        n.notifier("webhook", {"url": "http://localhost:9"})


def test_an_error_of_the_factory_itself_names_the_notifier() -> None:
    with pytest.raises(TypeError, match=r"^notifier 'email': .*'bogus'.*sender \(required\)"):
        n.notifier("email", {"host": "localhost", "sender": "wf@example.com", "bogus": 1})


def test_right_settings_still_make_the_notifier(tmp_path: Path) -> None:
    made = n.notifier("sms-file", {"path": tmp_path / "sms.log"})
    assert isinstance(made, n.SmsNotifier)

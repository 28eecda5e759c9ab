"""``notifier(name, settings)`` refuses arguments that are not a name and settings at once, as
``outbox.subscribe`` does, naming what was given (the settings by their names alone: their
values may be a secret) and what it takes, and saying when the two are swapped. Before, they
failed as "unhashable type: 'dict'", "dictionary update sequence element #0 ..." or "'int'
object is not iterable", naming neither the notifier nor the order."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import notifier

TAKES = (
    "the order is notifier(name, settings), the name text such as 'email' or 'webhook', the "
    "settings a mapping of the notifier's settings such as {'path': 'sms.log'} (or None for none)"
)


@pytest.mark.parametrize(
    ("name", "settings", "said"),
    [
        (
            {"url": "https://hooks.example.com/T0/SECRETPATH", "secret": "SECRETKEY"},
            "webhook",
            "notifier({'url': ..., 'secret': ...}, 'webhook'): the arguments are swapped",
        ),
        (None, "sms-file", "notifier(None, 'sms-file'): the arguments are swapped"),
        ("email", "host=x", "notifier('email', <str>): the settings are not a mapping"),
        ("email", 25, "notifier('email', 25): the settings are not a mapping"),
        ("webhook", ["url"], "notifier('webhook', <list>): the settings are not a mapping"),
        (25, None, "notifier(25, None): the name is not text"),
        (b"email", {}, "notifier(<bytes>, {}): the name is not text"),
    ],
    ids=["swapped", "swapped, no settings", "text", "a number", "a list", "no name", "bytes"],
)
def test_arguments_that_are_not_a_name_and_settings_are_refused(
    name: Any, settings: Any, said: str
) -> None:
    with pytest.raises(TypeError) as raised:
        notifier(name, settings)
    assert str(raised.value) == f"{said}: {TAKES}"
    assert "SECRET" not in str(raised.value)


def test_a_setting_whose_name_is_not_text_is_refused_naming_the_notifier() -> None:
    with pytest.raises(TypeError) as raised:
        notifier("sms-file", {"path": "sms.log", 1: "x"})
    assert str(raised.value) == (
        "notifier 'sms-file': a setting's name is text (a keyword of the notifier), not 1 (int)"
    )


def test_a_name_with_settings_given_so_still_makes_the_notifier() -> None:
    made = notifier("webhook", {"url": "https://hooks.example.com/x", "secret": "k"})
    assert repr(made) == "webhook https://hooks.example.com"

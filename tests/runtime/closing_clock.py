"""A virtual clock that tells a test when an engine begins to close.

``Engine.close`` marks the engine closed and then unsubscribes from its virtual clock before
it waits for what runs in other threads: a test that must act while close() waits (a command,
an asynchronous call, an outbox delivery) waits on :attr:`ClosingClock.closing` rather than
sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from wfengine import VirtualClock


class ClosingClock(VirtualClock):
    """A virtual clock whose :attr:`closing` is set when an engine unsubscribes (begins to
    close)."""

    def __init__(self) -> None:
        super().__init__()
        self.closing = threading.Event()

    def unsubscribe(self, callback: Callable[[], object]) -> None:
        super().unsubscribe(callback)
        self.closing.set()

"""Sequential ids taken from several threads at once: two that read a kind's counter at the
same moment were given one id (comments added from several threads through ``notes_for`` on
one in-memory engine replaced each other). Now each id is handed out once. The reader of the
counter is stopped right after it looked, until another thread has taken an id: the moment
the two used to collide."""

from __future__ import annotations

import threading
from typing import Any

from wfengine import SequentialIds


class _Stalling(dict):  # type: ignore[type-arg]
    """The counters, whose first look-up in the thread named ``first`` waits, after it has
    looked, until ``go``."""

    def __init__(self) -> None:
        super().__init__()
        self.looked = threading.Event()
        self.go = threading.Event()

    def get(self, key: Any, default: Any = None) -> Any:
        found = super().get(key, default)
        if threading.current_thread().name == "first" and not self.looked.is_set():
            self.looked.set()
            assert self.go.wait(30)
        return found


def test_two_threads_taking_an_id_at_once_get_two_ids() -> None:
    ids = SequentialIds()
    ids.new("pi")
    counters = _Stalling()
    counters.update(ids._counters)
    ids._counters = counters
    got: list[str] = []
    first = threading.Thread(target=lambda: got.append(ids.new("pi")), name="first")
    first.start()
    assert counters.looked.wait(30)  # the first thread has read the counter
    got.append(ids.new("pi"))  # another takes an id meanwhile
    counters.go.set()
    first.join(30)

    assert sorted(got) == ["pi-2", "pi-3"]
    assert ids.new("pi") == "pi-4"
    assert ids.new("wi") == "wi-1"

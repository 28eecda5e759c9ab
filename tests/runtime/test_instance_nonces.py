"""An instance's nonce makes its application calls' idempotency keys and outbox keys unique
beyond one database. The engine reads them from ``os.urandom`` 64 at a time: a forked child
(a pre-forking server, ``multiprocessing``'s fork) must not give the ones its parent gives, and
the engine must still import where there is no fork (Windows)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from wfengine.runtime.navigation import lifecycle


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")
def test_a_forked_child_gives_none_of_its_parents_nonces() -> None:
    lifecycle._nonce()  # the pool holds the rest of a read now
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its nonces, one per line, then out
        try:
            os.close(read)
            os.write(write, "\n".join(lifecycle._nonce() for _ in range(200)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        child = set(pipe.read().split())
    os.waitpid(pid, 0)
    parent = {lifecycle._nonce() for _ in range(200)}
    assert len(child) == 200 and len(parent) == 200
    assert not child & parent


def test_threads_never_share_a_nonce() -> None:
    taken: list[list[str]] = [[] for _ in range(8)]

    def take(mine: list[str]) -> None:
        mine.extend(lifecycle._nonce() for _ in range(2_000))

    threads = [threading.Thread(target=take, args=(mine,)) for mine in taken]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [n for mine in taken for n in mine]
    assert len(set(every)) == len(every) == 16_000


def test_the_engine_imports_and_starts_where_there_is_no_fork() -> None:
    script = (
        "import os\n"
        "import threading, random, concurrent.futures, logging, multiprocessing.util\n"
        "del os.register_at_fork\n"
        "from wfengine.definition.builder import PackageBuilder\n"
        "from wfengine.runtime.engine import Engine\n"
        "pb = PackageBuilder('p'); p = pb.process('main'); p.activity('a')\n"
        "with Engine() as e:\n"
        "    e.deploy(pb.build()); print(e.start_process('main', {}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("pi-")

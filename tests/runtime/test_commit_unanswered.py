"""PostgreSQL: a command whose COMMIT's answer never came (the connection cut while the COMMIT
was on its way or its answer on the way back) is neither done twice nor falsely refused: the
store finds out whether it committed before it tries it again, as
``wfengine.runtime.sql.retry`` says.

A proxy between the engine and the test server cuts the engine's connection at its COMMIT:
after the server has committed it, its answer never passed back (a network cut, the server
killed between its commit and its answer); or before the COMMIT reached the server, which
then rolls the transaction back."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.store import SqlStore

FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.002)
#: the protocol's untyped requests a client may send before its startup packet
_SSL_OR_GSS = (80877103, 80877104)


def _desk() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("desk").activity("answer", performer="clerk")
    return pb


class _CutProxy:
    """Passes the engine's connections to the server, and cuts the first one that sends a
    COMMIT once armed (``mode``): ``"lose_answer"`` passes the COMMIT on, waits until
    ``committed(admin)`` sees its rows, then closes both ends, its answer never passed back;
    ``"drop_commit"`` closes both ends instead of passing the COMMIT on. ``commits`` counts
    the COMMITs that reached the server."""

    def __init__(self, url: str, committed: Callable[[sa.Connection], bool]) -> None:
        parsed = sa.make_url(url)
        self._target = (parsed.host or "127.0.0.1", parsed.port or 5432)
        self._committed = committed
        self._admin = create_engine(url).connect()
        self._listener = socket.create_server(("127.0.0.1", 0))
        port = self._listener.getsockname()[1]
        self.url = parsed.set(port=port, query={"sslmode": "disable"}).render_as_string(
            hide_password=False
        )
        self.mode: str | None = None
        self.fired = 0
        self.commits = 0
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._listener.close()
        for s in self._sockets:
            _cut(s)
        self._admin.close()
        self._admin.engine.dispose()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self._target)
            self._sockets += [client, server]
            muted = threading.Event()
            threading.Thread(target=self._down, args=(server, client, muted), daemon=True).start()
            threading.Thread(target=self._up, args=(client, server, muted), daemon=True).start()

    def _down(self, server: socket.socket, client: socket.socket, muted: threading.Event) -> None:
        """The server's answers to the client, until the connection is cut (muted: lost)."""
        try:
            while data := server.recv(65536):
                if not muted.is_set():
                    client.sendall(data)
        except OSError:
            pass
        _cut(client)

    def _up(self, client: socket.socket, server: socket.socket, muted: threading.Event) -> None:
        """The client's messages to the server, one by one, each looked at for a COMMIT."""
        buffer = b""
        started = False
        cutting = False  # a COMMIT passed on, whose answer is to be lost: cut at its sync
        try:
            while data := client.recv(65536):
                buffer += data
                while True:
                    message, buffer, started = _message(buffer, started)
                    if message is None:
                        break
                    kind = message[:1]
                    if started and kind in (b"P", b"Q") and b"COMMIT\x00" in message:
                        with self._lock:
                            mode, self.mode = self.mode, None
                        if mode == "drop_commit":
                            self.fired += 1
                            return
                        self.commits += 1
                        if mode == "lose_answer":
                            muted.set()  # nothing the server answers reaches the client
                            cutting = True
                    server.sendall(message)
                    if cutting and kind in (b"S", b"Q"):  # the COMMIT runs now
                        self._wait_committed()
                        return
        except OSError:
            pass
        finally:
            _cut(client)
            _cut(server)

    def _wait_committed(self) -> None:
        deadline = time.monotonic() + 10
        while not self._rows_there() and time.monotonic() < deadline:
            time.sleep(0.005)
        self.fired += 1

    def count(self, sql: str) -> int:
        found = int(self._admin.exec_driver_sql(sql).scalar_one())
        self._admin.commit()
        return found

    def _rows_there(self) -> bool:
        found = self._committed(self._admin)
        self._admin.commit()
        return found


def _message(buffer: bytes, started: bool) -> tuple[bytes | None, bytes, bool]:
    """The first whole message in ``buffer`` (None if it has not all come), what follows it,
    and whether the startup packet has gone (after it every message has a type byte)."""
    if not started:
        if len(buffer) < 8:
            return None, buffer, started
        size = int.from_bytes(buffer[:4], "big")
        if len(buffer) < size:
            return None, buffer, started
        code = int.from_bytes(buffer[4:8], "big")
        return buffer[:size], buffer[size:], code not in _SSL_OR_GSS
    if len(buffer) < 5:
        return None, buffer, started
    size = 1 + int.from_bytes(buffer[1:5], "big")
    if len(buffer) < size:
        return None, buffer, started
    return buffer[:size], buffer[size:], started


def _cut(s: socket.socket) -> None:
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    s.close()


#: what the proxy counts to see a commit's rows stored: instances, completions
INSTANCES = "SELECT count(*) FROM process_instances"
COMPLETIONS = "SELECT count(*) FROM audit_events WHERE kind = 'work_item.completed'"


@pytest.fixture(params=["batch", "watched"])
def watched(request: pytest.FixtureRequest) -> bool:
    """The commit on wfengine's libpq batch, or through psycopg's cursors (a host's
    cursor-event listener watches the statements)."""
    return bool(request.param == "watched")


@pytest.fixture
def desk(pg_url: str, watched: bool) -> Iterator[tuple[Engine, Callable[..., _CutProxy]]]:
    """An engine with the desk process deployed, talking to the server through a proxy,
    and how to arm the proxy (``counted``: the count that grows when the COMMIT's rows are
    stored). One instance is run first, so that the engine has its id blocks: the armed
    proxy's COMMIT is then the command's own."""
    counted = [INSTANCES, 0]

    def grown(admin: sa.Connection) -> bool:
        return int(admin.exec_driver_sql(str(counted[0])).scalar_one()) > int(counted[1])

    proxy = _CutProxy(pg_url, grown)
    store = SqlStore(proxy.url, retry=FAST_RETRY)
    if watched:
        sa.event.listen(store.sa_engine, "before_cursor_execute", lambda *a: None)

    def arm(mode: str, count: str = INSTANCES) -> _CutProxy:
        counted[:] = [count, proxy.count(count)]
        proxy.commits = proxy.fired = 0
        proxy.mode = mode
        return proxy

    try:
        with Engine(store=store) as e:
            e.deploy(_desk().build())
            first = e.start_process("desk")
            e.complete_work_item(e.work_items(first)[0].id)
            yield e, arm
    finally:
        proxy.close()


def _one_completion(e: Engine, iid: str) -> None:
    assert e.instance(iid).state is ProcessState.COMPLETED
    kinds = [a.kind for a in e.audit(iid)]
    assert kinds.count("work_item.completed") == 1


def test_a_start_whose_commit_answer_was_lost_stores_one_instance(
    desk: tuple[Engine, Callable[..., _CutProxy]],
) -> None:
    """The start committed, then the connection was cut before its answer came: the store
    finds the start stored and returns it, instead of refusing its retry as "stored
    already" and the engine starting a second instance."""
    e, arm = desk
    proxy = arm("lose_answer")
    iid = e.start_process("desk")
    assert proxy.fired == 1
    assert proxy.commits == 1  # not sent again
    assert len(e.instance_summaries()) == 2  # the one run first, and this one
    (item,) = e.work_items(iid)
    e.complete_work_item(item.id)
    _one_completion(e, iid)


def test_a_completion_whose_commit_answer_was_lost_succeeds(
    desk: tuple[Engine, Callable[..., _CutProxy]],
) -> None:
    """The completion committed, then the connection was cut before its answer came: the
    user is told it succeeded (not refused as completed already: it was their own)."""
    e, arm = desk
    iid = e.start_process("desk")
    (item,) = e.work_items(iid)
    proxy = arm("lose_answer", COMPLETIONS)
    e.complete_work_item(item.id)
    assert proxy.fired == 1
    assert proxy.commits == 1
    _one_completion(e, iid)


def test_a_commit_that_never_reached_the_server_is_run_once_more(
    desk: tuple[Engine, Callable[..., _CutProxy]],
) -> None:
    """The connection was cut before the COMMIT reached the server, which rolled the
    transaction back: the store finds nothing stored and runs it once more."""
    e, arm = desk
    proxy = arm("drop_commit")
    iid = e.start_process("desk")
    assert proxy.fired == 1
    assert proxy.commits == 1  # the retry's
    assert len(e.instance_summaries()) == 2  # the one run first, and this one
    (item,) = e.work_items(iid)
    proxy = arm("drop_commit", COMPLETIONS)
    e.complete_work_item(item.id)
    assert proxy.fired == 1
    assert proxy.commits == 1
    _one_completion(e, iid)

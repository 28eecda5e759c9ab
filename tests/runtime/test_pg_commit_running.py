"""PostgreSQL: a transaction whose COMMIT's answer never came while the server was still
running it (the COMMIT waiting for a lock, or the server process waiting for the rest of a
batch whose client is gone) is neither run a second time beside it nor left to block its
retry: the store asks the server what became of the transaction's id, waits while it runs,
and ends a server process that waits for a client that gave it up
(``wfengine.runtime.sql.database.Database``).

A proxy between the engine and the test server cuts the engine's connection at its COMMIT
once the server's process is known to be still at it: its COMMIT waits in a deferred trigger
for an advisory lock the test holds (``hold``), or it never got the COMMIT (``drop``)."""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.store import SqlStore

#: the advisory lock a COMMIT waits for, in the trigger the tests add
LOCK = 7_400_123
#: the protocol's untyped requests a client may send before its startup packet
_SSL_OR_GSS = (80877103, 80877104)


class _Admin:
    """The test's own connection to the server (outside the proxy)."""

    def __init__(self, url: str) -> None:
        self.conn = create_engine(url).connect()

    def close(self) -> None:
        self.conn.close()
        self.conn.engine.dispose()

    def value(self, sql: str) -> object:
        found = self.conn.exec_driver_sql(sql).scalar()
        self.conn.commit()
        return found

    def run(self, sql: str) -> None:
        self.conn.exec_driver_sql(sql)
        self.conn.commit()

    def until(self, ready: Callable[[], bool], what: str) -> None:
        """Wait for ``ready()`` (asked again and again), at most a long while."""
        deadline = time.monotonic() + 30
        while not ready():
            if time.monotonic() > deadline:
                raise AssertionError(f"the server never {what}")
            time.sleep(0.001)

    def alive(self, pid: int) -> bool:
        return bool(self.value(f"SELECT count(*) FROM pg_stat_activity WHERE pid = {pid}"))


class _Hold:
    """The advisory lock the trigger's COMMITs wait for, held by the test until released
    (once, by whichever hook comes first)."""

    def __init__(self, admin: _Admin) -> None:
        self._admin = admin
        self.held = False

    def take(self) -> None:
        self._admin.value(f"SELECT pg_advisory_lock({LOCK})")
        self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            self._admin.value(f"SELECT pg_advisory_unlock({LOCK})")


class _Proxy:
    """Passes the engine's connections to the server, and once armed (``mode``) cuts the
    first that sends a COMMIT: ``"hold"`` passes the COMMIT on, waits until its server
    process waits for the test's advisory lock (the COMMIT still running), passes on what
    the server answered before, then closes both ends; ``"drop"`` passes nothing more on,
    waits until the server process has run all it got, passes on what it answered, and
    closes the client's end only (the server's process waits in its transaction for the
    rest). ``commits`` counts the COMMITs passed on; ``on_commit`` is called after each."""

    def __init__(self, url: str) -> None:
        parsed = sa.make_url(url)
        self._target = (parsed.host or "127.0.0.1", parsed.port or 5432)
        self._admin = _Admin(url)
        self._listener = socket.create_server(("127.0.0.1", 0))
        port = self._listener.getsockname()[1]
        self.url = parsed.set(port=port, query={"sslmode": "disable"}).render_as_string(
            hide_password=False
        )
        self.mode: str | None = None
        self.commits = 0
        self.on_commit: Callable[[int], None] = lambda n: None
        #: the server process of the connection cut, and when it has ended
        self.cut_pid: int | None = None
        self.server_ended = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._listener.close()
        for s in self._sockets:
            _cut(s)
        self._admin.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self._target)
            self._sockets += [client, server]
            threading.Thread(target=self._serve, args=(client, server), daemon=True).start()

    def _serve(self, client: socket.socket, server: socket.socket) -> None:
        buffer, started, keep_server, holding = b"", False, False, False
        try:
            while True:
                readable, _, _ = select.select([client, server], [], [])
                if server in readable:
                    data = server.recv(65536)
                    if not data:
                        return
                    client.sendall(data)
                if client not in readable:
                    continue
                data = client.recv(65536)
                if not data:
                    return
                buffer += data
                while True:
                    message, buffer, started = _message(buffer, started)
                    if message is None:
                        break
                    kind = message[:1]
                    commit = started and kind in (b"P", b"Q") and b"COMMIT\x00" in message
                    if commit:
                        with self._lock:
                            mode, self.mode = self.mode, None
                        if mode == "drop":
                            keep_server = True
                            self._cut_when(server, client, "ClientRead")
                            threading.Thread(
                                target=self._watch, args=(server,), daemon=True
                            ).start()
                            return
                        holding = holding or mode == "hold"
                    server.sendall(message)
                    if commit:
                        self.commits += 1
                        self.on_commit(self.commits)
                    if holding and kind in (b"S", b"Q"):  # the COMMIT runs now
                        self._cut_when(server, client, "advisory")
                        return
        except (OSError, ValueError):  # a socket another thread cut (select: fd -1)
            pass
        finally:
            _cut(client)
            if not keep_server:
                _cut(server)

    def _cut_when(self, server: socket.socket, client: socket.socket, waiting: str) -> None:
        """Once the server process of ``server`` has a transaction id and waits for
        ``waiting`` (the test's lock, or more from its client: it has run all it got), pass
        on all it has answered (sent before it began to wait), and cut the client's end."""
        port = server.getsockname()[1]
        sql = (
            "SELECT pid FROM pg_stat_activity WHERE client_port = %s "
            "AND backend_xid IS NOT NULL AND wait_event = %s"
        )

        def there() -> bool:
            found = self._admin.conn.exec_driver_sql(sql, (port, waiting)).scalar()
            self._admin.conn.commit()
            self.cut_pid = found
            return found is not None

        self._admin.until(there, f"waited for {waiting}")
        server.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            while data := server.recv(65536):
                client.sendall(data)
        server.setblocking(True)
        _cut(client)

    def _watch(self, server: socket.socket) -> None:
        """The kept server end: set :attr:`server_ended` when the server closes it."""
        with contextlib.suppress(OSError):
            while server.recv(65536):
                pass
        self.server_ended.set()
        _cut(server)


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


#: a COMMIT of a transaction that wrote to the table runs this trigger, which waits while the
#: test holds the advisory lock
_WAIT = f"""
CREATE OR REPLACE FUNCTION wf_test_wait() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_advisory_xact_lock_shared({LOCK}); RETURN NULL; END $$
"""


def _waiting_commits(admin: _Admin, table: str) -> None:
    admin.run(_WAIT)
    admin.run(
        f"CREATE CONSTRAINT TRIGGER wf_test_wait AFTER INSERT ON {table} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wf_test_wait()"
    )


@dataclass
class Server:
    admin: _Admin
    proxy: _Proxy
    hold: _Hold
    #: the waits of the store's retry policy (each lets the held COMMIT finish)
    pauses: list[float]

    def policy(self) -> RetryPolicy:
        return RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.002, sleep=self.pause)

    def pause(self, seconds: float) -> None:
        """The store waits: after the failed attempt (the first wait), then for the
        transaction its server still runs, which the test lets go on then (waiting until
        its server process has ended)."""
        self.pauses.append(seconds)
        if len(self.pauses) > 1:
            self.let_it_finish()

    def let_it_finish(self) -> None:
        if self.hold.held:
            self.hold.release()
            pid = self.proxy.cut_pid
            assert pid is not None
            self.admin.until(lambda: not self.admin.alive(pid), "ended the process")


@pytest.fixture
def server(pg_url: str) -> Iterator[Server]:
    admin = _Admin(pg_url)
    proxy = _Proxy(pg_url)
    made = Server(admin, proxy, _Hold(admin), [])
    try:
        yield made
    finally:
        made.hold.release()
        proxy.close()
        admin.run("DROP TABLE IF EXISTS ledger")
        admin.run("DROP TRIGGER IF EXISTS wf_test_wait ON audit_events")
        admin.run("DROP FUNCTION IF EXISTS wf_test_wait()")
        admin.close()


def _desk() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("desk").activity("answer", performer="clerk")
    return pb


def test_a_host_transaction_whose_commit_still_runs_is_not_run_beside_it(
    server: Server,
) -> None:
    """A host's write (``SqlStore.transaction``, which says no check of its own) was run
    again at once, beside its first run still committing: its row stored twice. Now the
    store asks the server about the first run's transaction id, waits until it has
    committed, and returns its result."""
    admin, proxy, hold = server.admin, server.proxy, server.hold
    admin.run("CREATE TABLE ledger (n integer)")
    _waiting_commits(admin, "ledger")
    runs: list[int] = []

    def add(conn: sa.Connection) -> str:
        runs.append(1)
        conn.exec_driver_sql("INSERT INTO ledger VALUES (1)")
        return "added"

    store = SqlStore(proxy.url, retry=server.policy())
    try:
        # should a second COMMIT come, the first may go on (else both would wait for ever)
        proxy.on_commit = lambda n: server.let_it_finish() if n > 1 else None
        proxy.commits = 0
        hold.take()
        proxy.mode = "hold"
        assert store.transaction(add) == "added"
    finally:
        store.close()
    assert proxy.cut_pid is not None  # the COMMIT's answer never came
    assert admin.value("SELECT count(*) FROM ledger") == 1
    assert len(runs) == 1
    assert proxy.commits == 1
    assert len(server.pauses) > 1  # the store waited for it


def test_a_start_whose_commit_still_runs_is_not_sent_again(server: Server) -> None:
    """The start's COMMIT still ran when the store looked for its rows: it found none, and
    sent the start again (stored once only because the second met the first's instance row,
    and looked again). Now it waits for the first and returns it."""
    admin, proxy, hold = server.admin, server.proxy, server.hold
    with Engine(store=SqlStore(proxy.url, retry=server.policy())) as e:
        e.deploy(_desk().build())
        e.start_process("desk")  # the engine has its id blocks: the COMMIT held is the start's
        _waiting_commits(admin, "audit_events")
        proxy.on_commit = lambda n: server.let_it_finish() if n > 1 else None
        proxy.commits = 0
        hold.take()
        proxy.mode = "hold"
        iid = e.start_process("desk")
        assert proxy.cut_pid is not None
        assert len(e.instance_summaries()) == 2
        assert proxy.commits == 1  # not sent again
        assert len(server.pauses) > 1  # the store waited for it
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id)
        assert e.instance(iid).state is ProcessState.COMPLETED


def test_a_start_whose_commit_never_reached_the_server_does_not_wait_for_its_first_try(
    server: Server,
) -> None:
    """The connection was cut before the COMMIT reached the server, whose process went on
    waiting for the rest of the batch, in the transaction, holding the new instance's row:
    the start tried again waited behind it (for as long as the server takes to find the
    connection dead: hours). Now the store ends that process, finds the transaction
    aborted, and runs the start once more."""
    proxy = server.proxy
    with Engine(store=SqlStore(proxy.url, retry=server.policy())) as e:
        e.deploy(_desk().build())
        e.start_process("desk")
        proxy.commits = 0
        proxy.mode = "drop"
        iid = e.start_process("desk")
        assert proxy.server_ended.wait(30)  # the process left waiting was ended
        assert proxy.commits == 1  # the retry's
        assert len(e.instance_summaries()) == 2
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id)
        assert e.instance(iid).state is ProcessState.COMPLETED

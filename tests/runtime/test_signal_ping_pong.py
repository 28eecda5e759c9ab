"""Request and response by signals: a client throws ``req`` and then waits for ``resp``; a
server waiting for ``req`` answers ``resp`` at once. The client's catch is waiting by the time
the answer is thrown, between two instances and between two branches of one instance.

(A change that ran the receivers' next step before the thrower's, so that a signal thrown right
after another reached the catch the first one led to, broke this: the answer came before the
client waited for it, and the client waited for ever. It was taken back.)"""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock


def test_a_signal_answered_at_once_reaches_the_thrower_waiting_for_it() -> None:
    with Engine(clock=VirtualClock()) as engine:
        pb = PackageBuilder("pkg")
        server = pb.process("server")
        server.activity("a").intermediate("wait_req", signal="req")
        server.intermediate("answer", signal="resp", throw=True).activity("z")
        server.sequence("a", "wait_req", "answer", "z")
        client = pb.process("client")
        client.activity("a").intermediate("ask", signal="req", throw=True)
        client.intermediate("wait_resp", signal="resp").activity("b")
        client.sequence("a", "ask", "wait_resp", "b")
        engine.deploy(pb.build())
        s = engine.start_process("server")
        c = engine.start_process("client")
        assert engine.instance(s).state is ProcessState.COMPLETED
        assert engine.instance(c).state is ProcessState.COMPLETED
        assert engine.trace(c)[-1] == "b"


def test_branches_of_one_instance_answer_each_other() -> None:
    with Engine(clock=VirtualClock()) as engine:
        pb = PackageBuilder("pkg2")
        p = pb.process("main")
        p.route("s", gateway="Parallel")
        ask = p.intermediate("ask", signal="req", throw=True)
        ask.intermediate("wresp", signal="resp").activity("b")
        p.intermediate("wreq", signal="req").intermediate("answer", signal="resp", throw=True)
        p.activity("a")
        p.sequence("s", "a", "ask", "wresp", "b")
        p.sequence("s", "wreq", "answer")
        engine.deploy(pb.build())
        i = engine.start_process("main")
        assert engine.instance(i).state is ProcessState.COMPLETED
        assert "b" in engine.trace(i)

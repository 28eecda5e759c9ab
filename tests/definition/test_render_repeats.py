"""``render`` marks what runs more than once or apart, BPMN's markers as text: a Standard loop
``↻ loop``, a multi-instance activity ``|||`` (parallel) or ``≡`` (sequential), an
asynchronous subflow, and an event sub-process's set as one (dotted, with its trigger)."""

from __future__ import annotations

from wfengine import PackageBuilder, multi_instance, package_to_dot, standard_loop


def _dot() -> str:
    b = PackageBuilder("ev")
    p = b.process("p")
    p.data_field("n", "INTEGER", initial="0")
    es = p.activity_set("on_cancel", triggered_by_event=True)
    es.start("cs", message="cancel").activity("undo").end("ce").sequence("cs", "undo", "ce")
    plain = p.activity_set("steps")
    plain.start("ps").end("pe").sequence("ps", "pe")
    p.start("s")
    p.activity("review", loop=standard_loop("n < 3", maximum=5))
    p.activity("sign", loop=multi_instance("3"))
    p.activity("file", loop=multi_instance("2", ordering="Sequential"))
    p.subflow("notify", process="p", execution="ASYNCHR")
    p.block("handler", activity_set="on_cancel").block("run", activity_set="steps").end("e")
    p.sequence("s", "review", "sign", "file", "notify", "run", "e")
    return package_to_dot(b.build(), "p")


def _label(dot: str, node: str) -> str:
    line = next(x for x in dot.splitlines() if x.strip().startswith(f'"{node}" ['))
    return line.split('label="', 1)[1].split('"', 1)[0]


def test_loops_and_multi_instances_carry_their_marker() -> None:
    dot = _dot()
    assert _label(dot, "review").endswith("\\n\u21bb loop")
    assert _label(dot, "sign").endswith("\\n||| parallel")
    assert _label(dot, "file").endswith("\\n\u2261 sequential")
    assert _label(dot, "notify").endswith("\\nasynchronous")
    assert "loop" not in _label(dot, "s") and "|||" not in _label(dot, "run")


def test_an_event_subprocess_set_is_drawn_as_one() -> None:
    dot = _dot()
    assert 'graph [label="event sub-process\\non_cancel (Message)", style="dotted"];' in dot
    assert 'graph [label="activity set steps", style="dashed"];' in dot

"""A message or signal name spelt decomposed (``a`` and a separate combining mark, as macOS
writes it) where the definitions spell it composed, or the other way round, is refused saying
what to write. Before, it matched nothing: ``send_message`` said the process "catches:
Bestätigung" (the very name, to the eye), ``broadcast_signal`` returned 0 and
``start_by_message`` found no start event."""

from __future__ import annotations

import unicodedata

import pytest

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.definition.model import Package
from wfengine.errors import NotFoundError

COMPOSED = "Bestätigung"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)
WRITE_COMPOSED = r"write it composed \(Unicode NFC\), as they do"


def _package(name: str) -> Package:
    """``main`` waits for message ``name``, then signal ``name``; ``starter`` is started by
    message ``name`` + ``!``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").intermediate("m", message=name).intermediate("g", signal=name).end("e")
    p.sequence("s", "m", "g", "e")
    q = pb.process("starter")
    q.start("s", message=f"{name}!").end("e").sequence("s", "e")
    return pb.build()


def test_a_decomposed_message_is_refused_saying_what_to_write(engine: Engine) -> None:
    engine.deploy(_package(COMPOSED))
    iid = engine.start_process("main")
    with pytest.raises(NotFoundError, match=WRITE_COMPOSED) as raised:
        engine.send_message(DECOMPOSED, instance_id=iid)
    assert r"spelt 'Besta\u0308tigung', the definitions spell it 'Best\xe4tigung'" in str(
        raised.value
    )
    assert engine.send_message(COMPOSED, instance_id=iid) is True


def test_a_decomposed_signal_is_refused_not_lost(engine: Engine) -> None:
    engine.deploy(_package(COMPOSED))
    iid = engine.start_process("main")
    engine.send_message(COMPOSED, instance_id=iid)
    with pytest.raises(NotFoundError, match=WRITE_COMPOSED):
        engine.broadcast_signal(DECOMPOSED)
    assert engine.instance(iid).state is ProcessState.RUNNING  # still waiting for it
    assert engine.broadcast_signal(COMPOSED) == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_decomposed_start_message_is_refused_saying_what_to_write(engine: Engine) -> None:
    engine.deploy(_package(COMPOSED))
    with pytest.raises(NotFoundError, match=WRITE_COMPOSED):
        engine.start_by_message(f"{DECOMPOSED}!")
    assert engine.instance(engine.start_by_message(f"{COMPOSED}!")).process_id == "starter"


def test_definitions_spelling_it_decomposed_are_matched_as_spelt(engine: Engine) -> None:
    """A definition that spells it decomposed runs as before with that spelling; the
    composed one is refused saying to write it decomposed."""
    engine.deploy(_package(DECOMPOSED))
    iid = engine.start_process("main")
    decomposed = r"write it decomposed \(Unicode NFD\), as they do"
    with pytest.raises(NotFoundError, match=decomposed):
        engine.send_message(COMPOSED, instance_id=iid)
    assert engine.send_message(DECOMPOSED, instance_id=iid) is True
    with pytest.raises(NotFoundError, match=decomposed):
        engine.broadcast_signal(COMPOSED)
    assert engine.broadcast_signal(DECOMPOSED) == 1


def test_a_signal_nobody_takes_in_any_spelling_is_still_lost(engine: Engine) -> None:
    engine.deploy(_package(COMPOSED))
    assert engine.broadcast_signal("Zurückweisung") == 0
    assert engine.broadcast_signal(unicodedata.normalize("NFD", "Zurückweisung")) == 0

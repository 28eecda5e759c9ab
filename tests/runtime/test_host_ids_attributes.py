"""A host's id generator (Engine(ids=...)) is wrapped so each id is checked; the host's code
that read or set its generator's own attributes through ``engine.ids`` (a counter, say) got
``AttributeError: 'CheckedIds' object has no attribute 'n'``. The wrapper passes them on."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder


class CaseNumbers:
    def __init__(self) -> None:
        self.n = 0

    def new(self, kind: str) -> str:
        self.n += 1
        return f"{kind}-{self.n}"

    def issued(self) -> int:
        return self.n


def test_engine_ids_reads_and_sets_the_host_generators_attributes() -> None:
    mine = CaseNumbers()
    with Engine(ids=mine) as engine:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        engine.deploy(pb.build())
        engine.start_process("ticket")
        assert engine.ids.n == mine.n > 0
        assert engine.ids.issued() == mine.n
        engine.ids.n = 100
        assert mine.n == 100
        assert engine.start_process("ticket") == "pi-101"

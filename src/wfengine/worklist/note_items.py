"""The work items whose notes a reader may read: those they may see, and those the items
they may see replaced.

A re-offer (a new organisation, four eyes) withdraws an item and offers the work again as
a new one (:mod:`wfengine.runtime.work_item_chains`): the customer's phone call commented
on ``wi-1`` is about the work ``wi-2`` carries on. So a note on an item is read by whoever
may see it or an item that replaced it, and listing one item's notes lists those on the
items it replaced too. Nothing is copied or moved: the notes stay on the item they were
left on, and reading follows the chain. Kept beside :mod:`wfengine.worklist.notes`, which
asks it, as that module holds the notes' storage and commands.
"""

from __future__ import annotations

from dataclasses import dataclass

from wfengine.runtime.engine import Engine
from wfengine.runtime.snapshots import WorkItemSnapshot
from wfengine.runtime.work_item_chains import Chains, read_chains
from wfengine.worklist.worklists import may_see


@dataclass(frozen=True, slots=True)
class InstanceItems:
    """Every work item of an instance, open or closed, and their chains."""

    items: list[WorkItemSnapshot]
    chains: Chains

    def visible(self, engine: Engine, user: str) -> set[str]:
        """The ids of the items whose notes ``user`` may read: those they may see, and
        those an item they may see replaced."""
        seen = {item.id for item in self.items if may_see(engine, item, user)}
        replaced = self.chains.replaced_by
        return seen | {
            old for old in replaced if any(new in seen for new in self.chains.successors(old))
        }


def items_of(engine: Engine, instance_id: str) -> InstanceItems:
    """Every work item of the instance (read from its offers in the audit) and their
    chains, from one read of its trail."""
    trail = engine.audit(instance_id)
    found = [
        engine.work_item(event.work_item_id or event.detail)
        for event in trail
        if event.kind == "work_item.offered"
    ]
    return InstanceItems(found, read_chains(trail))


def seen_through_chain(engine: Engine, item: WorkItemSnapshot, user: str) -> bool:
    """Whether ``user`` may read the notes on ``item``: they may see it, or an item that
    replaced it (its trail read only when they may not see it)."""
    if may_see(engine, item, user):
        return True
    chains = chains_of(engine, item.instance_id)
    return any(may_see(engine, engine.work_item(new), user) for new in chains.successors(item.id))


def chains_of(engine: Engine, instance_id: str) -> Chains:
    """The chains of the instance's work items, from its trail."""
    return read_chains(engine.audit(instance_id))


def replaced(chains: Chains, work_item_id: str) -> set[str]:
    """The items ``work_item_id`` replaced (the one before it, the one before that...)."""
    return {old for old in chains.replaced_by if work_item_id in chains.successors(old)}

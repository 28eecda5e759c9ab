"""The loop counters an activity instance reads as its own: each instance of a
multi-instance activity sees its index in the activity's counter field.

Why a layer and not the field: the instances of a parallel multi-instance activity are all
spawned before any of them goes on (a block's activities, a person's work, the applications
after it, the ways its thread takes), and they share one data field. Writing the field as
each instance starts left every instance reading the last index. So the field keeps what it
was given as the last instance started (as a Standard loop's keeps its last count), and
whatever belongs to an instance reads its own index over it: its expressions (the
navigator's), its work item's data (``Queries.work_item_data``), the activities of the block
instance it runs (an activity set within it), innermost first.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, MutableMapping
from typing import Any

from wfengine.runtime.instance import ActivityInstance


def counter_layer(ai: ActivityInstance) -> dict[str, int] | None:
    """``{counter field: index}`` of every multi-instance instance ``ai`` belongs to (itself,
    or the instance whose block it runs in, outward; an inner counter of the same field wins),
    None when there is none (the common case: two attribute reads per level)."""
    layer: dict[str, int] | None = None
    node: ActivityInstance | None = ai
    while node is not None:
        index = node.mi_index
        if index is not None:
            loop = node.act.loop
            counter = loop.counter if loop is not None else None
            if counter:
                if layer is None:
                    layer = {counter: index}
                elif counter not in layer:
                    layer[counter] = index
        node = node.scope.owner
    return layer


def own_variables(
    ai: ActivityInstance, data: MutableMapping[str, Any], extra: Mapping[str, Any] | None = None
) -> MutableMapping[str, Any]:
    """What ``ai``'s expressions read: ``extra`` (values staged by its applications or
    script, a condition's counts) over its loop counters (:func:`counter_layer`) over
    ``data``, the instance's data itself when there is neither."""
    if ai.mi_index is None and ai.scope.owner is None:  # (most: no counter, no walk)
        return data if extra is None else ChainMap(dict(extra), data)
    layer = counter_layer(ai)
    if layer is None:
        return data if extra is None else ChainMap(dict(extra), data)
    if extra is None:
        return ChainMap(layer, data)
    return ChainMap(dict(extra), layer, data)

"""The one check that what a host handed over as ``engine`` is a :class:`Engine`.

The layers above the runtime (Interface 2's sessions, Interface 5's status views) take an engine
from the host; given ``None``, a database URL or a store instead, their first use used to fail with
a bare ``AttributeError`` far from the call. They share this check so the refusal reads alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wfengine.runtime.host_arguments import described

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine


def check_engine(engine: object, where: str) -> Engine:
    """Return ``engine`` when it is an :class:`Engine`; else raise a ``TypeError`` naming
    ``where`` (the public call) and what was given instead. (The engine module is imported here,
    not above, so that importing a status view does not import the whole runtime.)"""
    from wfengine.runtime.engine import Engine

    if not isinstance(engine, Engine):
        raise TypeError(
            f"{where}: engine must be a wfengine.Engine (Engine(db_url=...) opens one on a "
            f"database), not {described(engine)}"
        )
    return engine

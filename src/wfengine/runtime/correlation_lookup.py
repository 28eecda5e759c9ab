"""How :meth:`~wfengine.runtime.engine.Engine.correlated_instance` reads the keys it is given,
against every stored version of every deployed process (``every``: an instance runs the
version it started on, whose keys and their types may differ from the latest's), and how its
errors show them.

Why a module of its own: the engine's activity commands (:mod:`wfengine.runtime.
activity_commands`) keep the lookup itself; what it reads of the versions is worked out here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wfengine.applications.redaction import REDACTED
from wfengine.errors import DataTypeError, NotFoundError
from wfengine.runtime.deployment import DeployedProcess


def known_correlation_keys(
    every: Sequence[DeployedProcess], keys: Mapping[str, Any], message: str | None, what: str
) -> None:
    """Refuse a key that no process version correlates by (those catching ``message``
    when it is given, else any), naming it and the keys there are: a
    :class:`~wfengine.errors.NotFoundError`, as the failed lookup was, so a host catching
    that still does. Why: the lookup could never match, and "no open process instance"
    read as if the case were closed (the CLI refused the key already; now every host
    hears why). When nothing catches ``message``, the send says so instead."""
    if message is None and all(
        any(key in d.compiled.correlation_keys for d in every) for key in keys
    ):
        return  # (a key some process correlates by: told without reading any catches)
    allowed: set[str] = set()
    looked = False
    for deployed in every:
        compiled = deployed.compiled
        if message is None or message in compiled.messages_caught():
            looked = True
            allowed.update(compiled.correlation_keys)
    unknown = [key for key in keys if key not in allowed]
    if looked and unknown:
        known = ", ".join(sorted(allowed)) or "none: send it to an instance_id"
        whose = "the processes that catch it" if message is not None else "any process"
        raise NotFoundError(
            "correlation key",
            ", ".join(unknown),
            f"for {what}; {whose} correlate by (wfengine:correlation): {known}; "
            "nothing was changed",
        )


def correlation_readings(
    every: Sequence[DeployedProcess], keys: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], DataTypeError | None]:
    """``keys`` as each deployed process version correlated by them reads them (by the
    key fields' declared types; a version that cannot read a value holds no instance it
    matches); as given when none declares them. Every stored version, not the latest
    alone: an instance runs the version it started on, whose key may be typed otherwise
    (a STRING ``phone`` holding ``"0123"`` that a later version made an INTEGER) or that
    a later version no longer correlates by at all. With them, when no version
    correlated by them can read the values (``"abc"`` for an INTEGER key), the first
    version's refusal, which names the key and its type: the failed lookup says why
    (before, "no open process instance" alone read as if the case were closed)."""
    readings: list[dict[str, Any]] = []
    seen: set[tuple[tuple[str, str, str], ...]] = set()
    refused: DataTypeError | None = None
    for deployed in every:
        if not set(keys) <= set(deployed.compiled.correlation_keys):
            continue
        where = f"process {deployed.process_id!r} v{deployed.version}"
        try:
            reading = dict(deployed.compiled.checked(keys, where, writing=False))
        except DataTypeError as exc:
            refused = refused or exc
            continue
        shape = tuple(sorted((k, type(v).__name__, repr(v)) for k, v in reading.items()))
        if shape not in seen:
            seen.add(shape)
            readings.append(reading)
    if readings:
        return readings, None
    return [dict(keys)], refused


def shown_keys(every: Sequence[DeployedProcess], keys: Mapping[str, Any]) -> str:
    """``keys`` as an error shows them (``ref='A-17', pin=***``): the value of a key that a
    version correlated by it marks ``wfengine:sensitive`` as ``***``, as the engine's
    type error for it (and the audit trail) does. Why: a failed lookup named a PIN in
    clear, in an error a host logs; shown as ``***`` by mistake it loses nothing."""
    secret = {
        key
        for deployed in every
        for key in keys
        if key in deployed.compiled.correlation_keys and key in deployed.compiled.sensitive_fields
    }
    return ", ".join(f"{k}={REDACTED if k in secret else repr(v)}" for k, v in keys.items())


__all__ = ["correlation_readings", "known_correlation_keys", "shown_keys"]

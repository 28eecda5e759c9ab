"""The organisation of the re-offer tests: clerks in a sales unit whose supervisor is carol."""

from __future__ import annotations

from wfengine import Organisation


def sales_org(*clerks: str) -> Organisation:
    """``clerks`` (role ``clerk``, unit ``sales``) and carol, the unit's supervisor."""
    return Organisation.from_data(
        {
            "users": [{"id": c, "roles": ["clerk"], "units": ["sales"]} for c in clerks]
            + [{"id": "carol"}],
            "units": [{"id": "sales", "supervisor": "carol"}],
        }
    )

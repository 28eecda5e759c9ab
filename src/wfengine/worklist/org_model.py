"""The organisation file: who the users are, which roles they have, which units they belong to.

The shape ``wfengine org load FILE`` reads (YAML or JSON)::

    {"users": [{"id": "alice", "name": "Alice", "email": "alice@example.com",
                "phone": "+15550100", "roles": ["clerk"], "units": ["sales"]}],
     "units": [{"id": "sales", "name": "Sales", "supervisor": "carol", "parent": "company"}],
     "roles": [{"id": "clerk", "name": "Clerk"}],
     "admins": ["root"]}

Only ``users`` is required. A role named by a user needs no entry in ``roles`` (the entry
gives it a Name, which XPDL participants may match); a unit named by a user, a supervisor or a
parent must be listed in ``units``, so a typo is an error rather than a new unit. Unknown keys
are refused for the same reason. Ids are compared exactly (case matters). An id has 1 to 200
characters (the store's id columns); no id or text holds a NUL character (PostgreSQL's text
refuses it): the file is refused naming the place before anything is written, on every store.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

#: the most characters an id may have (the SQL id columns are 200 characters)
MAX_ID_CHARS = 200
#: the most problems a refused file's message names, and units a parent cycle's: one mistake
#: repeated over a big file (20,000 users in a unit not listed) made a message of megabytes
#: on one line, the first problems lost in it
MAX_SHOWN = 20


def _storable(text: str) -> str:
    """``text``, when every store keeps it as it is: PostgreSQL's text refuses NUL, which
    SQLite keeps, so the file is checked for it before anything is written and a load
    behaves the same on every store (pydantic already refuses a lone surrogate)."""
    at = text.find("\x00")
    if at >= 0:
        raise ValueError(f"holds a NUL character (at character {at + 1}), which no store keeps")
    return text


#: a user's, role's or unit's id, wherever the file names one
_Id = Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS), AfterValidator(_storable)]
#: a name, an e-mail address, a phone number (stored as text of any length)
_Text = Annotated[str, AfterValidator(_storable)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class OrgUser(_Strict):
    """A person who may be offered work."""

    id: _Id
    name: _Text | None = None
    email: _Text | None = None
    #: for text messages (the SMS notifier)
    phone: _Text | None = None
    roles: tuple[_Id, ...] = ()
    units: tuple[_Id, ...] = ()


class OrgUnit(_Strict):
    """An organisational unit (a department, a team): its supervisor may reassign the work
    of its members, and of the members of the units below it."""

    id: _Id
    name: _Text | None = None
    supervisor: _Id | None = None
    parent: _Id | None = None


class OrgRole(_Strict):
    """A role, listed only to give it a Name."""

    id: _Id
    name: _Text | None = None


class OrgDocument(_Strict):
    """A whole organisation, checked for consistency (see the module notes)."""

    users: tuple[OrgUser, ...]
    units: tuple[OrgUnit, ...] = ()
    roles: tuple[OrgRole, ...] = ()
    admins: tuple[_Id, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems: list[str] = []
        if not self.users:
            # stored, it would read as no organisation: work offered to participant ids again
            problems.append("users: lists nobody (an organisation needs at least one user)")
        users = _unique("users", [u.id for u in self.users], problems)
        units = _unique("units", [u.id for u in self.units], problems)
        _unique("roles", [r.id for r in self.roles], problems)
        for i, user in enumerate(self.users):
            _unique(f"users[{i}].roles", list(user.roles), problems)
            _unique(f"users[{i}].units", list(user.units), problems)
            for unit_id in user.units:
                if unit_id not in units:
                    problems.append(
                        f"users[{i}] ({user.id!r}) belongs to the unit {unit_id!r}, "
                        "which units does not list"
                    )
        for i, unit in enumerate(self.units):
            if unit.supervisor is not None and unit.supervisor not in users:
                problems.append(
                    f"units[{i}] ({unit.id!r}) has the supervisor {unit.supervisor!r}, "
                    "who is not among the users"
                )
            if unit.parent is not None and unit.parent not in units:
                problems.append(
                    f"units[{i}] ({unit.id!r}) has the parent {unit.parent!r}, "
                    "which units does not list"
                )
        _unique("admins", list(self.admins), problems)
        for i, admin in enumerate(self.admins):
            if admin not in users:
                problems.append(f"admins[{i}] ({admin!r}) is not among the users")
        cycle = _parent_cycle(self.units)
        if cycle:
            problems.append("units are their own parents: " + _cycle_text(cycle))
        if problems:
            raise ValueError(_problems_text(problems))
        return self


def _unique(what: str, ids: list[str], problems: list[str]) -> set[str]:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            problems.append(f"{what}[{i}]: the id {item!r} is listed twice")
        seen.add(item)
    return seen


def _problems_text(problems: list[str]) -> str:
    """The first :data:`MAX_SHOWN` problems, and how many more there are."""
    text = "; ".join(problems[:MAX_SHOWN])
    more = len(problems) - MAX_SHOWN
    if more > 0:
        text += f"; and {more:,} more problem{'s' if more > 1 else ''} (fix these and load again)"
    return text


def _cycle_text(cycle: list[str]) -> str:
    """``a -> b -> a``; a cycle of more than :data:`MAX_SHOWN` units names its first ones."""
    if len(cycle) <= MAX_SHOWN + 1:  # (its first unit ends it again)
        return " -> ".join(cycle)
    shown = " -> ".join(cycle[:MAX_SHOWN])
    return f"{shown} -> ... -> {cycle[0]} (a cycle of {len(cycle) - 1:,} units)"


def _parent_cycle(units: tuple[OrgUnit, ...]) -> list[str]:
    """The first cycle of parents met (in the order units are listed), from the unit where
    its walk entered it back to that unit; empty when there is none.

    Each unit is walked through once: a walk that reaches a unit an earlier walk went
    through stops there (no cycle lies beyond it, or that walk would have found it). Why:
    walking every unit's chain of parents to its top, checking each step against a list of
    the chain so far, cost the cube of the hierarchy's depth (a chain of 1,500 units took
    46 seconds to load)."""
    parent = {u.id: u.parent for u in units}
    done: set[str] = set()
    for start in parent:
        path: dict[str, int] = {}  # unit -> its place in the walk (dicts keep the order)
        current: str | None = start
        while current is not None and current not in done:
            if current in path:
                walked = list(path)
                return [*walked[path[current] :], current]
            path[current] = len(path)
            current = parent.get(current)
        done.update(path)
    return []

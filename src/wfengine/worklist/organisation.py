"""An organisation as the engine asks it: who performs a participant, who supervises whom.

:class:`Organisation` is built from an :class:`~wfengine.worklist.org_model.OrgDocument` (read
from a file by :mod:`~wfengine.worklist.org_files`, or from a database by
:mod:`~wfengine.worklist.org_store`) and is the engine's directory
(``Engine(directory=organisation)``). How a performer is resolved, first rule that matches:

1. its Id is a role's or a unit's id: that role's members, or the unit's members and those of
   the units below it (a role and a unit of the same id: both);
2. its Id is a user's id (a HUMAN participant, or a performer naming a person): that user;
3. no Id matched and the declared participant's Name is a role's or unit's id, else a role's or
   unit's name: as in rule 1 (a name several roles or units have: all of them);
4. no Id matched, and the text is a performer expression's value no participant declares
   (computed at run time, ``"Sales EMEA"``: the engine asks :meth:`Organisation.members_of_value`
   for it): the text as a role's or unit's name, as in rule 3. Why: such a value has no
   declaration whose Name could be matched, and a unit's name in it reached nobody, though
   the README says the value names the role, unit or user. Why only then: a Performer
   written in the definition (or an escalation's participant) that no participant declares
   is read by id only, as before: a typo in it is offered to nobody, not to whichever role
   or unit happens to be called so;
5. nothing matched: nobody. The work item is offered to no one and waits for an administrator
   to reassign it (a typo in a definition shows up as such items, not as work offered to a
   user who does not exist).

Members come in the order of the file's ``users``. The object is immutable: loading another
organisation makes a new one.
"""

from __future__ import annotations

from collections.abc import Iterable

from wfengine.definition.model import Participant
from wfengine.worklist.org_model import OrgDocument, OrgRole, OrgUnit, OrgUser


class Organisation:
    """Users, roles and units, with the look-ups the engine and the worklist make."""

    def __init__(self, document: OrgDocument) -> None:
        self.document = document
        self._users = {u.id: u for u in document.users}
        self._units = {u.id: u for u in document.units}
        self._admins = frozenset(document.admins)
        role_members: dict[str, list[str]] = {}
        direct: dict[str, list[str]] = {}
        for user in document.users:
            for role_id in user.roles:
                role_members.setdefault(role_id, []).append(user.id)
            for unit_id in user.units:
                direct.setdefault(unit_id, []).append(user.id)
        for role in document.roles:
            role_members.setdefault(role.id, [])
        #: each user's place in the file, by which members are ordered
        self._position = {u.id: i for i, u in enumerate(document.users)}
        # (in the file's order already, each once: a look-up hands the tuple out as it is)
        self._roles = {r: tuple(dict.fromkeys(m)) for r, m in role_members.items()}
        self._unit_members = self._members_below(direct)
        names: dict[str, list[str]] = {}
        groups: list[OrgRole | OrgUnit] = [*document.roles, *document.units]
        for group in groups:
            if group.name:
                names.setdefault(group.name, []).append(group.id)
        self._by_name = names

    @classmethod
    def from_data(cls, data: object) -> Organisation:
        """From plain data of the file's shape; raises pydantic's ``ValidationError``."""
        return cls(OrgDocument.model_validate(data))

    # -- the directory protocol ------------------------------------------------------------

    def members(
        self, participant_id: str, participant: Participant | None = None
    ) -> tuple[str, ...]:
        """The users who may perform ``participant_id`` (see the module notes)."""
        found = self._group(participant_id)
        if found is not None:
            return found
        if participant_id in self._users:
            return (participant_id,)
        name = participant.name if participant is not None else None
        if not name:
            return ()
        found = self._group(name)
        return found if found is not None else self._named(name)

    def members_of_value(self, value: str) -> tuple[str, ...]:
        """The users a performer expression's ``value`` names when no participant declares
        it: by id, as :meth:`members`, else the members of every role and unit called so
        (rule 4 of the module notes; the engine asks this rather than :meth:`members` for
        such a value, :class:`~wfengine.runtime.navigation.people.RunTimeValues`). A role or
        unit of that id with no members yet matched: it reaches nobody (an incident), not a
        group that happens to be named so."""
        found = self._group(value)
        if found is not None:
            return found
        if value in self._users:
            return (value,)
        return self._named(value)

    # -- look-ups ----------------------------------------------------------------------------

    def user(self, user_id: str) -> OrgUser | None:
        return self._users.get(user_id)

    @property
    def users(self) -> tuple[OrgUser, ...]:
        return self.document.users

    def unit(self, unit_id: str) -> OrgUnit | None:
        return self._units.get(unit_id)

    def role_members(self, role_id: str) -> tuple[str, ...]:
        return self._roles.get(role_id, ())

    def units_above(self, unit_id: str) -> list[OrgUnit]:
        """The unit and its ancestors, nearest first (none for a unit it does not know; the
        document has no parent cycles)."""
        chain: list[OrgUnit] = []
        unit = self._units.get(unit_id)
        while unit is not None:
            chain.append(unit)
            unit = self._units.get(unit.parent) if unit.parent is not None else None
        return chain

    def unit_members(self, unit_id: str) -> tuple[str, ...]:
        """The unit's members and those of every unit below it."""
        return self._unit_members.get(unit_id, ())

    def knows(self, user_id: str) -> bool:
        return user_id in self._users

    def is_admin(self, user_id: str) -> bool:
        return user_id in self._admins

    def supervisors_of(self, user_id: str) -> tuple[str, ...]:
        """Who supervises ``user_id``: the supervisors of the user's units and of the units
        above them, nearest first (each unit's own supervisor, then its parent's, ...; with
        several units, every unit's nearest before any next one), each once; a user never
        supervises themself. Nearest first, not in the file's order: the engine offers late
        work and ``MANAGER_OF_PREVIOUS`` work to the nearest of them, and a reader of the
        list expects the line manager first, not the chief executive listed first among the
        users. By level: :meth:`supervisor_levels`."""
        return tuple(s for level in self.supervisor_levels(user_id) for s in level)

    def supervisor_levels(self, user_id: str) -> list[tuple[str, ...]]:
        """``user_id``'s supervisors by level, nearest first: the supervisors of the user's
        units, then those of the units above them, and so on (a unit without a supervisor,
        or with the one below it, adds no level); each supervisor once, at the nearest level.

        Why the engine asks (:class:`~wfengine.runtime.directory.SupervisorLevels`): it
        offers late work and ``MANAGER_OF_PREVIOUS`` work to the nearest level, and could
        otherwise tell the levels apart only by who supervises each supervisor, which for
        supervisors who belong to no unit (the file allows it) is no one: everyone up to
        the top was then the nearest."""
        user = self._users.get(user_id)
        if user is None:
            return []
        chains = [
            list(
                dict.fromkeys(
                    u.supervisor
                    for u in self.units_above(unit_id)
                    if u.supervisor and u.supervisor != user_id
                )
            )
            for unit_id in user.units
        ]
        levels: list[tuple[str, ...]] = []
        seen: set[str] = set()
        for depth in range(max(map(len, chains), default=0)):
            level = tuple(
                dict.fromkeys(c[depth] for c in chains if depth < len(c) and c[depth] not in seen)
            )
            if level:
                levels.append(level)
                seen.update(level)
        return levels

    def supervises(self, supervisor: str, user_id: str) -> bool:
        return supervisor in self.supervisors_of(user_id)

    # -- helpers ---------------------------------------------------------------------------

    def _group(self, key: str) -> tuple[str, ...] | None:
        """The members of the role and the unit ``key`` (None: it is neither). One of them
        is its stored tuple, ordered already: sorting it again made a look-up of a unit of
        10,000 users cost 5 ms, not microseconds."""
        in_role = self._roles.get(key)
        in_unit = self._unit_members.get(key)
        if in_role is None:
            return in_unit
        if in_unit is None:
            return in_role
        return self._ordered([*in_role, *in_unit])

    def _named(self, name: str) -> tuple[str, ...]:
        """The members of every role and unit called ``name`` (none: nobody); the one role
        or unit so called: its members as :meth:`_group` has them, not sorted again."""
        ids = self._by_name.get(name, ())
        if len(ids) == 1:
            return self._group(ids[0]) or ()
        return self._ordered(m for i in ids for m in self._group(i) or ())

    def _members_below(self, direct: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        """Each unit's members and those of the units below it, from ``direct`` (each unit's
        own members), in the order of the file's users.

        Built bottom-up, each unit from its own members and its children's finished tuples,
        so a unit is visited once rather than once for every unit above it (a chain of 1,500
        units took 1.7 s before). Iterative, not recursive: a chain deeper than Python's
        recursion limit loads too."""
        children: dict[str, list[str]] = {}
        roots: list[str] = []
        for unit in self.document.units:
            if unit.parent is not None and unit.parent in self._units:
                children.setdefault(unit.parent, []).append(unit.id)
            else:
                roots.append(unit.id)
        found: dict[str, tuple[str, ...]] = {}
        for unit_id in reversed(_top_down(roots, children)):
            members = set(direct.get(unit_id, ()))
            for child in children.get(unit_id, ()):
                members.update(found[child])
            found[unit_id] = self._ordered(members)
        # in the file's order of units, as before (a unit on a parent cycle, which only an
        # unchecked document has, is below no root: it has no entry, as an unknown unit)
        return {key: found[key] for key in self._units if key in found}

    def _ordered(self, user_ids: Iterable[str]) -> tuple[str, ...]:
        """Without repeats, in the order of the file's users (ids of no user dropped). Sorted
        by each user's place, not by a scan of every user: a look-up costs its members, not
        the organisation's size."""
        position = self._position
        return tuple(sorted({u for u in user_ids if u in position}, key=position.__getitem__))


def _top_down(roots: list[str], children: dict[str, list[str]]) -> list[str]:
    """Every unit reachable from ``roots``, each after the units above it (so, reversed, each
    after every unit below it). With a stack, not recursion, for chains of any depth."""
    found: list[str] = []
    todo = list(roots)
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, ()))
    return found

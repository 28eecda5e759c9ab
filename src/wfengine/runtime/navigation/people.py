"""Who a person's work goes to: the directory's members of an activity's performers, the
assignment rules over them, and the people a late item escalates to.

Why apart from :mod:`.work`: these are the questions the engine puts to the host's directory,
and each answer is checked here (:func:`~wfengine.runtime.directory.checked_members`): text,
numbers or lists where user ids belong are a
:class:`~wfengine.runtime.directory.DirectoryError` naming the directory and the participant,
which the offer turns into an incident, rather than work offered letter by letter or to ids
nobody can claim. Supervisors come from the directory's optional ``supervisors_of``
(:class:`~wfengine.runtime.directory.Supervisors`), by level from its optional
``supervisor_levels`` (:class:`~wfengine.runtime.directory.SupervisorLevels`) when it has one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Protocol, runtime_checkable

from wfengine.definition.model import Participant
from wfengine.runtime.compiled import CAssignment
from wfengine.runtime.directory import (
    DirectoryError,
    SupervisorLevels,
    Supervisors,
    answering,
    answers,
    asked,
    checked_members,
    directory_failed,
    directory_name,
)
from wfengine.runtime.host_arguments import described
from wfengine.runtime.instance import (
    ActivityInstance,
    ProcessInstance,
    WorkItem,
)
from wfengine.runtime.navigation.base import NavigatorBase, _Failure
from wfengine.runtime.performed import performer_in, previous_performer
from wfengine.runtime.stored_text import user_id_problem
from wfengine.runtime.work_rules import (
    excluded_performers,
    nobody_left,
    responsible,
    supervision_of,
)


@runtime_checkable
class RunTimeValues(Protocol):
    """What a directory may also answer (optional): who a performer expression's value
    names when no participant declares it. Why apart from ``members``: such a text was
    computed at run time, so it may be a role's or unit's display name (``"Sales EMEA"``)
    where a Performer written in the definition is an id, and reading the latter by name
    too offered a typo to whichever unit was called so.
    :class:`~wfengine.worklist.organisation.Organisation` answers it; a directory without it
    is asked ``members(value, None)``."""

    def members_of_value(self, value: str) -> Iterable[str]: ...


def supervisors_of(directory: object) -> Supervisors | None:
    """``directory`` as a :class:`~wfengine.runtime.directory.Supervisors` when it is one
    (decided once per directory class, :func:`~wfengine.runtime.directory.answers`)."""
    return directory if answers(directory, Supervisors) else None  # type: ignore[return-value]


class People(NavigatorBase):
    """Who a person's work goes to (see the module notes)."""

    def _members_of(self, participant_id: str, declared: Participant | None) -> tuple[str, ...]:
        """The members the directory says ``participant_id`` has, checked."""
        directory = self.ctx.directory
        try:
            found = directory.members(participant_id, declared)
        except Exception as exc:  # (named here: an escalation job's incident said only why)
            raise directory_failed(directory, f"members({participant_id!r})", exc) from exc
        return checked_members(directory, participant_id, found)

    def _value_members(self, value: str) -> tuple[str, ...]:
        """The members the directory says a performer expression's ``value`` that no
        participant declares has, checked: by :class:`RunTimeValues` when it answers it."""
        directory = answering(self.ctx.directory)
        if not answers(directory, RunTimeValues):
            return self._members_of(value, None)
        try:
            found = directory.members_of_value(value)  # type: ignore[attr-defined]
        except Exception as exc:
            raise directory_failed(directory, f"members_of_value({value!r})", exc) from exc
        return checked_members(directory, value, found)

    def _supervisors(self, user: str) -> tuple[str, ...] | None:
        """The supervisors the directory says ``user`` has, checked; None when the directory
        cannot say who supervises whom (it has no ``supervisors_of``)."""
        directory = supervisors_of(self.ctx.directory)
        if directory is None:
            return None
        try:
            found = directory.supervisors_of(user)
        except Exception as exc:
            raise directory_failed(directory, f"supervisors_of({user!r})", exc) from exc
        return checked_members(directory, f"supervisors of {user}", found)

    def _supervisor_levels(self, user: str) -> list[tuple[str, ...]]:
        """``user``'s supervisors by level, nearest first: the directory's own levels when it
        answers ``supervisor_levels``; else first those none of the others is below (a line
        manager), then those only the first level is below, and so on; empty when they have
        none (or the directory cannot say who supervises whom).

        Why levels: late work and ``MANAGER_OF_PREVIOUS`` work go to the nearest supervisors
        (a level further up only when none of them may have it), not to everyone up to the
        top. The directory's ``supervisors_of`` may answer only the nearest, or the whole
        chain; which of them is above which is asked of it too (who supervises each), so
        either reads the same. When that tells nothing (supervisors who belong to no unit
        have no supervisors themselves) the answer, nearest first, is read as a chain: all
        of them one level was everyone up to the top."""
        found = self._supervisors(user)
        if not found:
            return []
        directory = self.ctx.directory
        if answers(directory, SupervisorLevels):
            return self._directory_levels(directory, user)  # type: ignore[arg-type]
        above = {s: set(self._supervisors(s) or ()) for s in found}
        levels: list[tuple[str, ...]] = []
        left = [s for s in dict.fromkeys(found) if s != user]
        if len(left) > 1 and not any(above[s] for s in left):
            return [(s,) for s in left]  # (nothing says which is above which: a chain)
        while left:
            level = [s for s in left if not any(s in above[t] for t in left if t != s)]
            if not level:  # (they supervise each other: one level)
                level = left
            levels.append(tuple(level))
            left = [s for s in left if s not in level]
        return levels

    def _directory_levels(self, directory: SupervisorLevels, user: str) -> list[tuple[str, ...]]:
        """What ``directory`` answers as ``user``'s supervisor levels, checked (each level's
        users as a participant's members are): each user once, at the nearest level they
        are in, never ``user``; a level left empty is dropped."""
        try:
            found = directory.supervisor_levels(user)
        except Exception as exc:
            raise directory_failed(directory, f"supervisor_levels({user!r})", exc) from exc
        if isinstance(found, str | bytes | Mapping) or not isinstance(found, Iterable):
            raise DirectoryError(
                f"asked for the supervisor levels of {user!r}, the directory "
                f"{directory_name(directory)} answered {type(found).__name__} "
                f"{found!r:.80}, not a list of levels (each a collection of user ids)"
            )
        try:
            answered = list(found)  # (a generator runs the directory's code here)
        except Exception as exc:
            raise directory_failed(directory, f"supervisor_levels({user!r})", exc) from exc
        seen = {user}
        levels: list[tuple[str, ...]] = []
        for level in answered:
            users = checked_members(directory, f"a supervisor level of {user}", level)
            kept = tuple(u for u in dict.fromkeys(users) if u not in seen)
            if kept:
                levels.append(kept)
                seen.update(kept)
        return levels

    def _offer_to(self, ai: ActivityInstance) -> tuple[Sequence[str], str | None]:
        """Who ``ai``'s work is offered to, by the directory and the activity's assignment
        rules, and who holds it at once (None: nobody). Raises :class:`_Failure` when that
        cannot be told, a :class:`~wfengine.runtime.directory.DirectoryError` when the
        directory answers what is not user ids, and whatever the host's directory raises.

        One performer's one member (most offers) is the directory's checked tuple itself,
        which the work item keeps as it is (a tuple: nothing can change it); a list of it
        made once more per offer, and the item's tuple of that list, cost a quarter of a
        microsecond."""
        act = ai.act
        if act.assignment is None:
            performers = act.performers
            if len(performers) == 1 and len(act.participants) == 1:  # (most: one performer)
                found = self._members_of(performers[0], act.participants[0])
                return (found if len(found) < 2 else tuple(dict.fromkeys(found))), None
            return self._members(zip(performers, act.participants, strict=True)), None
        return self._assign(ai, act.assignment)

    def _members(self, performers: Iterable[tuple[str, Participant | None]]) -> list[str]:
        """Everyone the directory says ``performers`` (name, declaration) are, in order."""
        return _merged(self._members_of(p, declared) for p, declared in performers)

    def _assign(self, ai: ActivityInstance, rule: CAssignment) -> tuple[list[str], str | None]:
        """Who ``ai``'s work item is offered to, and who holds it at once (None: nobody),
        by the rules of :mod:`wfengine.runtime.compile_people`."""
        act = ai.act
        members = self._members_of
        groups: list[Sequence[str]] = []  # each performer's members, in the performers' order
        for p, declared, expr in zip(
            act.performers, act.participants, rule.expressions, strict=True
        ):
            if expr is None:
                groups.append(members(p, declared))
                continue
            value = self._evaluate(ai, expr)
            values = [value] if isinstance(value, str) else value
            if (
                not isinstance(values, list | tuple)
                or not values
                or not all(isinstance(v, str) and v for v in values)
            ):
                raise _Failure(
                    f"performer {p!r} of activity {act.id!r} is {value!r}, not the name of a "
                    "participant, role, unit or user (or a list of them)"
                )
            for v in values:
                problem = user_id_problem(v)
                if problem is not None:
                    # offered to it, the work item's rows would hold what no store can (a
                    # driver error out of the command on SQL): an offer incident instead
                    raise _Failure(
                        f"performer {p!r} of activity {act.id!r} is {described(v)}, which "
                        f"{problem}: not the name of a participant, role, unit or user"
                    )
                # (a value no participant declares may be a role's or unit's name too)
                declared = rule.declared.get(v)
                found = members(v, declared) if declared is not None else self._value_members(v)
                if not found:
                    # a name typed at run time that reaches nobody: the work would wait for
                    # ever, offered to no one
                    raise _Failure(
                        f"performer {p!r} of activity {act.id!r} is {v!r}, which names no "
                        "participant, role, unit or user (by id, or a role or unit by name) "
                        "that has members"
                    )
                groups.append(found)
        assignees = _merged(groups)
        excluded = excluded_performers(ai)
        if rule.manager_of_previous:
            previous = previous_performer(ai)
            levels = [] if previous is None else self._supervisor_levels(previous)
            if levels:  # (none: its performers' members, as compile_people says)
                # the nearest who may have it (four eyes), not everyone up to the top
                allowed = [level for level in levels if any(u not in excluded for u in level)]
                assignees = list((allowed or levels)[0])
        holder = performer_in(ai.scope, act.key) if rule.original_performer else None
        if (
            holder is not None
            and holder not in assignees
            and supervision_of(self.ctx.directory) is not None
        ):
            # no longer one of the activity's performers in the organisation (moved on,
            # left the role): the work is offered as usual, not given to someone it is not
            # for (without an organisation a performer is itself, and this does not apply)
            holder = None
        if holder is None and rule.to_performer_key is not None:
            holder = performer_in(ai.scope, rule.to_performer_key)
        if (
            holder is not None
            and (org := supervision_of(self.ctx.directory)) is not None
            and not org.knows(holder)
        ):
            # someone the organisation no longer knows (they left) could not take it: it is
            # offered to the performers' members instead
            holder = None
        if holder in excluded:
            holder = None
        if holder is not None:
            return [holder], holder
        if not excluded:
            return assignees, None
        left = [m for m in assignees if m not in excluded]
        if not left and assignees:
            # four eyes leaves it to no one: the work would wait for ever, offered to no one
            raise _Failure(nobody_left(ai, excluded, assignees))
        return left, None

    def _escalation_targets(
        self,
        item: WorkItem,
        inst: ProcessInstance,
        participant: str | None,
        excluded: Mapping[str, str],
    ) -> tuple[str, ...]:
        """Who a late item is escalated to: the members of ``participant``, resolved as a
        Performer is (with its declaration, so a directory matches it by Name or type), else
        the nearest supervisors of those who answer for the item (each one's nearest level;
        the next level up only when none of those may have it, or all have it already: see
        :func:`reaches`); never one of ``excluded`` (four eyes: whoever did the work it
        checks)."""
        if participant is not None:
            found = self._members_of(participant, self._declaration(inst, participant))
            return tuple(u for u in dict.fromkeys(found) if u not in excluded)
        if supervisors_of(self.ctx.directory) is None:
            return ()
        each = [self._supervisor_levels(person) for person in self._answering(item)]
        nearest: tuple[str, ...] = ()
        for depth in range(max(map(len, each), default=0)):
            level = _merged(levels[depth] for levels in each if depth < len(levels))
            allowed = tuple(u for u in level if u not in excluded)
            if reaches(item, allowed):
                return allowed
            nearest = nearest or allowed  # (have it already: the next level up, if any)
        return nearest  # (reaching no one new, which the escalation's incident names)

    def _answering(self, item: WorkItem) -> tuple[str, ...]:
        """Who answers for late ``item``, whose supervisors it escalates to: its holder
        (:func:`responsible`); but a holder the organisation no longer knows (they left)
        has no supervisor, so then those it is offered to, as for an unclaimed item. Why:
        the escalation of a leaver's work reached no one and blamed "their supervisor",
        though the people it is offered to have theirs."""
        holder = item.holder
        org = supervision_of(self.ctx.directory)
        if holder is None or org is None:
            return responsible(item)
        if asked(org, f"knows({holder!r})", partial(org.knows, holder)):
            return (holder,)
        return tuple(u for u in item.assignees if u != holder)

    def _declaration(self, inst: ProcessInstance, participant: str) -> Participant | None:
        """The Participant ``inst``'s process (else its package) declares as ``participant``,
        as the compiler finds a Performer's; None when neither does."""
        deployed = self.ctx.deployed(inst.process_id, inst.version)
        for p in (*deployed.definition.participants, *deployed.package.participants):
            if p.id == participant:
                return p
        return None


def reaches(item: WorkItem, users: Iterable[str]) -> bool:
    """Whether offering ``item`` to ``users`` as well (an escalation) reaches someone: one it
    is not offered to yet, or, while someone holds it (it goes back on offer), anyone else.
    Offered to the same people it would change nothing, and an escalation that reaches no
    one is an incident."""
    held = item.holder
    return any(u not in item.assignees or (held is not None and u != held) for u in users)


def _merged(groups: Iterable[Iterable[str]]) -> list[str]:
    """The members of ``groups``, each once, in the order they first appear."""
    return list(dict.fromkeys(m for group in groups for m in group))

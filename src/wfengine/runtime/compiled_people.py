"""What a person's activity compiles to beyond its performers: who its work item goes to
(:class:`CAssignment`) and what of the instance's data it may read and write
(:class:`CDataAccess`), both built by :mod:`.compile_people`.

Why a module of its own: :mod:`.compiled` holds the compiled tables of every construct and
grew past the size a module may have; these two are the people rules, read by the worklist
side of navigation (:mod:`.navigation.people`, :mod:`.activity_holders`). They stay
importable from :mod:`.compiled`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wfengine.definition.model import Participant
from wfengine.runtime.evaluation import CompiledExpression


@dataclass(frozen=True, slots=True)
class CAssignment:
    """Who an activity's work item goes to beyond its performers' members: performers
    evaluated at run time and the Shark/JaWE assignment extended attributes (see
    :mod:`wfengine.runtime.compile_people`). None on an activity that has none of them."""

    #: per performer: the expression its text is (over the instance's data), else None
    expressions: tuple[CompiledExpression | None, ...]
    #: the declared participants an expression's value may name, by Id
    declared: Mapping[str, Participant]
    #: ``AssignToPerformerOfActivity``: allocated to whoever did that activity last
    to_performer_of: str | None = None
    #: ``DoNotAssignToPerformerOfActivity``: never offered to whoever did these
    not_performer_of: tuple[str, ...] = ()
    #: ``ReassignToOriginalPerformer``: when it runs again, to whoever did it last time
    original_performer: bool = False
    #: ``MANAGER_OF_PREVIOUS``: offered to the supervisors of the previous activity's
    #: performer
    manager_of_previous: bool = False
    #: the :attr:`CActivity.key` of the activity :attr:`to_performer_of` names, and of each
    #: :attr:`not_performer_of` names, as the scope of the activity holding the rule resolves
    #: them (:mod:`.compiler`: its own activity set first, then the enclosing ones); None /
    #: empty: the names themselves (an Id the process does not repeat is its own key)
    to_performer_key: str | None = None
    not_performer_keys: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.to_performer_key is None and self.to_performer_of is not None:
            object.__setattr__(self, "to_performer_key", self.to_performer_of)
        if not self.not_performer_keys and self.not_performer_of:
            object.__setattr__(self, "not_performer_keys", self.not_performer_of)


@dataclass(frozen=True, slots=True)
class CDataAccess:
    """The instance data a person's work item may read and write (``VariableToProcess_VIEW``
    / ``VariableToProcess_UPDATE``, or ``wfengine:reads`` / ``wfengine:writes``)."""

    #: the fields it may read; None: every field
    reads: frozenset[str] | None
    #: the fields its completion may write
    writes: frozenset[str]
    #: ``wfengine:delegation-confirm``: work a delegate completes comes back to the
    #: delegating owner to confirm
    confirm_delegation: bool = False


__all__ = ["CAssignment", "CDataAccess"]

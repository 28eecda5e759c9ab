"""Participants, applications and data fields: the declarations packages and processes share.

One mixin so a package and a process declare them with the same methods and the same checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Self

from wfengine.definition.build_arguments import (
    ExtendedSpec,
    ParamSpec,
    TypeSpec,
    check_unique,
    enum_value,
    extended_models,
    prose_text,
    reported,
    value_text,
)
from wfengine.definition.build_types import PendingField, pending_data_field, pending_params
from wfengine.definition.model import (
    Application,
    DataField,
    Participant,
    ParticipantKind,
)


class DeclarationsMixin:
    """Participants, applications and data fields: declared alike on packages and processes."""

    _participants: list[Participant]
    _applications: list[tuple[Application, list[PendingField]]]
    _data_fields: list[PendingField]

    @reported("participant")
    def participant(
        self,
        id: str,
        *,
        type: str | ParticipantKind = ParticipantKind.ROLE,
        name: str | None = None,
        description: str | None = None,
        extended: ExtendedSpec | None = None,
    ) -> Self:
        """Declare a participant (a ROLE unless ``type`` says otherwise)."""
        self._participants.append(
            Participant(
                id=id,
                name=name,
                type=enum_value(ParticipantKind, type, "participant type"),
                description=prose_text(description, "description"),
                extended_attributes=extended_models(extended),
            )
        )
        return self

    @reported("application")
    def application(
        self,
        id: str,
        *,
        params: Sequence[ParamSpec] = (),
        name: str | None = None,
        description: str | None = None,
        extended: ExtendedSpec | None = None,
    ) -> Self:
        """Declare an application with formal parameters ``(id, mode, type)``."""
        app = Application(
            id=id,
            name=name,
            description=prose_text(description, "description"),
            extended_attributes=extended_models(extended),
        )
        self._applications.append((app, pending_params(params)))
        return self

    @reported("data field")
    def data_field(
        self,
        id: str,
        type: TypeSpec,
        *,
        initial: str | None = None,
        name: str | None = None,
        description: str | None = None,
        is_array: bool = False,
        read_only: bool = False,
        extended: ExtendedSpec | None = None,
    ) -> Self:
        """Declare a data field; ``initial`` is an expression in the package's script language."""
        self._data_fields.append(
            pending_data_field(
                id,
                type,
                initial=value_text(initial, "initial (an expression)"),
                name=name,
                description=prose_text(description, "description"),
                is_array=is_array,
                read_only=read_only,
                extended=extended,
            )
        )
        return self

    def _build_declarations(
        self, declared: Iterable[str], where: str
    ) -> tuple[tuple[Participant, ...], tuple[Application, ...], tuple[DataField, ...]]:
        declared = tuple(declared)
        apps: list[Application] = []
        for app, params in self._applications:
            fps = tuple(p.resolve(declared) for p in params)
            check_unique("formal parameter", (p.id for p in fps), f"application {app.id!r}")
            apps.append(app.model_copy(update={"formal_parameters": fps}))
        fields = tuple(f.resolve(declared) for f in self._data_fields)
        assert all(isinstance(f, DataField) for f in fields)
        check_unique("participant", (p.id for p in self._participants), where)
        check_unique("application", (a.id for a in apps), where)
        check_unique("data field", (f.id for f in fields), where)
        return tuple(self._participants), tuple(apps), fields  # type: ignore[return-value]

"""``sensitive-mark``: a ``wfengine:sensitive`` that would hide nothing is refused.

An Application's list naming no formal parameter exactly (a typo, another case, a ``;``
separator the list did not take) and a DataField's value that is no yes/no word (``treu``)
were read silently as hiding nothing: the secret went in clear into the append-only audit
trail. Validation reports them as errors, so the deploy refuses the process; ``;`` now
separates names as ``,`` and white space do."""

from __future__ import annotations

import pytest

from wfengine import DeployError, Engine, PackageBuilder, validate
from wfengine.applications.redaction import is_sensitive_field, sensitive_formals
from wfengine.definition.model import Package

CARD = "4111-1111-1111-1111"


def _package(*, app_marks: str | None = None, field_mark: str | None = None) -> Package:
    b = PackageBuilder("pk")
    b.application(
        "app",
        params=[("card", "IN", "STRING"), ("other", "IN", "STRING")],
        extended=None if app_marks is None else {"wfengine:sensitive": app_marks},
    )
    p = b.process("p")
    p.data_field(
        "pan", "STRING", extended=None if field_mark is None else {"wfengine:sensitive": field_mark}
    )
    p.data_field("o", "STRING")
    p.start("s")
    p.activity("t", tool="app", args=["pan", "o"])
    p.end("e")
    p.sequence("s", "t", "e")
    return b.build()


def _marks(package: Package) -> list[str]:
    return [d.message for d in validate(package) if d.code == "sensitive-mark"]


@pytest.mark.parametrize("marks", ["crad", "CARD", "card other Card"])
def test_an_application_naming_no_formal_is_an_error_naming_the_closest(marks: str) -> None:
    package = _package(app_marks=marks)
    [finding] = [d for d in validate(package) if d.code == "sensitive-mark"]
    assert finding.severity == "error"
    assert finding.element_id == "app"
    assert "did you mean 'card'?" in finding.message
    assert "in clear" in finding.message
    engine = Engine()
    engine.applications.register("app", lambda card, other: None)
    with pytest.raises(DeployError, match="sensitive-mark"):
        engine.deploy(package)


def test_a_name_like_no_formal_lists_the_formals() -> None:
    [message] = _marks(_package(app_marks="card zzz"))
    assert "'zzz'" in message and "card, other" in message


@pytest.mark.parametrize("marks", ["card;other", "card; other", "card,other", "card other"])
def test_semicolons_separate_names_as_commas_and_spaces_do(marks: str) -> None:
    package = _package(app_marks=marks)
    assert _marks(package) == []
    engine = Engine()
    engine.applications.register("app", lambda card, other: None)
    engine.deploy(package)
    iid = engine.start_process("p", {"pan": CARD, "o": "zzz-secret"})
    [inputs] = [
        e.detail["inputs"]
        for e in engine.audit_events(instance_id=iid)
        if e.kind == "application.invoked"
    ]
    assert inputs == {"card": "***", "other": "***"}


@pytest.mark.parametrize("value", ["treu", "on", "y", "sensitive"])
def test_a_data_field_value_that_is_no_yes_no_word_is_an_error(value: str) -> None:
    package = _package(field_mark=value)
    [finding] = [d for d in validate(package) if d.code == "sensitive-mark"]
    assert finding.severity == "error"
    assert finding.element_id == "pan"
    assert repr(value) in finding.message
    with pytest.raises(DeployError, match="sensitive-mark"):
        Engine().deploy(package)


@pytest.mark.parametrize("value", ["true", "True", "yes", "1", "", "false", "No", "0"])
def test_yes_no_words_are_no_finding(value: str) -> None:
    assert _marks(_package(field_mark=value)) == []


def test_a_stored_definition_with_an_unreadable_value_hides_the_field() -> None:
    """A definition deployed before the check still loads; its field is hidden, not shown:
    shown by mistake, a value stays in the append-only trail."""
    [process] = _package(field_mark="treu").workflow_processes
    [pan] = [df for df in process.data_fields if df.id == "pan"]
    assert is_sensitive_field(pan)
    [plain] = [df for df in process.data_fields if df.id == "o"]
    assert not is_sensitive_field(plain)


def test_a_formal_id_holding_a_semicolon_listed_whole_stays_hidden() -> None:
    """Such an id is only an ``id-syntax`` warning, and the reading before ``;`` separated
    hid it: a deployment stored then must not show its value in clear now, and the list is
    no error."""
    b = PackageBuilder("pk")
    b.application(
        "app", params=[("pan;v2", "IN", "STRING")], extended={"wfengine:sensitive": "pan;v2"}
    )
    p = b.process("p")
    p.data_field("pan", "STRING")
    p.activity("t", tool="app", args=["pan"])
    package = b.build()
    assert _marks(package) == []
    [app] = package.applications
    assert "pan;v2" in sensitive_formals(app)
    engine = Engine()
    engine.applications.register("app", lambda **inputs: None)
    engine.deploy(package)
    iid = engine.start_process("p", {"pan": CARD})
    [inputs] = [
        e.detail["inputs"]
        for e in engine.audit_events(instance_id=iid)
        if e.kind == "application.invoked"
    ]
    assert inputs == {"pan;v2": "***"}


@pytest.mark.parametrize("marks", ["card|other", "card/other", "card:other"])
def test_ids_joined_by_other_punctuation_get_the_separators_named(marks: str) -> None:
    [message] = _marks(_package(app_marks=marks))
    assert message.endswith(
        "names are separated by spaces, ',' or ';' only: write 'card other' to hide each "
        "(its formal parameters: card, other)"
    )


def test_a_data_field_named_for_a_formal_is_told_to_mark_the_field() -> None:
    [message] = _marks(_package(app_marks="pan"))
    assert message.endswith(
        "'pan' is a DataField: to hide its values wherever they go, mark the DataField "
        'itself wfengine:sensitive="true", or name the parameter it is passed as here: card '
        "(its formal parameters: card, other)"
    )

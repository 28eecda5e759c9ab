"""Public helpers given the wrong kind of argument failed far from the call, with errors naming
neither the helper nor the argument (an AttributeError from inside, a bytes/str TypeError from
urllib, "'NoneType' object is not iterable"), and ``http_agent("not a url")`` was taken and
failed every call. Each now refuses at once, naming itself and the argument."""

from __future__ import annotations

import pytest

from wfengine import StaticDirectory, http_agent, http_agent_factory, notes_for, subprocess_agent


@pytest.mark.parametrize("given", [None, "engine", 5])
def test_notes_for_names_the_engine_it_needs(given: object) -> None:
    with pytest.raises(TypeError, match=r"notes_for: engine must be a wfengine\.Engine"):
        notes_for(given)  # type: ignore[arg-type]


@pytest.mark.parametrize("given", [5, ["clerk"], ("a", "b")])
def test_a_static_directory_takes_a_mapping(given: object) -> None:
    with pytest.raises(TypeError, match=r"StaticDirectory: members must be a mapping"):
        StaticDirectory(given)  # type: ignore[arg-type]


@pytest.mark.parametrize("given", [None, b"http://example.org", 5])
def test_http_agent_names_a_url_that_is_no_text(given: object) -> None:
    with pytest.raises(TypeError, match=r"http_agent: url must be the text"):
        http_agent(given)  # type: ignore[arg-type]


@pytest.mark.parametrize("given", ["not a url", "ftp://example.org/x", "http://", "/api/x"])
def test_http_agent_refuses_a_text_that_is_no_http_url(given: str) -> None:
    with pytest.raises(ValueError, match=r"http_agent: url must be an http:// or https:// URL"):
        http_agent(given)


def test_http_agent_takes_http_and_https_urls() -> None:
    assert callable(http_agent("http://127.0.0.1:8080/hook?key=k"))
    assert callable(http_agent("HTTPS://example.org/api"))


def test_http_agent_factory_names_prefixes_that_are_no_list() -> None:
    with pytest.raises(TypeError, match=r"http_agent_factory: allowed_prefixes must be"):
        http_agent_factory(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("given", [None, 5])
def test_subprocess_agent_names_an_argv_that_is_no_list(given: object) -> None:
    with pytest.raises(TypeError, match=r"subprocess_agent: argv must be a list"):
        subprocess_agent(given)  # type: ignore[arg-type]


@pytest.mark.parametrize("given", [" http://service/x", "http://h/x\n", "http://h/\tx"])
def test_http_agent_refuses_what_urlsplit_forgives_and_the_call_cannot_send(given: str) -> None:
    with pytest.raises(ValueError, match=r"http_agent: url holds a space around it or a control"):
        http_agent(given)

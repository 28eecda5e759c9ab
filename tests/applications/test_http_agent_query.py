"""A GET (or DELETE) sends the call's parameters as query parameters the way a service reads
them: text, dates and times as they are (``day=2030-01-05``, not the JSON ``"2030-01-05"``
with its quotes), numbers, true/false, lists and records as JSON, and a parameter without a
value left out (not the text ``null``, which a service would take for a value)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import httpx

from wfengine.applications.agents import http_agent


def _sent_query(method: str, **inputs: object) -> list[tuple[str, str]]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    call = http_agent(
        "https://svc.example/q?key=K", method=method, transport=httpx.MockTransport(answer)
    )
    call(**inputs)
    [request] = seen
    return list(request.url.params.multi_items())


def test_dates_and_times_go_bare_and_an_unset_value_is_left_out() -> None:
    query = _sent_query(
        "GET",
        day=date(2030, 1, 5),
        at=datetime(2030, 1, 5, 9, 30, tzinfo=UTC),
        clock=time(9, 30),
        name="Ann",
        ref=None,
        count=3,
        urgent=True,
        tags=["a", "b"],
    )
    assert query == [
        ("key", "K"),
        ("day", "2030-01-05"),
        ("at", "2030-01-05T09:30:00+00:00"),
        ("clock", "09:30:00"),
        ("name", "Ann"),
        ("count", "3"),
        ("urgent", "true"),
        ("tags", '["a", "b"]'),
    ]


def test_delete_sends_its_parameters_the_same_way() -> None:
    assert _sent_query("DELETE", day=date(2030, 1, 5), ref=None) == [
        ("key", "K"),
        ("day", "2030-01-05"),
    ]

"""A host directory's yes/no answers may be bool-likes: SQLite's ``SELECT EXISTS(...)`` (the
integers 0 and 1), numpy's and pandas' bools, None for no and a record for yes (``users.get(u)``
style: a dict or a user object for someone known). Text and numbers other than 0 and 1 are
still a ``DirectoryError``, which names the answer's type with its module when it is not a
builtin (``numpy.int64``, not ``int64``).

Before, any answer not exactly True or False failed every work-item command: a directory
backed by SQLite or a pandas frame could not be used at all; and for a while the record a
``users.get`` lookup gives for someone known was refused although its None was taken.
"""

from __future__ import annotations

import sqlite3

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.directory import DirectoryError


class _Sql:
    """Ann and bob are clerks, boss an administrator: the answers are SQLite's 0 and 1."""

    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.executescript(
            "create table users(id text, admin int);"
            "insert into users values ('ann', 0), ('bob', 0), ('boss', 1);"
        )

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann", "bob")

    def is_admin(self, user_id: str) -> object:
        sql = "select exists(select 1 from users where id = ? and admin = 1)"
        return self.db.execute(sql, (user_id,)).fetchone()[0]

    def supervises(self, supervisor: str, user_id: str) -> object:
        return 0

    def knows(self, user_id: str) -> object:
        sql = "select exists(select 1 from users where id = ?)"
        return self.db.execute(sql, (user_id,)).fetchone()[0]


class bool_:  # named as numpy's is: a numpy-style bool, without numpy
    def __init__(self, value: bool) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return self.value

    def __repr__(self) -> str:
        return f"bool_({self.value})"


class _Record:
    def __repr__(self) -> str:
        return "<user ann>"


class _Said(_Sql):
    """Answers ``said[question]`` (a function of the user asked of) when set."""

    def __init__(self, **said: object) -> None:
        super().__init__()
        self.said = said

    def is_admin(self, user_id: str) -> object:
        if "is_admin" in self.said:
            return self.said["is_admin"](user_id)  # type: ignore[operator]
        return super().is_admin(user_id)

    def knows(self, user_id: str) -> object:
        if "knows" in self.said:
            return self.said["knows"](user_id)  # type: ignore[operator]
        return super().knows(user_id)


def _reassigned_by_boss(directory: object) -> str | None:
    """The holder of an item ann claimed after boss (an administrator) reassigns it to bob."""
    with Engine(clock=VirtualClock(), directory=directory) as e:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("a", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        (w,) = e.work_items(iid)
        e.claim_work_item(w.id, "ann")
        e.reassign_work_item(w.id, "boss", "bob")
        return e.work_item(w.id).holder


def test_sqlite_zero_and_one_answer() -> None:
    assert _reassigned_by_boss(_Sql()) == "bob"


def test_a_numpy_style_bool_answers() -> None:
    admins = _Said(is_admin=lambda u: bool_(u == "boss"), knows=lambda u: bool_(u != "eve"))
    assert _reassigned_by_boss(admins) == "bob"


def test_numpy_bools_answer() -> None:
    np = pytest.importorskip("numpy")
    users = np.array(["ann", "bob", "boss"])
    directory = _Said(
        is_admin=lambda u: np.array(["boss"]).__eq__(u).any(),
        knows=lambda u: np.isin([u], users)[0],
    )
    assert _reassigned_by_boss(directory) == "bob"


def test_none_is_no() -> None:
    admins = {"boss": True}
    directory = _Said(is_admin=admins.get)
    assert _reassigned_by_boss(directory) == "bob"
    # None can only deny: ann, not an administrator, may not reassign bob's work to herself
    with Engine(clock=VirtualClock(), directory=directory) as e:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("a", performer="clerk")
        e.deploy(pb.build())
        (w,) = e.work_items(e.start_process("ticket"))
        e.claim_work_item(w.id, "bob")
        with pytest.raises(Exception, match=r"only a supervisor"):
            e.reassign_work_item(w.id, "ann", "ann")
        assert e.work_item(w.id).holder == "bob"


def test_a_record_is_yes_and_none_no() -> None:
    users = {"ann": {"name": "Ann"}, "bob": {"name": "Bob"}, "boss": _Record()}
    admins = {"boss": {"since": 2020}}
    directory = _Said(is_admin=admins.get, knows=users.get)
    assert _reassigned_by_boss(directory) == "bob"
    with Engine(clock=VirtualClock(), directory=directory) as e:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("a", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        assert len(e.work_items_of("ann")) == 1
        assert e.work_items_of("eve") == []  # unknown: None
        (w,) = e.work_items(iid)
        e.claim_work_item(w.id, "ann")
        assert e.work_item(w.id).holder == "ann"


@pytest.mark.parametrize("yes, no", [(1.0, 0.0), ({"admin": 1}, {})], ids=["float", "dict"])
def test_a_float_one_and_a_dict_answer_by_their_truth(yes: object, no: object) -> None:
    directory = _Said(is_admin=lambda u: yes if u == "boss" else no)
    assert _reassigned_by_boss(directory) == "bob"


@pytest.mark.parametrize(
    "answer, said",
    [
        (lambda u: 2, r"int 2"),
        (lambda u: -1, r"int -1"),
        (lambda u: 0.5, r"float 0\.5"),
        (lambda u: float("nan"), r"float nan"),
        (lambda u: "false", r"str 'false'"),
        (lambda u: b"1", r"bytes b'1'"),
    ],
    ids=["two", "minus-one", "half", "nan", "text", "bytes"],
)
def test_other_answers_are_refused_naming_their_type(answer: object, said: str) -> None:
    with pytest.raises(
        DirectoryError,
        match=rf"knows\('ann'\), .* answered {said}, not True or False: .* not text .* number",
    ):
        _reassigned_by_boss(_Said(knows=answer))


def test_a_numpy_answer_refused_names_numpy() -> None:
    np = pytest.importorskip("numpy")
    with pytest.raises(DirectoryError, match=r"answered numpy\.int64 np\.int64\(2\), not True"):
        _reassigned_by_boss(_Said(knows=lambda u: np.int64(2)))

"""``package_to_dot`` on a package with no process raises the same clear ``NotFoundError``
as for an unknown process id, not the model's bare ``KeyError``, whose message printed
quoted (``"package 'pkg' has no workflow process"``)."""

from __future__ import annotations

import pickle

import pytest

from wfengine.definition.model import Package
from wfengine.definition.render import package_to_dot
from wfengine.errors import NotFoundError


def test_a_package_with_no_process_is_a_clear_not_found_error() -> None:
    with pytest.raises(NotFoundError, match=r"package 'pkg' has no workflow process") as info:
        package_to_dot(Package(id="pkg"))
    assert str(info.value).startswith("package_to_dot: ")  # not quoted as a KeyError's is
    assert isinstance(info.value, KeyError)  # callers catching KeyError still catch it
    copy = pickle.loads(pickle.dumps(info.value))
    assert str(copy) == str(info.value)


def test_an_unknown_process_of_an_empty_package_still_says_so() -> None:
    with pytest.raises(NotFoundError, match=r"no process 'x' \(package_to_dot: .* has: none\)"):
        package_to_dot(Package(id="pkg"), "x")

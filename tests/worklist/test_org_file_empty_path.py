"""``load_organisation("")`` is refused saying so, as ``load_xpdl("")`` is: ``Path("")`` is
the current directory, and it raised a bare ``IsADirectoryError`` about ``'.'``."""

from __future__ import annotations

import pytest

from wfengine import OrganisationError, load_organisation


def test_load_organisation_of_an_empty_path_says_so() -> None:
    with pytest.raises(OrganisationError, match=r"load_organisation: the path is empty \(''\)"):
        load_organisation("")
    with pytest.raises(ValueError, match=r"pass the path of an organisation file"):
        load_organisation("")  # a ValueError, as load_xpdl("") raises

"""Reading an organisation file (YAML or JSON) into an :class:`Organisation`.

YAML is read with PyYAML's safe loader (plain data only: no tags that build Python objects),
JSON with the standard library. The file's suffix picks the reader (``.json``; ``.yaml`` or
``.yml``); any other suffix is read as YAML, which also reads JSON. Files over
:data:`MAX_ORG_FILE_BYTES` are refused before they are parsed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wfengine.errors import OrganisationError
from wfengine.worklist.org_model import OrgDocument
from wfengine.worklist.organisation import Organisation

#: the largest organisation file read (about 50,000 users with their roles and units)
MAX_ORG_FILE_BYTES = 16 * 1024 * 1024


def load_organisation(path: str | Path) -> Organisation:
    """The organisation in the file at ``path``; raises :class:`OrganisationError` naming
    the file and the place in it, or ``OSError`` when the file cannot be read."""
    path = Path(path)
    with path.open("rb") as f:
        raw = f.read(MAX_ORG_FILE_BYTES + 1)
    if len(raw) > MAX_ORG_FILE_BYTES:
        raise OrganisationError(f"{path}: larger than {MAX_ORG_FILE_BYTES} bytes")
    return parse_organisation(raw, str(path), json_text=path.suffix.lower() == ".json")


def parse_organisation(raw: bytes | str, where: str, *, json_text: bool = False) -> Organisation:
    """The organisation in ``raw`` (JSON when ``json_text``, else YAML); ``where`` names its
    source in errors."""
    import yaml  # on demand: importing wfengine does not pay for the YAML reader

    try:
        data: Any = json.loads(raw) if json_text else yaml.safe_load(raw)
    except json.JSONDecodeError as exc:
        raise OrganisationError(f"{where}:{exc.lineno}: not JSON: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise OrganisationError(f"{where}{line}: not YAML: {problem}") from None
    except RecursionError:
        raise OrganisationError(f"{where}: nested too deeply") from None
    return organisation_from_data(data, where)


def organisation_from_data(data: Any, where: str = "organisation") -> Organisation:
    """The organisation in plain data of the file's shape (see
    :mod:`~wfengine.worklist.org_model`)."""
    if not isinstance(data, dict):
        shown = type(data).__name__ if data is not None else "nothing"
        raise OrganisationError(f"{where}: expected a mapping with 'users', found {shown}")
    try:
        return Organisation(OrgDocument.model_validate(data))
    except ValidationError as exc:
        raise OrganisationError(f"{where}: " + "; ".join(_problems(exc))) from None


def _problems(exc: ValidationError) -> list[str]:
    found = []
    for error in exc.errors(include_url=False):
        place = _place(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        found.append(f"{place}: {message}" if place else message)
    return found


def _place(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out

"""The brief status of the cases, exported for the web service centre outside the firewall.

Inside, ``export_statuses`` writes the brief status of every complaint case, open or closed
(each export is the whole picture: the web centre's table is replaced by it, so a customer
still finds a closed case) as XML, encrypts and authenticates it with AES-256-GCM (an AEAD
cipher, from the ``cryptography`` library) and numbers it; outside, ``WebDesk.load`` verifies,
decrypts and loads it into the web centre's own table, from which customers pull their
status by phone number (all their complaints) or by acceptance number. Both sides key the
phone as the CRM does (``crm.phone_key``), so a customer finds their cases however they
write their number.

A closed case's brief status no longer changes, so an exporting process keeps it: given a
:class:`ClosedStatuses`, kept from one export to the next, each export reads the brief status
of the cases still open and of those closed since the last export only. Without it every
export read every case ever (~8 ms each: 20,000 cases took minutes, and more every day). The
first export of a process reads them all.

A text XML 1.0 cannot hold (a control character pasted into a conclusion) is written with
each such character replaced by a space (U+FFFD for a lone surrogate or a non-character):
one odd value never stops the export of every case.

The file: ``WFSX1`` | export number (8 bytes, big-endian) | nonce (12 bytes) | ciphertext with
its tag. The magic and the number are authenticated with the content (the AEAD's associated
data), so a file whose number was changed fails like a tampered one. A flipped byte, a
truncated file, a file encrypted with another key and a replayed file (a number not above the
last one loaded) are refused with a clear error, and nothing is loaded: the load is one
transaction.

Keys are 32 random bytes, kept out of the repository: in a file (``key_from_file``, base64)
or in the environment (``key_from_env``, ``WFENGINE_CRM_EXPORT_KEY``, base64).
"""

from __future__ import annotations

import base64
import copy
import os
import re
import runpy
import struct
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from lxml import etree

from wfengine import Engine
from wfengine.audit.status import brief_status

MAGIC = b"WFSX1"
HEADER = len(MAGIC) + 8 + 12
KEY_ENV = "WFENGINE_CRM_EXPORT_KEY"
#: what XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return; surrogates;
#: U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


#: the example's loader: each of its modules loaded once, by path (``siblings.py``)
sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]
#: how the CRM keys a phone (``phones.py``: both sides key one alike) and its tables' versions
phones, schema = sibling("phones"), sibling("schema")
phone_key = phones.phone_key


def xml_text(value: Any) -> str:
    """``value`` as text XML 1.0 can hold: a control character becomes a space, a lone
    surrogate or a non-character U+FFFD (see the module notes)."""
    return _NOT_XML.sub(lambda m: " " if m.group() < "\x20" else "\ufffd", str(value))


class ExportRefused(ValueError):
    """A status export that must not be loaded (the message says why); nothing was loaded."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def key_from_file(path: str | Path) -> bytes:
    return _key(Path(path).read_text(encoding="ascii").strip(), str(path))


def key_from_env(name: str = KEY_ENV) -> bytes:
    text = os.environ.get(name)
    if not text:
        raise ExportRefused(f"no key: set {name} to a base64 AES-256 key")
    return _key(text, f"${name}")


def _key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError:
        raise ExportRefused(f"{where}: the key is not base64") from None
    if len(key) != 32:
        raise ExportRefused(f"{where}: the key has {len(key)} bytes; AES-256 takes 32")
    return key


# -- inside: the export ------------------------------------------------------------------------


class ClosedStatuses:
    """The ``case`` elements of the closed cases an exporting process has read, by instance
    id (None: a case answered at once, which has none), kept between exports (see the module
    notes). Why it may keep them: a closed instance's data and trail no longer change."""

    def __init__(self) -> None:
        self.cases: dict[str, Any] = {}


def status_xml(
    engine: Engine,
    instance_ids: list[str],
    created: datetime,
    *,
    closed: Collection[str] = (),
    kept: ClosedStatuses | None = None,
) -> bytes:
    """The brief status of each case, as the web centre's XML; the cases of ``closed`` (ids)
    are taken from ``kept`` when it has them, and kept there when read."""
    root = etree.Element("statusExport", created=created.isoformat())
    cases = kept.cases if kept is not None else None
    for iid in instance_ids:
        if cases is not None and iid in closed:
            if iid not in cases:
                cases[iid] = _case(engine, iid)
            case = copy.deepcopy(cases[iid])  # (an element has one parent: keep the kept one)
        else:
            case = _case(engine, iid)
        if case is not None:
            root.append(case)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _case(engine: Engine, iid: str) -> Any:
    """The ``case`` element of ``iid``'s brief status; None for a case answered at once."""
    inst = engine.instance(iid)
    number = inst.data.get("acceptance_no")
    if not number:
        return None  # answered at once: no case outside
    brief = brief_status(engine, iid)
    phone = phone_key(str(inst.data.get("phone") or ""))
    case = etree.Element("case", acceptance=xml_text(number), phone=xml_text(phone))
    etree.SubElement(case, "state").text = xml_text(brief.state)
    stage = brief.milestones[-1] if brief.milestones else None
    etree.SubElement(case, "stage").text = xml_text(stage.label) if stage else ""
    for name, value in sorted(brief.fields.items()):
        if name != "acceptance_no" and value not in (None, ""):
            etree.SubElement(case, "field", name=name).text = xml_text(value)
    return case


def seal(xml: bytes, key: bytes, number: int) -> bytes:
    """``xml`` encrypted and authenticated as export ``number``."""
    head = MAGIC + struct.pack(">Q", number)
    nonce = os.urandom(12)
    return head + nonce + AESGCM(key).encrypt(nonce, xml, head)


def export_statuses(
    engine: Engine,
    key: bytes,
    number: int,
    created: datetime,
    *,
    kept: ClosedStatuses | None = None,
) -> bytes:
    """Export ``number``: the brief status of every complaint case; a closed case's from
    ``kept`` once an earlier export with it read it (see the module notes)."""
    summaries = engine.instance_summaries(process_id="complaint")
    ids = [s.id for s in summaries]
    closed = {s.id for s in summaries if s.state.is_closed}
    if kept is not None:  # (a case no longer listed, archived or purged, is not kept for ever)
        kept.cases = {iid: case for iid, case in kept.cases.items() if iid in closed}
    return seal(status_xml(engine, ids, created, closed=closed, kept=kept), key, number)


# -- outside: the web centre -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublicStatus:
    acceptance_no: str
    phone: str
    state: str
    stage: str
    fields: dict[str, str]


web_meta = sa.MetaData()
web_cases = sa.Table(
    "web_case_status",
    web_meta,
    sa.Column("phone", sa.String(phones.KEY_LENGTH), primary_key=True),
    sa.Column("acceptance_no", sa.String(40), primary_key=True),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("stage", sa.String(200), nullable=False),
    sa.Column("fields", sa.JSON, nullable=False),
)
web_imports = sa.Table(
    "web_status_imports",
    web_meta,
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
)
#: the version of the web centre's tables (``schema.web_schema``)
web_schema_version = schema.version_table(web_meta, "web_schema_version")


def _parser() -> etree.XMLParser:
    # no entities resolved, no network, no huge trees: the file came through the firewall
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class WebDesk:
    """The web service centre's side: its own database of what customers may see (its tables
    made when missing, versioned as the CRM's are: ``schema.py``)."""

    def __init__(self, url: str, key: bytes) -> None:
        self.db = sa.create_engine(url)
        schema.web_schema(web_meta, web_schema_version).open(self.db)
        self._aead = AESGCM(key)

    def open(self, data: bytes) -> tuple[int, bytes]:
        """Verify and decrypt an export: its number and its XML; ``ExportRefused`` else."""
        if len(data) < HEADER + 16 or not data.startswith(MAGIC):
            raise ExportRefused(
                f"not a status export, or cut short ({len(data)} bytes, at least {HEADER + 16} "
                "expected)"
            )
        head, nonce, sealed = data[: len(MAGIC) + 8], data[len(MAGIC) + 8 : HEADER], data[HEADER:]
        (number,) = struct.unpack(">Q", head[len(MAGIC) :])
        try:
            xml = self._aead.decrypt(nonce, sealed, head)
        except InvalidTag:
            raise ExportRefused(
                f"export {number} does not verify: it was changed or cut on the way, or "
                "encrypted with another key"
            ) from None
        return number, xml

    def load(self, data: bytes, now: datetime) -> int:
        """Load an export (all of it, or nothing); returns how many cases it holds."""
        number, xml = self.open(data)
        try:
            root = etree.fromstring(xml, _parser())
        except etree.XMLSyntaxError as exc:
            raise ExportRefused(f"export {number}: not well-formed XML ({exc})") from None
        rows: list[dict[str, Any]] = []
        for case in root.iter("case"):
            rows.append({
                "phone": phone_key(case.get("phone", "")),
                "acceptance_no": case.get("acceptance", ""),
                "state": case.findtext("state") or "",
                "stage": case.findtext("stage") or "",
                "fields": {f.get("name"): f.text or "" for f in case.iter("field")},
            })  # fmt: skip
        with self.db.begin() as conn:
            last = conn.execute(sa.select(sa.func.max(web_imports.c.number))).scalar()
            if last is not None and number <= last:
                raise ExportRefused(
                    f"export {number} was loaded already, or is older than export {last}: a "
                    "replayed file is not loaded"
                )
            conn.execute(web_imports.insert().values(number=number, loaded_at=now))
            conn.execute(web_cases.delete())  # each export is the whole picture
            if rows:
                conn.execute(web_cases.insert(), rows)
        return len(rows)

    def lookup(self, phone: str, acceptance_no: str | None = None) -> list[PublicStatus]:
        """What a customer may see: one case (by phone and acceptance number, a key hit), or
        all cases under their phone number, each written any way (``phone_key``,
        ``phones.acceptance_key``: ``０１０１－０００１`` is ``0101-0001``). A phone the CRM
        keys no case under (none, ``"abc"``) is refused, a ``DataTypeError`` naming ``phone``
        (``phones.lookup_key``): it keyed ``""``, under which the export puts the cases that
        have no usable phone, and showed them to whoever typed it."""
        query = sa.select(web_cases).where(web_cases.c.phone == phones.lookup_key(phone))
        if acceptance_no is not None:
            number = phones.lookup_number(acceptance_no)
            query = query.where(web_cases.c.acceptance_no == number)
        with self.db.connect() as conn:
            return [
                PublicStatus(r.acceptance_no, r.phone, r.state, r.stage, dict(r.fields))
                for r in conn.execute(query.order_by(web_cases.c.acceptance_no))
            ]

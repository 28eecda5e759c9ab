"""What an untrusted definition may ask of the HTTP agent: which URLs, which headers.

The rules are summarised in :mod:`wfengine.applications.agents.http_json`; this module holds the
parsing. URLs are compared in a normalised form (:func:`normalise_url`) rather than as text,
because a text prefix check is fooled by ``..`` segments, percent-encodings, userinfo and
case, and the agent then sends exactly the normalised URL it checked, so that no later
parser (httpx, a proxy, the service) gets to read the URL differently from the check.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import httpx
import idna  # a dependency of httpx, which uses it for the same conversion

DEFAULT_PORTS: Mapping[str, int] = {"http": 80, "https": 443}

_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?P<rest>.*)", re.DOTALL)
_HEX = frozenset("0123456789abcdefABCDEF")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = frozenset(b"!$&'()*+,;=")
_PATH_CHARS = _UNRESERVED | _SUB_DELIMS | frozenset(b":@")
_QUERY_CHARS = _PATH_CHARS | frozenset(b"/?")
# Bytes a path may not carry even percent-encoded: servers disagree on whether an encoded
# slash or backslash separates segments and some decode twice, so each is a way to reach a
# path other than the one checked; control characters have no business in a path.
_PATH_REFUSED_BYTES = frozenset(b"/\\%") | frozenset(range(0x20)) | {0x7F}
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_\-]{0,61}[a-z0-9_])?")
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)")
_DECIMAL_OCTET = re.compile(r"0|[1-9][0-9]{0,2}")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_JSON_MEDIA_TYPE = re.compile(r"application/(?:[!#$&^_.+\-0-9a-z]+\+)?json\s*(?:;.*)?", re.I)


class UnsafeURLError(ValueError):
    """A URL the agent will not send to (or a prefix it will not accept from the host)."""


@dataclass(frozen=True)
class NormalisedURL:
    """An http(s) URL in the one form the allow-list compares and the agent sends.

    ``host`` is lower-case ASCII (IDNA/punycode), without a trailing dot, an IPv6 address in
    brackets; ``port`` is the effective port (the scheme's default filled in); ``path``
    starts with ``/``, has its dot segments resolved and uniform percent-encoding
    (unreserved characters decoded, other escapes in upper case, everything else encoded).
    """

    scheme: str
    host: str
    port: int
    path: str
    query: str | None = None

    @property
    def segments(self) -> tuple[str, ...]:
        """The path's segments: ``/a/b/`` is ``("a", "b", "")``."""
        return tuple(self.path.split("/")[1:])

    def __str__(self) -> str:
        port = "" if DEFAULT_PORTS[self.scheme] == self.port else f":{self.port}"
        query = f"?{self.query}" if self.query else ""
        return f"{self.scheme}://{self.host}{port}{self.path}{query}"


def normalise_url(url: str) -> NormalisedURL:
    """``url`` in normalised form, or :class:`UnsafeURLError` saying what makes it unsafe.

    Refused outright rather than repaired: a scheme other than http/https, userinfo
    (``user@``, ``user:pw@``: it has been used to make a URL look like it names another
    host), backslashes, whitespace and control characters (parsers disagree on them),
    fragments (never sent), malformed percent-escapes, an encoded ``/``, ``\\`` or ``%``
    in the path, a path that is not UTF-8 once decoded (overlong encodings of ``.``), a dot
    segment with a path parameter (``..;x``, which some servers resolve as ``..``), and
    IPv4 addresses written other than as four decimal numbers (``127.1``, ``0x7f.0.0.1``).
    """
    if not isinstance(url, str) or not url:
        raise UnsafeURLError("the URL is empty")
    for ch in url:
        if ch == "\\":
            raise UnsafeURLError(f"URL {url!r} contains a backslash")
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp"):
            raise UnsafeURLError(
                f"URL {url!r} contains whitespace or a control character (U+{ord(ch):04X})"
            )
    match = _URL.fullmatch(url)
    if match is None:
        raise UnsafeURLError(f"URL {url!r} is not an absolute http:// or https:// URL")
    scheme = match["scheme"].lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeURLError(f"URL {url!r}: scheme {scheme!r} is not http or https")
    rest = match["rest"]
    if "#" in rest:
        raise UnsafeURLError(f"URL {url!r} has a fragment, which is never sent; remove it")
    rest, question, query_text = rest.partition("?")
    slash = rest.find("/")
    authority, path_text = (rest, "") if slash < 0 else (rest[:slash], rest[slash:])
    host, port = _authority(authority, scheme, url)
    path = _path(path_text or "/", url)
    query = _query(query_text, url) if question and query_text else None
    normal = NormalisedURL(scheme, host, port, path, query)
    _same_for_httpx(normal, url)
    return normal


def _authority(authority: str, scheme: str, url: str) -> tuple[str, int]:
    if "@" in authority:
        raise UnsafeURLError(f"URL {url!r} has userinfo (user@ or user:password@)")
    if "%" in authority:
        raise UnsafeURLError(f"URL {url!r}: a percent-encoded host or port is not accepted")
    if authority.startswith("["):
        literal, bracket, after = authority[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            raise UnsafeURLError(f"URL {url!r}: malformed IPv6 address")
        try:
            address = ipaddress.IPv6Address(literal)
        except ValueError as exc:
            raise UnsafeURLError(f"URL {url!r}: bad IPv6 address: {exc}") from exc
        host = f"[{address.compressed}]"
        has_port, port_text = bool(after), after[1:]
    else:
        raw_host, colon, port_text = authority.partition(":")
        host, has_port = _host(raw_host, url), bool(colon)
    if not has_port:
        return host, DEFAULT_PORTS[scheme]
    if not (port_text.isascii() and port_text.isdigit() and 0 < int(port_text) < 65536):
        raise UnsafeURLError(f"URL {url!r}: port {port_text!r} is not a number 1-65535")
    return host, int(port_text)


def _host(raw: str, url: str) -> str:
    """A host name in lower-case ASCII without a trailing dot, or an IPv4 address."""
    if not raw:
        raise UnsafeURLError(f"URL {url!r} has no host")
    if not raw.isascii():
        try:
            raw = idna.encode(raw, uts46=True).decode("ascii")
        except UnicodeError as exc:  # idna.IDNAError and its kin
            raise UnsafeURLError(
                f"URL {url!r}: host {raw!r} is not a valid IDNA name: {exc}"
            ) from exc
    host = raw.lower()
    if host.endswith("."):  # the same host in DNS; only the dotless form is compared or sent
        host = host[:-1]
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise UnsafeURLError(f"URL {url!r}: {raw!r} is not a valid host name")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        # What resolvers read as an IPv4 address: only the canonical dotted quad is accepted,
        # so that one address has one spelling for the allow-list.
        if len(labels) != 4 or not all(_DECIMAL_OCTET.fullmatch(p) for p in labels):
            raise UnsafeURLError(
                f"URL {url!r}: write the IPv4 address as four decimal numbers (a.b.c.d)"
            )
        if any(int(p) > 255 for p in labels):
            raise UnsafeURLError(f"URL {url!r}: {raw!r} is not an IPv4 address")
    return host


def _escapes(text: str, allowed: frozenset[int], url: str) -> list[int | str]:
    """``text`` as a list of bytes (from escapes and literal characters, ints) where each
    literal character allowed to stand unencoded is kept as a one-character str."""
    out: list[int | str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":
            hex_digits = text[i + 1 : i + 3]
            if len(hex_digits) != 2 or not set(hex_digits) <= _HEX:
                raise UnsafeURLError(f"URL {url!r}: malformed percent-escape at {text[i:]!r}")
            out.append(int(hex_digits, 16))
            i += 3
            continue
        if ch.isascii() and ord(ch) in allowed:
            out.append(ch)
        else:
            out.extend(ch.encode("utf-8"))
        i += 1
    return out


def _canonical(items: list[int | str]) -> str:
    """Unreserved bytes as characters, any other byte as an upper-case escape."""
    return "".join(
        item if isinstance(item, str) else (chr(item) if item in _UNRESERVED else f"%{item:02X}")
        for item in items
    )


def _path(text: str, url: str) -> str:
    segments: list[str] = []
    for raw in text.split("/")[1:]:
        items = _escapes(raw, _PATH_CHARS, url)
        encoded = bytes(item for item in items if isinstance(item, int))
        if any(b in _PATH_REFUSED_BYTES for b in encoded):
            raise UnsafeURLError(
                f"URL {url!r}: an encoded '/', '\\', '%' or control character in the path "
                f"({raw!r}) is not accepted: servers disagree on what it means"
            )
        decoded_bytes = b"".join(
            item.encode() if isinstance(item, str) else bytes([item]) for item in items
        )
        try:
            decoded = decoded_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnsafeURLError(
                f"URL {url!r}: path segment {raw!r} is not UTF-8 once decoded"
            ) from exc
        if decoded not in (".", "..") and decoded.split(";", 1)[0] in (".", ".."):
            raise UnsafeURLError(
                f"URL {url!r}: dot segment with a path parameter ({raw!r}) is not accepted"
            )
        segments.append(_canonical(items))
    return "/" + "/".join(_remove_dot_segments(segments))


def _remove_dot_segments(segments: Sequence[str]) -> list[str]:
    """RFC 3986 section 5.2.4 on a segment list (``..`` above the root stays at the root)."""
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    return out


def _query(text: str, url: str) -> str:
    """The query with uniform escapes; it takes no part in the allow-list."""
    return "".join(
        item if isinstance(item, str) else f"%{item:02X}"
        for item in _escapes(text, _QUERY_CHARS, url)
    )


def _same_for_httpx(normal: NormalisedURL, url: str) -> None:
    """Make sure httpx reads the normalised URL as it is, so that what is sent is what was
    checked (a guard against a difference between the two parsers this module missed)."""
    text = str(normal)
    try:
        reread = str(httpx.URL(text))
    except httpx.InvalidURL as exc:
        raise UnsafeURLError(f"URL {url!r} is not usable: {exc}") from exc
    if reread != text:
        raise UnsafeURLError(f"URL {url!r} does not have one unambiguous reading")


@dataclass(frozen=True)
class URLPrefix:
    """An allowed URL prefix from the host: same scheme, host and effective port, and a path
    that is the prefix's path or below it, segment by segment (``/api`` covers ``/api`` and
    ``/api/x`` but not ``/apix``; a trailing slash on the prefix makes no difference)."""

    text: str
    url: NormalisedURL

    @classmethod
    def parse(cls, text: str) -> URLPrefix:
        """The host's prefix ``text``; a ValueError if it has userinfo, a query or a fragment
        (none of which an allow-list entry can mean) or is not a safe http(s) URL."""
        if not isinstance(text, str):
            raise UnsafeURLError(f"allowed URL prefix {text!r} is not a string")
        if "?" in text:
            raise UnsafeURLError(f"allowed URL prefix {text!r} has a query; remove it")
        try:
            url = normalise_url(text)
        except UnsafeURLError as exc:
            raise UnsafeURLError(f"allowed URL prefix refused: {exc}") from exc
        return cls(text, url)

    @property
    def segments(self) -> tuple[str, ...]:
        segments = self.url.segments
        return segments[:-1] if segments and segments[-1] == "" else segments

    def covers(self, url: NormalisedURL) -> bool:
        """Whether normalised ``url`` is under this prefix (its query plays no part)."""
        mine = self.url
        if (url.scheme, url.host, url.port) != (mine.scheme, mine.host, mine.port):
            return False
        prefix = self.segments
        return url.segments[: len(prefix)] == prefix


def allowed_url(url: str, prefixes: Sequence[URLPrefix]) -> str:
    """The normalised form of ``url`` to send, if it is under one of ``prefixes``; else a
    ValueError naming the URL and the prefixes."""
    normal = normalise_url(url)
    if not any(prefix.covers(normal) for prefix in prefixes):
        raise UnsafeURLError(
            f"URL {url!r} (normalised {str(normal)!r}) is outside the allowed prefixes "
            f"{[p.text for p in prefixes]}"
        )
    return str(normal)


# -- headers ----------------------------------------------------------------------------------

DEFAULT_DEFINITION_HEADERS: tuple[str, ...] = (
    "Accept",
    "Accept-Language",
    "Content-Type",
    "X-Request-Id",
)
"""The headers a definition may set unless the host says otherwise: content negotiation and
a correlation id, nothing that carries credentials or changes where or how a request goes."""

NEVER_FROM_DEFINITIONS: frozenset[str] = frozenset(
    {
        # hop-by-hop and framing: they change how the request is delimited or routed
        "connection",
        "content-length",
        "expect",
        "host",
        "keep-alive",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        # credentials: only the host sends them
        "authorization",
        "cookie",
        # the agent's own, which makes retries recognisable
        "idempotency-key",
        # who the client is, which services behind proxies trust
        "forwarded",
        "x-real-ip",
    }
)
"""Header names (lower case) a definition can never set, whatever the host allows; names
starting with ``proxy-`` or ``x-forwarded-`` are refused too. The host sends such headers
itself, through ``headers=``."""

_NEVER_PREFIXES = ("proxy-", "x-forwarded-")


def never_from_definitions(name: str) -> bool:
    """Whether header ``name`` is one a definition may never set (see above)."""
    lower = name.lower()
    return lower in NEVER_FROM_DEFINITIONS or lower.startswith(_NEVER_PREFIXES)


def check_header(name: str, value: str) -> None:
    """A ValueError unless ``name`` is an HTTP token and ``value`` printable ASCII: a CR or
    LF in either would let a value start a header (or a request) of its own."""
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        raise ValueError(f"{name!r} is not a valid HTTP header name")
    if not isinstance(value, str):
        raise ValueError(f"header {name!r}: value {value!r} is not text")
    if any(not (ch == "\t" or " " <= ch <= "~") for ch in value):
        raise ValueError(f"header {name!r}: the value must be printable ASCII")


def definition_header_policy(allowed: Iterable[str] | None) -> frozenset[str]:
    """The lower-case names of the headers definitions may set, from the host's list
    (``None``: :data:`DEFAULT_DEFINITION_HEADERS`); a ValueError when the host lists one a
    definition may never set, so that a mistaken configuration fails where it is written."""
    names = DEFAULT_DEFINITION_HEADERS if allowed is None else allowed
    if isinstance(names, str):
        names = [names]
    policy: set[str] = set()
    for name in names:
        check_header(name, "")
        if never_from_definitions(name):
            raise ValueError(
                f"header {name!r} can never be set by a definition (hop-by-hop, framing, "
                "credential or client-identity header); send it from the host with headers="
            )
        policy.add(name.lower())
    return frozenset(policy)


def checked_definition_headers(
    given: Mapping[str, str], policy: frozenset[str], *, listed: Iterable[str]
) -> dict[str, str]:
    """The headers a definition asked for, checked against ``policy``: a ValueError naming a
    refused header and how the host allows it (``listed`` names the current allow-list)."""
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for name, value in given.items():
        check_header(name, value)
        lower = name.lower()
        if never_from_definitions(name):
            raise ValueError(
                f"header {name!r} may not be set by a definition (hop-by-hop, framing, "
                "credential or client-identity header); only the host sends it, through "
                "http_agent_factory(headers=...)"
            )
        if lower not in policy:
            allowed = ", ".join(sorted(listed)) or "none"
            raise ValueError(
                f"header {name!r} is not one a definition may set (allowed: {allowed}); the "
                "host allows it with http_agent_factory(definition_headers=[...])"
            )
        if lower in seen:
            raise ValueError(f"header {name!r} is given twice (also as {seen[lower]!r})")
        if lower == "content-type" and not _JSON_MEDIA_TYPE.fullmatch(value):
            raise ValueError(
                f"header {name!r}: the body is JSON, so the media type must be "
                f"application/json or application/...+json, not {value!r}"
            )
        seen[lower] = name
        out[name] = value
    return out


def merge_headers(*layers: Mapping[str, str]) -> dict[str, str]:
    """One header per name, compared case-insensitively; a later layer wins (and its
    spelling of the name is the one sent)."""
    merged: dict[str, tuple[str, str]] = {}
    for layer in layers:
        for name, value in layer.items():
            merged[name.lower()] = (name, value)
    return dict(merged.values())

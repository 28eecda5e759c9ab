"""The proxies the host's environment names, for the HTTP agent's and the webhook notifier's
clients (one reading of those variables for both).

httpx reads ``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY`` and ``NO_PROXY`` only for a client
made without a transport of its own, and the agent gives its client one (the pool whose
connections the whole-request deadline watches: :func:`~.http_deadline.watched_transport`).
So the agent's calls went straight to the service on a host that can reach the outside only
through a proxy, while the webhook notifier's (a plain httpx client) went through it; the
notifier now gives its client a transport too and reads the proxies here, where httpx's own
reading made every delivery fail on a ``NO_PROXY`` entry it cannot parse (``[::1]``).
:func:`environment_mounts` turns what the environment says into httpx's ``mounts``: a proxied
transport per scheme (its connections bounded by the deadline through httpcore's ``trace``
hook, as for any transport), and no proxy for the hosts ``NO_PROXY`` names, read as curl reads
it (the rules httpx follows too): ``*`` turns proxies off, ``example.com`` covers it and its
subdomains, ``.example.com`` its subdomains only, an IP address or ``localhost`` itself, and an
entry with a scheme (``http://internal``) that scheme and host.

Read through :func:`urllib.request.getproxies`, as httpx does, so the two agree on every
platform (on Windows and macOS it falls back on the system's settings).
"""

from __future__ import annotations

import ipaddress
from urllib.request import getproxies

import httpx

from wfengine.errors import PermanentApplicationError

#: the schemes whose proxy the environment may name, most specific first
_SCHEMES = ("http", "https", "all")


def environment_mounts() -> dict[str, httpx.HTTPTransport | None]:
    """httpx ``mounts`` for the environment's proxies: a pattern such as ``"https://"`` to a
    transport through its proxy, and each ``NO_PROXY`` host's pattern to None (the client's
    own transport). Empty when no proxy is named, or when ``NO_PROXY`` is ``*``. A proxy that
    is no URL httpx can use (a port that is no number, a scheme such as ``ftp``) is a
    :class:`~wfengine.errors.PermanentApplicationError` naming the variable, never its value
    (which may hold a password); so is a ``NO_PROXY`` entry that is no host."""
    found = getproxies()
    proxies = _named(found)
    if not proxies:
        return {}
    bypass = [host.strip() for host in found.get("no", "").split(",") if host.strip()]
    if "*" in bypass:
        return {}
    patterns = [_bypass_checked(host) for host in bypass]  # (before any transport is made)
    mounts: dict[str, httpx.HTTPTransport | None] = {}
    for scheme, url in proxies.items():
        try:
            mounts[f"{scheme}://"] = httpx.HTTPTransport(
                proxy=url if "://" in url else f"http://{url}"
            )
        except (httpx.InvalidURL, ValueError) as exc:  # (its text may quote the URL: not kept)
            for made in mounts.values():
                if made is not None:
                    made.close()
            raise PermanentApplicationError(
                f"{scheme.upper()}_PROXY in the environment names no proxy httpx can use "
                f"({type(exc).__name__}): give it as http://host:port, or unset it"
            ) from None
    mounts.update(dict.fromkeys(patterns))
    return mounts


def _named(found: dict[str, str]) -> dict[str, str]:
    """The proxy URL of each scheme :func:`urllib.request.getproxies` found one for."""
    return {scheme: found[scheme] for scheme in _SCHEMES if found.get(scheme)}


def _bypass_checked(host: str) -> str:
    """:func:`bypass_pattern` of a ``NO_PROXY`` entry httpx can read as a host; a
    :class:`~wfengine.errors.PermanentApplicationError` naming any other (``::1]:80``), where
    httpx's raw ``InvalidURL`` escaped the agent's call."""
    pattern = bypass_pattern(host)
    try:
        httpx.URL(pattern)
    except httpx.InvalidURL:
        raise PermanentApplicationError(
            f"NO_PROXY in the environment names {host!r}, which is no host: give hosts, "
            "domains or addresses, separated by commas"
        ) from None
    return pattern


def bypass_pattern(host: str) -> str:
    """The httpx mount pattern of one ``NO_PROXY`` entry (curl's reading; see the module doc)."""
    if "://" in host:
        return host
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        if host.lower() == "localhost":
            return "all://localhost"
        return f"all://*{host}"  # "example.com": it and "*.example.com"; ".example.com": below
    return f"all://[{address}]" if address.version == 6 else f"all://{address}"


def proxy_urls() -> list[str]:
    """The proxy URLs the environment names, as written: failures must not quote them (a
    proxy's URL may carry its credentials), so the agent removes them from what it reports."""
    return list(_named(getproxies()).values())

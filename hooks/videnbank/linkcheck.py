"""The external-link check (``videnbank links``): every http(s) address in the content, requested
once, following redirects by hand.

The checker runs in CI on addresses anyone can write into a story, so it requests only public
addresses: the host name is resolved once, every address it has must be public unicast, and the
connection goes to the address checked (no second lookup can answer otherwise). A redirect is
checked the same way before it is followed; a refused one is reported without naming where it
pointed.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import re
import socket
import ssl
import urllib.parse
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .load import load_bank
from .words import plural

_MD_LINK = re.compile(r"\]\((https?://[^)\s]+)\)|<(https?://[^>\s]+)>")


@dataclass(frozen=True)
class LinkResult:
    url: str
    where: tuple[str, ...]
    status: str
    ok: bool


def external_links(root: Path) -> dict[str, list[str]]:
    """Every external address in stories, principles, methods and docs: url -> files."""
    bank = load_bank(root)
    found: dict[str, list[str]] = {}

    def add(url: str, where: str) -> None:
        places = found.setdefault(url, [])
        if where not in places:
            places.append(where)

    for story in bank.stories:
        for link in story.meta.links:
            add(link.url, story.path)
        web = story.meta.contact.web
        if web and web.startswith(("http://", "https://")):
            add(web, story.path)
    entries: list[tuple[str, str]] = [(e.path, e.body) for e in bank.stories]
    entries += [(e.path, e.body) for e in bank.principles]
    entries += [(e.path, e.body) for e in bank.methods]
    for path, text in entries:
        for url in _body_links(text):
            add(url, path)
    docs = root / "docs"
    for page in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        for url in _body_links(page.read_text(encoding="utf-8")):
            add(url, page.relative_to(root).as_posix())
    return found


def _body_links(text: str) -> Iterable[str]:
    for match in _MD_LINK.finditer(text):
        yield match.group(1) or match.group(2)


_REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
_USER_AGENT = "videnbank-linktjek/1.0"


class _Refused(Exception):
    """A link or a redirect the checker does not request (the reason names no address)."""


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Only public unicast addresses: never loopback, private, link-local, shared, reserved."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _vet(url: str) -> tuple[urllib.parse.SplitResult, int, str]:
    """The parts of ``url``, its port and the one address to connect to; _Refused if it is not allowed.

    The host name is resolved here and the connection goes to the address checked, so a
    second lookup cannot give another answer. Every address the name has must be public.
    """
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise _Refused("ikke en webadresse (kun http og https)")
    host = parts.hostname
    if not host:
        raise _Refused("adressen har intet værtsnavn")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise _Refused("ugyldig port") from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _Refused("navnet findes ikke") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses or not all(address_allowed(a) for a in addresses):
        raise _Refused("ikke en offentlig adresse")
    return parts, port, str(addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address checked beforehand, with the URL's host name in ``Host``."""

    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self.ip, self.port), self.timeout)


class _PinnedHTTPS(_PinnedHTTP):
    default_port = 443

    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, ip, timeout)
        self.context = ssl.create_default_context()

    def connect(self) -> None:
        super().connect()
        self.sock = self.context.wrap_socket(self.sock, server_hostname=self.host)


def _request(method: str, url: str, timeout: float) -> tuple[int, str | None]:
    """One request, no redirect followed: (status, Location)."""
    parts, port, ip = _vet(url)
    kind = _PinnedHTTPS if parts.scheme.lower() == "https" else _PinnedHTTP
    connection = kind(parts.hostname or "", port, ip, timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, target, headers={"User-Agent": _USER_AGENT})
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def _no_connection(error: Exception) -> str:
    # Only the kind of failure: an error text can name an address.
    if isinstance(error, TimeoutError):
        return "ingen forbindelse (intet svar i tide)"
    if isinstance(error, ssl.SSLError):
        return "ingen forbindelse (certifikatet er ikke i orden)"
    if isinstance(error, ConnectionRefusedError):
        return "ingen forbindelse (afvist)"
    return "ingen forbindelse"


def check_url(url: str, timeout: float) -> tuple[bool, str]:
    """Whether ``url`` answers, and a short status. Redirects are followed by hand, at most
    MAX_REDIRECTS, and each hop is checked first: only http(s) to public addresses. A hop that
    is refused is reported without naming where it pointed."""
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        status: int | None = None
        location: str | None = None
        for method in ("HEAD", "GET"):
            try:
                status, location = _request(method, current, timeout)
            except _Refused as e:
                if hop == 0:
                    return False, f"ikke tjekket: {e}"
                return False, f"omdirigerer til en adresse, der ikke tjekkes: {e}"
            except (OSError, http.client.HTTPException) as e:
                return False, _no_connection(e)
            if method == "HEAD" and status in {403, 405, 501}:
                continue
            break
        assert status is not None
        if status in _REDIRECTS and location:
            current = urllib.parse.urljoin(current, location.strip())
            continue
        if status >= 400:
            # Too many requests says nothing about the link itself.
            return status == 429, str(status)
        return True, str(status)
    return False, f"mere end {MAX_REDIRECTS} omdirigeringer"


def link_report(broken: list[LinkResult], checked: int) -> str:
    lines = [
        f"Linktjekket fandt {plural(len(broken), 'link', 'links')}, der ikke virker, ud af {checked} "
        f"({dt.date.today().isoformat()}).",
        "",
        "| Link | Svar | Hvor |",
        "| --- | --- | --- |",
    ]
    for result in broken:
        lines.append(f"| {result.url} | {result.status} | {', '.join(result.where)} |")
    lines += ["", "Ret eller fjern linkene i filerne. Tjekket kører hver uge."]
    return "\n".join(lines) + "\n"


def check_all(found: dict[str, list[str]], timeout: float, workers: int = 8) -> list[LinkResult]:
    """Every address in ``found`` (url -> files) checked, in parallel, sorted by address."""

    def one(item: tuple[str, list[str]]) -> LinkResult:
        ok, status = check_url(item[0], timeout)
        return LinkResult(item[0], tuple(item[1]), status, ok)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, sorted(found.items())))

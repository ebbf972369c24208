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
from typing import Any

from .council import COUNCIL_FILE
from .source import Source, load_yaml, read_source, read_text
from .words import plural

# In Markdown text: inline links and images, autolinks, and reference definitions.
_MD_LINK = re.compile(
    r"\]\(\s*<?(https?://[^)\s>]+)>?|<(https?://[^>\s]+)>|^ {0,3}\[[^\]]+\]:\s*<?(https?://[^\s>]+)>?",
    re.IGNORECASE | re.MULTILINE,
)
_WEB = re.compile(r"^https?://\S+$", re.IGNORECASE)
CONTENT_FOLDERS = (("stories", True), ("principles", False), ("methods", False), ("docs", True))
"""The folders whose Markdown files are content (and whether their subfolders are too)."""


@dataclass(frozen=True)
class LinkResult:
    url: str
    where: tuple[str, ...]
    status: str
    ok: bool


def external_links(root: Path) -> dict[str, list[str]]:
    """Every external address in every content file: url -> files.

    Read from the files as written, so a file with a problem elsewhere still has its links
    checked: every http(s) value in the front matter (``kilder[].link``, ``links[].url``,
    ``kontakt.web``, whatever field holds one) and every link in the text of the stories,
    principles, methods and the pages in docs/, and every http(s) value in council.yml.
    """
    found: dict[str, list[str]] = {}

    def add(url: str, where: str) -> None:
        places = found.setdefault(url.strip(), [])
        if where not in places:
            places.append(where)

    for folder, recursive in CONTENT_FOLDERS:
        for file in _markdown_files(root / folder, recursive):
            shown = file.relative_to(root).as_posix()
            src = read_source(file, shown, front_matter_optional=folder == "docs")
            for url in _values(src.data):
                add(url, shown)
            for url in _body_links(src.body):
                add(url, shown)
    council = root / COUNCIL_FILE
    if council.is_file() and not council.is_symlink():
        src = Source(COUNCIL_FILE)
        text = read_text(src, council)
        parsed = load_yaml(src, text, 1, "fil") if text is not None else None
        for url in _values(parsed[1] if parsed else None):
            add(url, COUNCIL_FILE)
    return found


def _markdown_files(folder: Path, recursive: bool) -> list[Path]:
    """The .md files of a content folder; hidden names and symbolic links are not content (load.py)."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    found: list[Path] = []
    for path in sorted(folder.rglob("*.md") if recursive else folder.glob("*.md")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") for p in parts) or path.is_symlink() or not path.is_file():
            continue
        if any(parent.is_symlink() for parent in path.relative_to(folder).parents if parent != Path(".")):
            continue
        found.append(path)
    return found


def _values(data: Any) -> Iterable[str]:
    """Every text in parsed YAML that is a web address, in order."""
    pending = [data]
    while pending:
        node = pending.pop(0)
        if isinstance(node, str):
            if _WEB.match(node.strip()):
                yield node.strip()
        elif isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


def _body_links(text: str) -> Iterable[str]:
    for match in _MD_LINK.finditer(text):
        yield match.group(1) or match.group(2) or match.group(3)


_REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
_USER_AGENT = "videnbank-linktjek/1.0"


class _Refused(Exception):
    """A link or a redirect the checker does not request (the reason names no address)."""


# IPv6 prefixes whose last 32 bits are an IPv4 address a packet ends up at: IPv4-compatible (::/96,
# deprecated), IPv4-translated (::ffff:0:0:0/96, RFC 2765) and NAT64's well-known prefix (64:ff9b::/96,
# RFC 6052). IPv4-mapped (::ffff:0:0/96) and 6to4 (2002::/16) ipaddress unwraps itself.
_CARRIES_IPV4 = tuple(ipaddress.IPv6Network(n) for n in ("::/96", "::ffff:0:0:0/96", "64:ff9b::/96"))
# NAT64 for local use (RFC 8215): the IPv4 address can sit anywhere and means a local network.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Only addresses ``ipaddress`` calls global (``is_global``), and not multicast: never loopback,
    private, link-local, shared or reserved. An IPv6 address that carries an IPv4 address (mapped,
    compatible, translated, NAT64, 6to4) is judged by the IPv4 address it carries, so ``::7f00:1`` or
    ``2002:7f00:1::`` is the loopback it is; site-local ``fec0::/10`` (deprecated, but ``is_global`` in
    Python 3.11) and local-use NAT64 are refused."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local or ip in _LOCAL_NAT64:
            return False
        carried = ip.ipv4_mapped or ip.sixtofour
        if carried is None and any(ip in prefix for prefix in _CARRIES_IPV4):
            carried = ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
        if carried is not None:
            return address_allowed(carried)
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
    lines += ["", f"Ret eller fjern {'linket' if len(broken) == 1 else 'linkene'} i filerne. Tjekket kører hver uge."]
    return "\n".join(lines) + "\n"


def check_all(found: dict[str, list[str]], timeout: float, workers: int = 8) -> list[LinkResult]:
    """Every address in ``found`` (url -> files) checked, in parallel, sorted by address."""

    def one(item: tuple[str, list[str]]) -> LinkResult:
        ok, status = check_url(item[0], timeout)
        return LinkResult(item[0], tuple(item[1]), status, ok)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, sorted(found.items())))

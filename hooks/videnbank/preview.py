"""The local preview (``./dev serve``, ``videnbank vis``): what it watches, the port it takes,
and a server that answers only its own host names (DNS rebinding).

A web page on another site can point its own host name at 127.0.0.1 (DNS rebinding) and make
the reader's browser send requests to a preview running there, then read the answers: drafts
included. Such a request carries the other site's name in ``Host``, so the preview refuses every
``Host`` that is not its own. Plain WSGI, no MkDocs at import (only ``serve_own_hosts_only``
imports it, when ``videnbank vis`` runs): ``videnbank vis`` uses it, and
:func:`guard` wraps any WSGI server that has ``get_app``/``set_app`` (MkDocs' LiveReloadServer,
e.g. from an ``on_serve`` hook for ``mkdocs serve``).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from . import csp
from .council import COUNCIL_FILE
from .settings import ONLY_ENV

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

# The content outside docs/ that a preview (mkdocs serve) rebuilds on when it changes.
WATCHED = ("stories", "principles", "methods", COUNCIL_FILE)


def watched(root: Path) -> list[Path]:
    return [root / name for name in WATCHED if (root / name).exists()]


def own_hosts(address: str, port: int) -> frozenset[str]:
    """The Host header values the preview answers: its own names with the port, nothing else."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    try:
        ip = ipaddress.ip_address(address)
        names.add(f"[{ip}]" if ip.version == 6 else str(ip))
    except ValueError:
        names.add(address.lower())
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:  # a browser leaves out the default port
        hosts |= names
    return frozenset(hosts)


def foreign_host(environ: WSGIEnvironment, hosts: frozenset[str], start_response: StartResponse) -> list[bytes] | None:
    """The refusal (400 without a Host header, 421 for a foreign one), or None for the preview's own."""
    host = str(environ.get("HTTP_HOST", "")).strip().lower()
    if host in hosts:
        return None
    status = "421 Misdirected Request" if host else "400 Bad Request"
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return ["Forhåndsvisningen svarer kun på sine egne adresser (127.0.0.1, localhost).\n".encode()]


class _WSGIServer(Protocol):
    def get_app(self) -> WSGIApplication | None: ...

    def set_app(self, application: WSGIApplication) -> None: ...


S = TypeVar("S", bound=_WSGIServer)


def guard(server: S, address: str, port: int, root: Path | None = None) -> S:
    """Make ``server`` refuse requests for any host name but its own, and send every page with the
    site's security policy as a header (csp.py: the scripts of the theme and of ``root``'s
    overrides/, and MkDocs' live-reload call); returns it. What runs in the preview is then what
    runs on the published site, where the policy is in each page."""
    hosts = own_hosts(address, port)
    app = server.get_app()
    assert app is not None, "the server has no application yet"
    policy = csp.Policy.for_build(root / csp.OVERRIDES if root else None, serving=True)

    def guarded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        refused = foreign_host(environ, hosts, start_response)
        return refused if refused is not None else with_policy_header(app, policy, environ, start_response)

    server.set_app(guarded)
    return server


def with_policy_header(
    app: WSGIApplication, policy: csp.Policy, environ: WSGIEnvironment, start_response: StartResponse
) -> list[bytes]:
    """``app``'s answer, with a Content-Security-Policy header on every HTML page (made from the
    page as served, live-reload script included; a script that is not known gets no hash)."""
    held: list[Any] = []

    def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
        held[:] = [status, headers, exc_info]
        return lambda data: None

    answer = app(environ, hold)
    try:
        body = b"".join(answer)
    finally:
        if hasattr(answer, "close"):
            answer.close()
    status, headers, exc_info = held
    if any(k.lower() == "content-type" and v.lower().startswith("text/html") for k, v in headers):
        value = policy.policy(body.decode("utf-8", "replace"))
        policy.unknown.clear()
        headers = [(k, v) for k, v in headers if k.lower() != "content-security-policy"]
        headers.append(("Content-Security-Policy", value))
    if exc_info is None:
        start_response(status, headers)
    else:
        start_response(status, headers, exc_info)
    return [body]


# `./dev serve` holds 8000; the preview takes it when it is free, else the next free one.
PREVIEW_PORT = 8000


def _port_free(address: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True


def free_port(address: str, wanted: int, tries: int = 20) -> int:
    """``wanted`` if nothing listens there, else the next free port above it, else any free port."""
    for port in range(wanted, wanted + tries):
        if _port_free(address, port):
            return port
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((address, 0))
        return int(probe.getsockname()[1])


class PreviewLog(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.startswith("mkdocs.plugins.videnbank")


def serve_own_hosts_only(address: str, port: int) -> None:
    """Make ``mkdocs serve`` (used by ``vis``) refuse requests for any other host name."""
    from mkdocs.commands import serve as mkdocs_serve
    from mkdocs.livereload import LiveReloadServer

    hosts = own_hosts(address, port)

    class OwnHostsOnly(LiveReloadServer):
        def serve_request(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            refused = foreign_host(environ, hosts, start_response)
            if refused is not None:
                return refused
            served: Iterable[bytes] = super().serve_request(environ, start_response)
            return served

    setattr(mkdocs_serve, "LiveReloadServer", OwnHostsOnly)  # noqa: B010 - a module attribute, patched on purpose


def serve_stories(root: Path, stories: list[Path], address: str, port: int) -> None:
    """``mkdocs serve`` of a site with only ``stories`` (drafts shown), answering only its own host
    names, its log reduced to what concerns the bank. Runs until stopped; OSError if the port is taken."""
    from mkdocs.commands.serve import serve

    serve_own_hosts_only(address, port)
    os.environ[ONLY_ENV] = os.pathsep.join(str(s) for s in stories)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = logging.StreamHandler()
    handler.addFilter(PreviewLog())
    handler.setFormatter(logging.Formatter("%(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    dev_addr = f"{address}:{port}"
    serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr, site_url=f"http://{dev_addr}/")

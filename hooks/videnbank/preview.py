"""The local preview server answers only its own host names (DNS rebinding).

A web page on another site can point its own host name at 127.0.0.1 (DNS rebinding) and make
the reader's browser send requests to a preview running there, then read the answers: drafts
included. Such a request carries the other site's name in ``Host``, so the preview refuses every
``Host`` that is not its own. Plain WSGI, no MkDocs: ``videnbank vis`` uses it, and
:func:`guard` wraps any WSGI server that has ``get_app``/``set_app`` (MkDocs' LiveReloadServer,
e.g. from an ``on_serve`` hook for ``mkdocs serve``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment


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


def guard(server: S, address: str, port: int) -> S:
    """Make ``server`` refuse requests for any host name but its own; returns it."""
    hosts = own_hosts(address, port)
    app = server.get_app()
    assert app is not None, "the server has no application yet"

    def guarded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        refused = foreign_host(environ, hosts, start_response)
        return refused if refused is not None else app(environ, start_response)

    server.set_app(guarded)
    return server

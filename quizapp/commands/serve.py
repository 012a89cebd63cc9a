"""`quizapp serve`: the app in browser tabs, served by textual-serve.

textual-serve runs a shell command per websocket: every tab is its own `quizapp` process on
the same database, as the same learner (the global --bank and --learner are passed on), started
with this interpreter so the tabs run the same install as the server. The database URL goes in
$QUIZAPP_DB, not on the command line: it may hold a password, and textual-serve prints the
command (and `ps` shows it). textual-serve has no login, so only loopback is served unless
--public says the caller has put a proxy or a network in front.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import socket
import sys
from collections.abc import Sequence
from typing import Any

from quizapp.errors import QuizappError

LOCAL_NAMES = ("localhost",)
WILDCARDS = ("", "0.0.0.0", "::")  # every address: the page must name one browsers reach
NO_LOGIN = (
    "quizapp serve: warning: textual-serve has no login: anyone who can reach {url} studies "
    "on this database (for a class, put it behind the institution's proxy)"
)


def is_loopback(host: str) -> bool:
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(args: argparse.Namespace, python: str = sys.executable) -> str:
    """The shell command textual-serve runs per tab. `exec`, so the app is the server's
    own child (no shell left in between) and ends when textual-serve stops it."""
    parts = [python, "-m", "quizapp"]
    for bank in getattr(args, "bank", None) or ():
        parts += ["--bank", bank]
    learner = getattr(args, "learner", None)
    if learner:
        parts += ["--learner", learner]
    return "exec " + shlex.join(parts)


def public_url(host: str, port: int, given: str | None) -> str:
    """What the page's links and websocket point at: textual-serve builds them from this,
    and its own default (http://HOST:PORT) breaks for IPv6 literals and 0.0.0.0."""
    if given:
        if not given.startswith(("http://", "https://")):
            raise QuizappError(f"serve: --public-url {given!r} must start with http:// or https://")
        return given.rstrip("/")
    if host in WILDCARDS:
        host = socket.gethostname()
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def check_listen(host: str, port: int) -> None:
    """Bind and release every address of HOST:PORT now, so a busy port or a bad host is one
    line (textual-serve would print its banner first, then a traceback)."""
    if not 1 <= port <= 65535:
        raise QuizappError(f"serve: --port {port} is not a TCP port (1-65535)")
    try:
        found = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError) as err:
        reason = err.strerror if isinstance(err, socket.gaierror) else str(err)
        raise QuizappError(f"serve: cannot use host {host!r}: {reason}") from None
    for family, kind, proto, _, address in found:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does
            try:
                probe.bind(address)
            except OSError as err:
                raise QuizappError(
                    f"serve: cannot listen on {host}:{port}: {err.strerror or err}"
                ) from None


def app_environment(args: argparse.Namespace) -> dict[str, str]:
    """What the tabs inherit beside the command: --db, as $QUIZAPP_DB."""
    from quizapp.store.files import DB_ENV

    db = getattr(args, "db", None)
    return {DB_ENV: db} if db else {}


def check_args(args: argparse.Namespace) -> str:
    """Refuse what cannot be served (one line each), not once per tab; the URL browsers
    open."""
    host: str = args.host
    if not is_loopback(host) and not args.public:
        raise QuizappError(
            f"serve: {host} is not a loopback address and textual-serve has no login; "
            "add --public to serve it anyway"
        )
    url = public_url(host, args.port, getattr(args, "public_url", None))
    from quizapp.commands.app import check_bank_paths
    from quizapp.store.files import check_sqlite_file, default_url, sqlite_file

    check_bank_paths(list(getattr(args, "bank", None) or ()))
    path = sqlite_file(getattr(args, "db", None) or default_url())
    if path is not None:
        check_sqlite_file(path)
    check_listen(host, args.port)
    return url


def warnings(args: argparse.Namespace, url: str) -> Sequence[str]:
    return [NO_LOGIN.format(url=url)] if args.public else []


def make_server(command: str, host: str, port: int, url: str) -> Any:
    """textual-serve's Server, which also ends the open tabs when it stops: else aiohttp
    waits for every open websocket to close (up to a minute) after Ctrl+C."""
    import asyncio

    from aiohttp import web
    from textual_serve.server import Server

    class TabServer(Server):
        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title="quizapp", public_url=url)
            self.tabs: set[asyncio.Task[Any]] = set()

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            tab = asyncio.current_task()
            assert tab is not None
            self.tabs.add(tab)
            try:
                return await super().handle_websocket(request)
            finally:
                self.tabs.discard(tab)

        async def on_shutdown(self, app: web.Application) -> None:
            for tab in self.tabs:  # its handler stops the tab's app, then closes
                tab.cancel()

    return TabServer()


def run(args: argparse.Namespace) -> int:
    url = check_args(args)
    for line in warnings(args, url):
        print(line, file=sys.stderr)
    os.environ.update(app_environment(args))  # textual-serve copies it for every tab
    server = make_server(app_command(args), args.host, args.port, url)
    try:
        server.serve()
    except OSError as err:  # the port was taken between the check and the bind
        raise QuizappError(f"serve: cannot listen on {args.host}:{args.port}: {err}") from None
    return 0

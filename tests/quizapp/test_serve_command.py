"""`quizapp serve` without a browser: what it refuses, the command each tab runs, the warning.

textual-serve's Server is replaced by a recorder, so nothing is served; the real end-to-end
run is tests/e2e/test_browser_review.py.
"""

from __future__ import annotations

import os
import shlex
import socket
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest
import textual_serve.server

from quizapp.cli import build_parser, main
from quizapp.commands.serve import app_command, app_environment, is_loopback, public_url


class FakeServer:
    made: ClassVar[list[FakeServer]] = []

    def __init__(self, command: str, **kwargs: Any) -> None:
        self.command = command
        self.kwargs = kwargs
        self.served = False
        FakeServer.made.append(self)

    def serve(self) -> None:
        self.served = True


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[FakeServer]:
    FakeServer.made = []
    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    return FakeServer.made


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LocalHost", "::1", "127.0.0.2"])
def test_loopback_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "10.1.2.3", "example.org", "192.0.2.1"])
def test_other_addresses_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "::"])
def test_a_public_address_without_public_is_refused_in_one_line(
    host: str, fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--host", host, "--port", str(free_port())]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--public" in err and "no login" in err
    assert fake_server == []


def test_defaults_are_loopback_port_8000() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.public) == ("127.0.0.1", 8000, False)


def test_each_tab_runs_this_python_with_the_global_options_quoted(tmp_path: Path) -> None:
    bank = tmp_path / "my banks" / "deck one.toml"
    db = "postgresql+psycopg://ann:s3cret;rm -rf x@127.0.0.1:5432/class"
    argv = ["--bank", str(bank), "--bank", "b.toml", "--learner", "o'brien $USER"]
    args = build_parser().parse_args(["--db", db, *argv, "serve"])
    command = app_command(args)
    words = shlex.split(command)
    assert words[:4] == ["exec", sys.executable, "-m", "quizapp"]
    assert words[4:] == argv
    # what the tab parses is what the server was given
    child = build_parser().parse_args(words[4:])
    assert (child.bank, child.learner) == ([str(bank), "b.toml"], "o'brien $USER")
    assert child.command is None  # the app itself, not serve again
    # the URL (and its password) is not printed with the command: the tabs inherit it
    assert "s3cret" not in command
    assert app_environment(args) == {"QUIZAPP_DB": db}


def test_without_global_options_the_tab_gets_none() -> None:
    args = build_parser().parse_args(["serve"])
    assert app_environment(args) == {}
    assert shlex.split(app_command(args, python="/opt/py thon")) == [
        "exec",
        "/opt/py thon",
        "-m",
        "quizapp",
    ]


def test_serves_loopback_quietly(
    tmp_path: Path,
    fake_server: list[FakeServer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = free_port()
    db = f"sqlite:///{tmp_path / 'p.db'}"
    monkeypatch.setenv("QUIZAPP_DB", "sqlite:///other.db")  # so it is restored: run() sets it
    assert main(["--db", db, "--learner", "ann", "serve", "--port", str(port)]) == 0
    assert os.environ["QUIZAPP_DB"] == db
    (server,) = fake_server
    assert server.served
    assert server.kwargs["host"] == "127.0.0.1" and server.kwargs["port"] == port
    assert server.kwargs["public_url"] == f"http://127.0.0.1:{port}"
    assert shlex.split(server.command)[-2:] == ["--learner", "ann"]
    assert "no login" not in capsys.readouterr().err


def test_public_prints_the_no_login_warning(
    fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    url = "https://quiz.example.edu/app"
    assert main(["serve", "--host", "0.0.0.0", "--port", str(port), "--public",
                 "--public-url", url]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "warning" in err and "no login" in err and "proxy" in err and url in err
    assert fake_server[0].kwargs["public_url"] == url


def test_public_url_brackets_ipv6_and_needs_a_scheme() -> None:
    assert public_url("::1", 8000, None) == "http://[::1]:8000"
    assert public_url("127.0.0.1", 9, "https://x.example/quiz/") == "https://x.example/quiz"
    with pytest.raises(Exception, match="must start with http"):
        public_url("127.0.0.1", 9, "x.example")


def test_a_port_in_use_is_one_line(
    fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"cannot listen on 127.0.0.1:{port}" in err
    assert fake_server == []


@pytest.mark.parametrize(
    ("host", "says"),
    [
        ("x" * 64 + ".example", "cannot use host"),  # refused before any lookup (label too long)
        ("192.0.2.1", "cannot listen on 192.0.2.1"),  # TEST-NET: not an address of this machine
    ],
)
def test_a_bad_host_is_one_line(
    host: str, says: str, fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--host", host, "--public", "--port", str(free_port())]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err
    assert fake_server == []


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_port_out_of_range_is_one_line(
    port: str, fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--port", port]) == 2
    assert "is not a TCP port" in capsys.readouterr().err
    assert fake_server == []


def test_a_missing_bank_is_refused_before_serving(
    tmp_path: Path, fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.toml"
    assert main(["--bank", str(missing), "serve", "--port", str(free_port())]) == 2
    assert "no such bank" in capsys.readouterr().err
    assert fake_server == []


def test_a_broken_sqlite_file_is_refused_before_serving(
    tmp_path: Path, fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "p.db"
    broken.write_bytes(b"not a database at all, " * 100)
    assert main(["--db", f"sqlite:///{broken}", "serve", "--port", str(free_port())]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "p.db" in err
    assert fake_server == []

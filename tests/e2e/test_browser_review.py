"""End to end in a real browser: `quizapp serve`, Debian's headless Chromium driven by
Playwright, a card reviewed with the keyboard, then the review row found in the database;
then Ctrl+C stops the server and the tab's app with it.

The terminal is drawn on a canvas, so what the app shows is read from the websocket itself:
an init script keeps the bytes the page receives, and the test waits for text in them (with
the escape sequences stripped) instead of sleeping. Requests to anything but the server are
aborted (the page links a web font): the test never touches the network.

Skipped without /usr/bin/chromium (or Playwright), unless $QUIZAPP_TEST_REQUIRE_BROWSER=1
(.ci/run sets it): then that is a failure.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REQUIRE_ENV = "QUIZAPP_TEST_REQUIRE_BROWSER"
TIMEOUT_S = 60.0
LEARNER = "e2e"
SCREENSHOT = Path("/tmp/quizapp-e2e-review.png")

# Keeps every byte the app's websocket delivers, decoded; `__quizapp.text(from)` is what
# arrived since `from` with the terminal's escape sequences (colours, cursor moves) removed.
CAPTURE_SCRIPT = r"""
(() => {
  const seen = { raw: "" };
  const decoder = new TextDecoder();
  seen.text = (from) => seen.raw.slice(from)
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, "")
    .replace(/\x1b\[[0-?]*[ -\/]*[@-~]/g, "")
    .replace(/\x1b[()][0-9A-Za-z]|\x1b[=>78]/g, "");
  window.__quizapp = seen;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") {
          seen.raw += decoder.decode(new Uint8Array(event.data), { stream: true });
        }
      });
    }
  };
})();
"""


@pytest.fixture
def sync_api() -> Any:
    """Playwright's sync API, or a skip (a failure when the browser is required)."""
    required = os.environ.get(REQUIRE_ENV) == "1"
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is not installed (apt-get install chromium)"
    else:
        try:
            from playwright import sync_api
        except ImportError:
            missing = "playwright is not installed (pip install '.[test]')"
    if missing is not None:
        if required:
            pytest.fail(f"${REQUIRE_ENV}=1 but {missing}")
        pytest.skip(missing)
    return sync_api


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A running `quizapp serve` and where its output and database are."""

    process: subprocess.Popen[bytes]
    url: str
    db: Path
    stdout: Path
    stderr: Path

    def output(self) -> str:
        """The server's stderr, and the end of its stdout (requests; a tab's app that fails
        has its stderr copied there by textual-serve)."""
        err = self.stderr.read_text(errors="replace")
        out = self.stdout.read_text(errors="replace")[-4000:]
        return f"--- server stderr ---\n{err}\n--- server stdout (end) ---\n{out}"


def wait_for(what: str, check: Callable[[], Any], served: Served) -> Any:
    """check()'s first truthy value within TIMEOUT_S; else fail saying what did not happen."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            pytest.fail(
                f"the server exited ({served.process.returncode}) while waiting for "
                f"{what}\n{served.output()}"
            )
        value = check()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"no {what} within {TIMEOUT_S:.0f} s\n{served.output()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """The server and the apps it started share a process group: end them all."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    port = free_port()
    db = tmp_path / "progress.db"
    env = {k: v for k, v in os.environ.items() if k not in ("QUIZAPP_DB", "QUIZAPP_LEARNER")}
    env["QUIZAPP_HOME"] = str(tmp_path / "home")
    argv = [sys.executable, "-m", "quizapp", "--db", f"sqlite:///{db}", "--learner", LEARNER]
    argv += ["serve", "--port", str(port)]
    stdout, stderr = tmp_path / "serve.out", tmp_path / "serve.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            argv,
            env=env,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Served(process, f"http://127.0.0.1:{port}/", db, stdout, stderr)
    try:
        wait_for(f"server listening on port {port}", lambda: listening(port), server)
        yield server
    finally:
        stop(process)


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def review_rows(db: Path) -> list[tuple[int, str]]:
    """(grade, card kind) of the learner's reviews; [] until the app has made the tables."""
    if not db.exists():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return list(
                conn.execute(
                    "SELECT r.grade, c.kind FROM review_log r JOIN cards c ON c.id = r.card_id"
                    " WHERE r.learner = ?",
                    (LEARNER,),
                )
            )
    except sqlite3.OperationalError:  # not migrated yet, or busy for a moment
        return []


def child_processes(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task").iterdir()
    return [int(child) for task in tasks for child in (task / "children").read_text().split()]


def local_only(route: Any) -> None:
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


def test_a_card_reviewed_in_the_browser_is_saved_and_ctrl_c_ends_the_tab(
    sync_api: Any, served: Served
) -> None:
    """sync_api first: without a browser the test skips before the server starts."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.route("**/*", local_only)
            page.add_init_script(CAPTURE_SCRIPT)
            page.goto(served.url, timeout=TIMEOUT_S * 1000)

            def since(mark: int) -> str:
                return str(page.evaluate("m => window.__quizapp.text(m)", mark))

            def received() -> int:
                return int(page.evaluate("() => window.__quizapp.raw.length"))

            def shows(text: str, mark: int = 0) -> Callable[[], bool]:
                return lambda: text in since(mark)

            try:
                wait_for("dashboard ('due today')", shows("due today"), served)
                page.locator(".xterm-helper-textarea").focus()  # keys go to the terminal

                mark = received()
                page.keyboard.press("r")
                kind = wait_for(
                    "review card after pressing r",
                    lambda: re.search(r"(\w+) · new", since(mark)),
                    served,
                ).group(1)
                assert kind in ("flashcard", "cloze"), (
                    f"the first new card is a {kind}: this test reveals and grades a flashcard"
                )

                mark = received()
                page.keyboard.press("Space")
                wait_for("grade buttons after pressing space", shows("Good", mark), served)
                page.keyboard.press("3")
                rows = wait_for(
                    f"review_log row for learner {LEARNER!r}",
                    lambda: review_rows(served.db),
                    served,
                )
            finally:
                page.screenshot(path=str(SCREENSHOT))
            assert rows == [(3, kind)], rows

            # Ctrl+C with the tab still open: the server stops its app and exits, promptly
            tabs = child_processes(served.process.pid)
            assert len(tabs) == 1, f"one tab, one app process: {tabs}"
            served.process.send_signal(signal.SIGINT)
            try:
                code = served.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pytest.fail(f"the server did not stop within 15 s of Ctrl+C\n{served.output()}")
            assert code == 0, served.output()
            assert not [pid for pid in tabs if Path(f"/proc/{pid}").exists()], "app left running"
        finally:
            browser.close()

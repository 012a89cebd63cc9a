"""Memory of one `quizapp serve` session: the server, and the app process it starts per tab.

    .venv/bin/python bench/serve_memory.py [--db URL] [--learner NAME] [--json]

Starts `quizapp serve` on a free loopback port (a throw-away SQLite file and QUIZAPP_HOME
unless --db is given), opens the page in Debian's headless Chromium (Playwright), and reads
VmRSS and VmHWM (peak) from /proc/<pid>/status of the server and of the tab's app process
(textual-serve `exec`s it as the server's child): once the dashboard shows, then after one
card is revealed and graded Good. The browser is not counted: it is the learner's.

Prints a line per moment, or JSON with --json (for bench/class.py):
{"dashboard": {"server_kib", "app_kib", "app_peak_kib"}, "after_review": {...}}
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
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
TIMEOUT_S = 60.0
# what the page's websocket delivers, kept and readable without escape sequences
CAPTURE = r"""
(() => {
  const seen = { raw: "" };
  const decoder = new TextDecoder();
  seen.text = (from) => seen.raw.slice(from)
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, "")
    .replace(/\x1b\[[0-?]*[ -\/]*[@-~]/g, "");
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


def status_kib(pid: int, field: str) -> int:
    """A `VmRSS:`-style line of /proc/<pid>/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def measure(server: int) -> dict[str, int]:
    (app,) = children(server)  # one tab: one app process
    return {
        "server_kib": status_kib(server, "VmRSS"),
        "app_kib": status_kib(app, "VmRSS"),
        "app_peak_kib": status_kib(app, "VmHWM"),
    }


def wait_for(what: str, check: Callable[[], Any], process: subprocess.Popen[bytes]) -> Any:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"serve_memory: the server exited while waiting for {what}")
        value = check()
        if value:
            return value
        time.sleep(0.2)
    sys.exit(f"serve_memory: no {what} within {TIMEOUT_S:.0f} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_session(db: str, learner: str, home: str) -> dict[str, dict[str, int]]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = dict(os.environ, QUIZAPP_HOME=home)
    argv = [sys.executable, "-m", "quizapp", "--db", db, "--learner", learner]
    process = subprocess.Popen(
        [*argv, "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    figures: dict[str, dict[str, int]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.route(
                "**/*",
                lambda r: (
                    r.continue_() if urlsplit(r.request.url).hostname == "127.0.0.1" else r.abort()
                ),
            )
            page.add_init_script(CAPTURE)
            wait_for("server", lambda: up(port), process)
            page.goto(f"http://127.0.0.1:{port}/")

            def shows(text: str, mark: int = 0) -> Callable[[], bool]:
                return lambda: text in page.evaluate("m => window.__quizapp.text(m)", mark)

            def received() -> int:
                return int(page.evaluate("() => window.__quizapp.raw.length"))

            wait_for("dashboard", shows("due today"), process)
            time.sleep(1)  # the dashboard's worker settles
            figures["dashboard"] = measure(process.pid)
            page.locator(".xterm-helper-textarea").focus()
            for key, after in (("r", " · new"), ("Space", "Good"), ("3", "1 done")):
                mark = received()
                page.keyboard.press(key)
                wait_for(f"{after!r} after {key}", shows(after, mark), process)
            time.sleep(1)
            figures["after_review"] = measure(process.pid)
            browser.close()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    return figures


def up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", metavar="URL", help="default: a throw-away SQLite file")
    parser.add_argument("--learner", default="bench", metavar="NAME")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizapp-serve-mem-") as tmp:
        db = args.db or f"sqlite:///{tmp}/progress.db"
        figures = run_session(db, args.learner, tmp)
    if args.json:
        print(json.dumps(figures))
        return
    for moment, f in figures.items():
        server, app, peak = (f[k] / 1024 for k in ("server_kib", "app_kib", "app_peak_kib"))
        print(
            f"{moment:<13} server {server:6.1f} MiB   app {app:6.1f} MiB (peak {peak:.1f})"
            f"   session {server + app:.1f} MiB"
        )


if __name__ == "__main__":
    main()

"""Start-up and next-card latency of the quizapp TUI, against a bare Textual app.

    .venv/bin/python bench/startup.py [--runs 7] [--cards 30]

First frame: each run starts a fresh Python process on a pseudo-terminal (80x24), exactly as
`quizapp --db URL` would run, and stops the clock when Textual reports its first frame
(the `Ready` event, posted after the first screen refresh). The bare app (a Label and a
Footer) is timed the same way, interleaved run by run so machine load hits both alike.

Next card: in-process with Textual's Pilot on a throw-away database: reveal a card, press
`3` (Good), and time until the next card has been painted (the screen records the moment
after its refresh).

Prints the medians, then one line:
first_frame_s=... bare_textual_s=... ratio=... next_card_ms=...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ holds other scripts (bench/engine.py): never let them shadow the packages
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

# Installed before the app is imported: the base App's Ready handler reports the moment of
# the first frame on the pipe and exits. Handlers are looked up along the MRO, so the app's
# own `on_ready` (which starts its workers) still runs too.
HOOK = """
import os, sys, time
import textual.app as _ta

def _first_frame(self, event):
    os.write(int(os.environ["BENCH_FD"]), repr(time.monotonic()).encode())
    self.exit()

_ta.App.on_ready = _first_frame
"""

QUIZAPP = (
    HOOK
    + """
from quizapp.cli import main
sys.exit(main(["--db", os.environ["BENCH_DB"]]))
"""
)

BARE = (
    HOOK
    + """
from textual.app import App
from textual.widgets import Footer, Label

class Bare(App):
    def compose(self):
        yield Label("Hello")
        yield Footer()

Bare().run()
"""
)


def first_frame_seconds(code: str, env: dict[str, str]) -> float:
    """Seconds from spawning `python -c code` on an 80x24 pty to its first frame."""
    read_fd, write_fd = os.pipe()
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    child_env = {**env, "BENCH_FD": str(write_fd), "TERM": "xterm-256color"}
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=child_env,
        pass_fds=(write_fd,),
        close_fds=True,
    )
    os.close(slave)
    os.close(write_fd)
    stamp = b""
    deadline = start + 60
    try:
        while proc.poll() is None or not stamp:
            ready, _, _ = select.select([master, read_fd], [], [], 0.05)
            if master in ready:
                with contextlib.suppress(OSError):
                    os.read(master, 65536)  # drain the screen so the child never blocks
            if read_fd in ready:
                chunk = os.read(read_fd, 64)
                stamp += chunk
                if not chunk and not stamp:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the app did not show its first frame within 60 s")
            if proc.poll() is not None and not stamp:
                ready, _, _ = select.select([read_fd], [], [], 0.1)
                if not ready:
                    break
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(read_fd)
    if not stamp:
        raise RuntimeError(f"no first frame reported (exit code {proc.returncode})")
    return float(stamp.decode()) - start


async def next_card_latencies(db_url: str, cards: int) -> list[float]:
    """Milliseconds from pressing `3` to the next card painted, for `cards` cards."""
    from quizapp.commands.app import StudyOpener
    from quizapp.tui.app import QuizApp
    from quizapp.tui.screens.review import ReviewScreen

    app = QuizApp(StudyOpener(db_url, ()), seed=1)
    latencies: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        while app.settings is None:
            await pilot.pause(0.05)
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        while screen.card is None or screen.busy:
            await pilot.pause(0.01)
        for _ in range(cards):
            card = screen.card
            if card is None or card.is_skill:
                break
            await pilot.press("space")
            start = time.perf_counter()
            await pilot.press("3")
            while screen.busy or screen.painted_at < start:
                await asyncio.sleep(0.0005)
            latencies.append((screen.painted_at - start) * 1000)
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="process starts per app (>= 5)")
    parser.add_argument("--cards", type=int, default=30, help="cards graded for next-card")
    args = parser.parse_args()
    runs = max(5, args.runs)

    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        home = Path(tmp)
        db = f"sqlite:///{home / 'progress.db'}"
        env = {**os.environ, "QUIZAPP_HOME": str(home), "BENCH_DB": db}
        env.pop("QUIZAPP_DB", None)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))

        # one start of each to create the database and warm the file cache (not counted)
        first_frame_seconds(QUIZAPP, env)
        first_frame_seconds(BARE, env)
        app_times, bare_times = [], []
        for _ in range(runs):
            app_times.append(first_frame_seconds(QUIZAPP, env))
            bare_times.append(first_frame_seconds(BARE, env))

        os.environ["QUIZAPP_HOME"] = str(home)
        latencies = asyncio.run(next_card_latencies(f"sqlite:///{home / 'cards.db'}", args.cards))

    first = statistics.median(app_times)
    bare = statistics.median(bare_times)
    card_ms = statistics.median(latencies)
    print(f"quizapp first frame: {', '.join(f'{t:.3f}' for t in app_times)} s")
    print(f"bare Textual:        {', '.join(f'{t:.3f}' for t in bare_times)} s")
    print(
        f"next card ({len(latencies)} grades): median {card_ms:.1f} ms, max {max(latencies):.1f} ms"
    )
    print(
        f"first_frame_s={first:.3f} bare_textual_s={bare:.3f} ratio={first / bare:.2f} "
        f"next_card_ms={card_ms:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

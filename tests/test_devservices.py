"""`make run` (mtss.lib.devservices), docker-compose.yml and the Dockerfile."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import psycopg
import pytest
import yaml
from django.conf import settings

from mtss.lib import devservices

BASE_DIR = Path(__file__).resolve().parent.parent


# --- docker-compose.yml and Dockerfile ---------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def test_it_defines_the_five_production_services(compose):
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("web", "worker", "beat"):
        assert services[name]["build"] == "."
        assert services[name]["env_file"] == [{"path": ".env", "required": False}]
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://mtss:")
        assert env["DATABASE_URL"].endswith("@postgres:5432/mtss")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["DEBUG"] == "0"


def test_it_checks_the_health_of_database_broker_and_web(compose):
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    web_check = services["web"]["healthcheck"]["test"]
    assert web_check[:3] == ["CMD", "python", "-c"]
    assert "http://localhost:8000/healthz" in web_check[3]
    compile(web_check[3], "healthcheck", "exec")  # the one-liner is valid Python


def test_it_starts_services_only_once_what_they_need_is_healthy(compose):
    services = compose["services"]
    healthy = {"condition": "service_healthy"}
    assert services["web"]["depends_on"] == {"postgres": healthy, "redis": healthy}
    for name in ("worker", "beat"):
        # web runs the migrations, so worker and beat wait for it too.
        assert services[name]["depends_on"] == {
            "postgres": healthy,
            "redis": healthy,
            "web": healthy,
        }
    for service in services.values():
        for dependency in service.get("depends_on", {}):
            assert "healthcheck" in services[dependency], dependency


def test_it_keeps_postgres_data_in_a_named_volume(compose):
    assert "postgres-data" in compose["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]


def test_it_migrates_on_web_start_and_schedules_beat_from_the_database(compose):
    web = compose["services"]["web"]["command"]
    assert web.index("manage.py migrate") < web.index("gunicorn mtss.wsgi:application")
    beat = compose["services"]["beat"]["command"]
    assert "beat" in beat
    assert "--scheduler=django_celery_beat.schedulers:DatabaseScheduler" in beat
    assert "worker" in compose["services"]["worker"]["command"]


def test_it_builds_a_slim_image_that_runs_as_a_non_root_user():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert "pip install ." in dockerfile
    assert "collectstatic" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, flags=re.M)
    assert users and users[-1] not in ("root", "0")
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".env", "var"} <= set(ignored)


# --- leases on the embedded servers ------------------------------------------------------------


@pytest.fixture
def leases(tmp_path, monkeypatch):
    monkeypatch.setattr(devservices, "VAR", tmp_path)
    monkeypatch.setattr(devservices, "LEASES", tmp_path / "services.json")


def test_it_stops_an_embedded_server_only_when_its_last_user_leaves(leases):
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        devservices._take_lease("postgres", os.getpid())
        devservices._take_lease("postgres", helper.pid)
        assert devservices._drop_lease("postgres", os.getpid()) is False  # helper still uses it
    finally:
        helper.kill()
        helper.wait()
    # The helper died without giving its lease back (a crashed `make run`): it does not count.
    devservices._take_lease("postgres", os.getpid())
    assert devservices._drop_lease("postgres", os.getpid()) is True


def test_it_keeps_servers_started_for_a_shell_until_stop(leases):
    devservices._take_lease("redis", devservices.KEEP)
    devservices._take_lease("redis", os.getpid())
    assert devservices._drop_lease("redis", os.getpid()) is False


# --- make run, for real ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_params() -> dict[str, str]:
    db = settings.DATABASES["default"]
    params = {
        "host": db.get("OPTIONS", {}).get("host") or db["HOST"],
        "port": str(db["PORT"] or ""),
        "user": db["USER"],
        "password": db["PASSWORD"],
    }
    return {k: v for k, v in params.items() if v}


def _database_url(name: str) -> str:
    p = _server_params()
    auth = urllib.parse.quote(p.get("user", ""), safe="")
    if p.get("password"):
        auth += ":" + urllib.parse.quote(p["password"], safe="")
    host = p.get("host", "")
    if host.startswith("/"):
        return f"postgres://{auth}@/{name}?host={host}"
    port = f":{p['port']}" if p.get("port") else ""
    return f"postgres://{auth}@{host}{port}/{name}"


@pytest.fixture
def run_database(db):
    """A database of its own for `run`, which migrates and seeds it like a fresh machine."""
    name = f"{settings.DATABASES['default']['NAME']}_run"
    with psycopg.connect(dbname="postgres", autocommit=True, **_server_params()) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    yield _database_url(name)
    with psycopg.connect(dbname="postgres", autocommit=True, **_server_params()) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_for(path: Path, text: str, process: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = path.read_text()
        if text in output:
            return output
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear; output:\n{path.read_text()[-3000:]}")


def _log_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/login/", timeout=10) as response:
        assert response.status == 200
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf, "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"}
    )
    with opener.open(request, timeout=10) as response:
        assert response.status == 200
        assert response.url == f"{base}/", "the login did not land on the home page"
    return opener


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_it_serves_the_demo_and_stops_everything_on_ctrl_c(run_database, tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "run.log"
    env = {
        **os.environ,
        "DATABASE_URL": run_database,
        "REDIS_URL": settings.REDIS_URL,
        "PORT": str(port),
        "DEMO_STUDENTS": "300",
    }
    with open(log, "w") as out:
        # Its own process group, like a terminal's foreground job: Ctrl-C signals the group.
        process = subprocess.Popen(
            [sys.executable, "-m", "mtss.lib.devservices", "run"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        output = _wait_for(log, "press Ctrl-C", process, timeout=120)
        assert f"Open {base}/" in output
        assert re.search(r"^\s+teacher\s+Teacher \(grade 3\) at \w+ Elementary", output, re.M)
        assert "demo1234!" in output

        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            assert response.status == 200
        opener = _log_in(base, "teacher", "demo1234!")
        with opener.open(f"{base}/", timeout=10) as response:
            assert response.status == 200
        with urllib.request.urlopen(f"{base}/static/css/app.css", timeout=10) as response:
            assert response.status == 200  # static files are served in this mode

        tree = psutil.Process(process.pid).children(recursive=True)
        commands = [" ".join(p.cmdline()) for p in tree]
        assert any("runserver" in c for c in commands)
        assert any("celery -A mtss worker" in c for c in commands)
        assert any("celery -A mtss beat" in c for c in commands)
        assert len(tree) >= 4  # web, worker, beat and at least one worker pool process

        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=60) == 0
        assert [p.pid for p in tree if _alive(p.pid)] == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_it_says_so_when_the_port_is_taken():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "mtss.lib.devservices", "run"],
            cwd=BASE_DIR,
            env={**os.environ, "PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"port {port} is already in use" in result.stdout

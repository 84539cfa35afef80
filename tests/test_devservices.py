"""`make run` (mtss.lib.devservices), docker-compose.yml and the Dockerfile."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
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
import redis
import yaml
from django.conf import settings

from mtss.lib import progress
from mtss.lib.devservices import commands, embedded_redis, leases, local, paths

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
def var(tmp_path, monkeypatch) -> Path:
    """A checkout's var/ folder of its own (MTSS_VAR_DIR), as if this were another clone."""
    folder = tmp_path / "var"
    monkeypatch.setenv("MTSS_VAR_DIR", str(folder))
    return folder


def test_it_stops_an_embedded_server_only_when_its_last_user_leaves(var):
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        leases.take_lease("postgres", os.getpid())
        leases.take_lease("postgres", helper.pid)
        assert leases.drop_lease("postgres", os.getpid()) is False  # helper still uses it
    finally:
        helper.kill()
        helper.wait()
    # The helper died without giving its lease back (a crashed `make run`): it does not count.
    leases.take_lease("postgres", os.getpid())
    assert leases.drop_lease("postgres", os.getpid()) is True
    assert (var / "services.json").exists()


def test_it_keeps_servers_started_for_a_shell_until_stop(var):
    leases.take_lease("redis", leases.KEEP)
    leases.take_lease("redis", os.getpid())
    assert leases.drop_lease("redis", os.getpid()) is False


# --- ports of its own ---------------------------------------------------------------------------


@contextlib.contextmanager
def _held_port(port: int = 0):
    """Something else listening on `port` (0: any free one); yields the port."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", port))
        busy.listen()
        yield busy.getsockname()[1]


def test_it_picks_the_first_free_port_it_prefers_else_any():
    with _held_port() as taken, _held_port() as also_taken:
        assert paths.pick_port("127.0.0.1", taken, also_taken) not in (taken, also_taken)
        free = _free_port()
        assert paths.pick_port("127.0.0.1", taken, free) == free


def test_it_moves_the_web_server_off_a_taken_port_and_says_so(var, monkeypatch, capsys):
    monkeypatch.delenv("PORT", raising=False)
    with _held_port() as taken:
        monkeypatch.setattr(commands, "WEB_PORTS", [taken])
        port = commands._web_port("127.0.0.1")
    assert port != taken
    assert f"port {taken} is taken" in capsys.readouterr().out
    # The port it ran on last time comes first, when free.
    paths.record_port("web", port)
    assert commands._web_port("127.0.0.1") == port
    assert json.loads((var / "ports.json").read_text()) == {"web": port}


def _redis_answers(port: int) -> bool:
    try:
        return redis.Redis(port=port, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def test_each_checkout_runs_its_own_redis_and_stops_only_its_own(tmp_path, monkeypatch):
    urls = {}
    try:
        for name in ("a", "b"):
            monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / name))
            urls[name] = embedded_redis.embedded_redis_url()
        ports = {name: int(url.split(":")[2].split("/")[0]) for name, url in urls.items()}
        assert ports["a"] != ports["b"]  # b did not reuse a's Redis
        for name in ("a", "b"):
            recorded = json.loads((tmp_path / name / "ports.json").read_text())
            assert recorded == {"redis": ports[name]}
        # a again: its own Redis, found through var/ports.json and its data folder.
        monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / "a"))
        assert embedded_redis.embedded_redis_url() == urls["a"]
        embedded_redis.stop_embedded_redis()
        assert not _redis_answers(ports["a"])
        assert _redis_answers(ports["b"])
    finally:
        for name in ("a", "b"):
            monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / name))
            embedded_redis.stop_embedded_redis()


def test_it_never_takes_over_a_redis_it_did_not_start(var, monkeypatch):
    with _held_port() as taken:
        # Something answers on the port this checkout recorded: not ours, so a new one.
        paths.record_port("redis", taken)
        try:
            url = embedded_redis.embedded_redis_url()
            assert f":{taken}/" not in url
        finally:
            embedded_redis.stop_embedded_redis()


# --- rooms on localhost's shared servers --------------------------------------------------------


@pytest.fixture
def local_redis():
    if not paths.port_open(local.HOST, local.REDIS_PORT):
        pytest.skip("no Redis on localhost:6379")


def test_two_checkouts_get_two_redis_databases_and_leave_them_empty(
    local_redis, tmp_path, monkeypatch
):
    monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / "a"))
    a, a_claimed = local.claim_redis_db(os.getpid())
    monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / "b"))
    b, b_claimed = local.claim_redis_db(os.getpid())
    try:
        assert a_claimed and b_claimed and a != b and 0 not in (a, b)
        redis.Redis(port=local.REDIS_PORT, db=b).set("left-behind", 1)
        assert local.claim_redis_db(os.getpid()) == (b, True)  # same checkout: same number
        local.release_redis_db(b, os.getpid())
        assert redis.Redis(port=local.REDIS_PORT, db=b).dbsize() == 0
        # a's claim is not b's to give back.
        local.release_redis_db(a, os.getpid())
        assert redis.Redis(port=local.REDIS_PORT, db=a).exists(local.CLAIM_KEY)
    finally:
        monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / "a"))
        local.release_redis_db(a, os.getpid())
        local.release_redis_db(b, os.getpid())


def test_a_claim_whose_runs_all_died_is_taken_over(local_redis, tmp_path, monkeypatch):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / "crashed"))
    number, claimed = local.claim_redis_db(dead.pid)
    assert claimed
    client = redis.Redis(port=local.REDIS_PORT, db=number)
    client.set("left-behind", 1)  # what the crashed run left in its database
    monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / "next"))
    monkeypatch.setattr(local, "_candidates", lambda count: [number])
    try:
        assert local.claim_redis_db(os.getpid()) == (number, True)
        assert not client.exists("left-behind")
    finally:
        local.release_redis_db(number, os.getpid())
    assert client.dbsize() == 0


def test_each_checkout_tests_in_a_database_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / "a"))
    a = local.local_database_url("postgres")
    monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / "b"))
    b = local.local_database_url("postgres")
    assert a != b
    assert re.fullmatch(r"postgres://postgres@127\.0\.0\.1:5432/mtss_\w+_[0-9a-f]{6}", a)
    assert len(a.rsplit("/", 1)[1]) + len("test_") <= 63  # PostgreSQL's name limit


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


def _start_run(log: Path, **env: str) -> subprocess.Popen:
    with open(log, "w") as out:
        # Its own process group, like a terminal's foreground job: Ctrl-C signals the group.
        return subprocess.Popen(
            [sys.executable, "-m", "mtss.lib.devservices", "run"],
            cwd=BASE_DIR,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _check_the_demo_is_served(base: str, output: str) -> None:
    assert f"Open {base}/" in output
    assert re.search(r"^\s+teacher\s+Teacher \(grade 3\) at \w+ Elementary", output, re.M)
    assert "demo1234!" in output
    opener = _log_in(base, "teacher", "demo1234!")
    with opener.open(f"{base}/", timeout=10) as response:
        assert response.status == 200
    with urllib.request.urlopen(f"{base}/static/css/app.css", timeout=10) as response:
        assert response.status == 200  # static files are served in this mode


def _check_the_processes(pid: int) -> list[psutil.Process]:
    tree = psutil.Process(pid).children(recursive=True)
    lines = [" ".join(p.cmdline()) for p in tree]
    assert any("runserver" in c for c in lines)
    assert any(re.search(r"celery -A mtss .*worker", c) for c in lines)
    assert any(re.search(r"celery -A mtss .*beat", c) for c in lines)
    assert len(tree) >= 4  # web, worker, beat and at least one worker pool process
    return tree


def test_two_checkouts_run_side_by_side_and_stop_apart(run_database, tmp_path, monkeypatch):
    """Two `make run` of two checkouts (two var/ folders) with nothing set but the database:
    each serves the demo with its own Redis and web port; Ctrl-C in one stops all of its
    processes and its Redis, and leaves the other running."""
    for name in ("PORT", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    runs: dict[str, subprocess.Popen] = {}
    found: dict[str, dict[str, int]] = {}
    try:
        for name in ("a", "b"):  # b starts once a is up: a holds its ports by then
            log = tmp_path / f"{name}.log"
            runs[name] = process = _start_run(
                log,
                MTSS_VAR_DIR=str(tmp_path / name),
                DATABASE_URL=run_database,
                DEMO_STUDENTS="300",
            )
            output = _wait_for(log, "press Ctrl-C", process, timeout=180)
            uses = re.search(
                r"this checkout uses .*Redis on port (\d+), web on [\d.]+:(\d+)", output
            )
            assert uses, output
            found[name] = {"redis": int(uses[1]), "web": int(uses[2])}
            assert json.loads((tmp_path / name / "ports.json").read_text()) == found[name]
            base = f"http://127.0.0.1:{found[name]['web']}"
            assert f"running at {base}/" in output
            # The URL is printed once the app answers, never before (runserver's banner).
            assert "Starting development server" not in output
            if name == "a":
                _check_the_demo_is_served(base, output)
                tree = _check_the_processes(process.pid)
        assert found["a"]["redis"] != found["b"]["redis"]
        assert found["a"]["web"] != found["b"]["web"]
        for name in ("a", "b"):
            assert _answers(f"http://127.0.0.1:{found[name]['web']}/healthz")

        os.killpg(runs["a"].pid, signal.SIGINT)
        assert runs["a"].wait(timeout=60) == 0
        assert [p.pid for p in tree if _alive(p.pid)] == []
        assert not _redis_answers(found["a"]["redis"])
        assert _redis_answers(found["b"]["redis"])
        assert _answers(f"http://127.0.0.1:{found['b']['web']}/healthz")
        assert runs["b"].poll() is None
    finally:
        for process in runs.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        for name in ("a", "b"):
            monkeypatch.setenv("MTSS_VAR_DIR", str(tmp_path / name))
            embedded_redis.stop_embedded_redis()


def test_the_progress_bar_redraws_one_line_on_a_terminal():
    assert progress.bar_line(3, 12, "auth") == f"  [{'#' * 6}{'-' * 18}] 3/12 auth"
    written: list[str] = []
    bar = progress.ProgressBar(written.append, in_place=True)
    bar.show(0, 2, "first")
    bar.show(1, 2, "second")
    assert all(text.startswith("\r") and "\n" not in text for text in written)
    bar.show(2, 2, "done")
    assert written[-1] == "\n"  # the finished bar keeps its line
    bar.end()
    assert written.count("\n") == 1

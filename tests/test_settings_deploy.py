"""Production settings, checked in a fresh process with only what a deployer would set."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or "localhost"
    port = db["PORT"] or "5432"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def production_env(**extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "0",
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
    return {**env, **extra}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_without_a_single_warning():
    env = production_env(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="mtss.example.org")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = run(["manage.py", "check"], production_env(ALLOWED_HOSTS="mtss.example.org"))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


PROBE = """
import django, json
django.setup()
from django.test import Client
client = Client(HTTP_HOST="mtss.example.org")
answers = {path: client.get(path).status_code for path in ("/healthz", "/api/v1/students/")}
print(json.dumps(answers))
"""


@pytest.mark.django_db
def test_it_redirects_plain_http_to_https_except_the_health_probe():
    env = production_env(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="mtss.example.org",
        DJANGO_SETTINGS_MODULE="mtss.settings",
    )
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == '{"/healthz": 200, "/api/v1/students/": 301}'

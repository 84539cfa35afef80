"""State-scale settings, checked in a fresh process as a deployer would start one
(docs/state-scale.md): Django's PostgreSQL connection pool and Celery queues per task kind."""

from __future__ import annotations

import textwrap

from tests.test_settings_deploy import production_env, run

CODE = textwrap.dedent(
    """
    import django
    django.setup()
    from django.db import connection
    from django.conf import settings
    pool = connection.pool
    print("pool", None if pool is None else (pool.min_size, pool.max_size, pool.timeout))
    print("conn_max_age", settings.DATABASES["default"]["CONN_MAX_AGE"])
    print("server_side", settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        print("query", cursor.fetchone()[0])
    pids = []
    for _ in range(3):  # with a pool, close() hands the connection back instead
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
        connection.close()
    print("backends", len(set(pids)))
    """
)


def env(**extra: str) -> dict[str, str]:
    return production_env(
        DJANGO_SETTINGS_MODULE="mtss.settings",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="mtss.example.org",
        **extra,
    )


def test_it_pools_connections_when_a_pool_size_is_set(db):
    result = run(
        ["-c", CODE],
        env(DATABASE_POOL_MAX_SIZE="3", CONN_MAX_AGE="60", DATABASE_POOL_TIMEOUT="2.5"),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "pool (1, 3, 2.5)" in lines
    # Django refuses a pool beside persistent connections; the pool wins.
    assert "conn_max_age 0" in lines
    assert "query 1" in lines
    # One connection at most per process: the same PostgreSQL backend serves all three.
    single = run(["-c", CODE], env(DATABASE_POOL_MAX_SIZE="1"))
    assert single.returncode == 0, single.stderr
    assert "backends 1" in single.stdout.splitlines()


def test_it_opens_plain_connections_by_default(db):
    result = run(["-c", CODE], env(DATABASE_DISABLE_SERVER_SIDE_CURSORS="true"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "pool None" in lines
    assert "server_side True" in lines
    assert "backends 3" in lines  # a new connection (a new backend) each time


ROUTES = textwrap.dedent(
    """
    import django
    django.setup()
    from mtss.celery import app
    for name in ("decisions.tasks.sweep_district", "decisions.tasks.sweep_school",
                 "students.tasks.import_job_run", "students.tasks.outbox_dispatch",
                 "decisions.tasks.sweep_all_districts"):
        print(name, app.amqp.router.route({}, name)["queue"].name)
    """
)


def test_queues_by_kind_send_sweeps_and_imports_to_their_own_queues(db):
    result = run(["-c", ROUTES], env(CELERY_QUEUES_BY_KIND="true"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "decisions.tasks.sweep_district sweeps",
        "decisions.tasks.sweep_school sweeps",
        "students.tasks.import_job_run imports",
        "students.tasks.outbox_dispatch celery",
        "decisions.tasks.sweep_all_districts celery",
    ]
    default = run(["-c", ROUTES], env())
    assert default.returncode == 0, default.stderr
    assert all(line.endswith(" celery") for line in default.stdout.splitlines())

"""This checkout's embedded PostgreSQL (the pgserver wheel, PostgreSQL 16).

Data in var/pgdata; it listens on a Unix socket in that folder only (no TCP port), so it never
collides with a system PostgreSQL or another checkout's."""

from __future__ import annotations

import os
import warnings

from mtss.lib.devservices.paths import pgdata, say, shown

DB_NAME = "mtss"
PG_SYSTEM_USER = "pgserver"


def _pgserver():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, containers); harmless.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver

    return pgserver


def pg_system_user() -> str | None:
    # PostgreSQL refuses to run as root, so pgserver runs it as the system user "pgserver"
    # when we are root (and creates that user the first time).
    return PG_SYSTEM_USER if os.geteuid() == 0 else None


def _explain_system_user() -> None:
    import pwd

    if pg_system_user() is None:
        return
    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        say(
            f"running as root: PostgreSQL will not run as root, so the embedded one runs as a "
            f"system user '{PG_SYSTEM_USER}', created now (remove it later with "
            f"`userdel {PG_SYSTEM_USER}`)"
        )


def postmaster():
    """This checkout's running postmaster, or None: a postmaster.pid whose process is gone,
    or whose pid now belongs to another program, or that names another data folder, is not."""
    from pgserver.utils import PostmasterInfo

    folder = pgdata()
    info = PostmasterInfo.read_from_pgdata(folder) if folder.exists() else None
    if info is None or not info.is_running():
        return None
    if "postgres" not in (info.process.name() or ""):
        return None
    if info.pgdata.resolve() != folder:
        return None
    return info


def embedded_postgres_url() -> str:
    """Start (or reuse) this checkout's PostgreSQL; a URL for its `mtss` database."""
    pgserver = _pgserver()
    folder = pgdata()
    folder.parent.mkdir(parents=True, exist_ok=True)
    if postmaster() is not None:
        say(f"reusing this checkout's PostgreSQL ({shown(folder)}, already running)")
    elif (folder / "PG_VERSION").exists():
        say(f"starting the embedded PostgreSQL ({shown(folder)}, Unix socket, no TCP port)")
    else:
        _explain_system_user()
        say(f"creating the embedded PostgreSQL in {shown(folder)} (first run: a few seconds)")
    # cleanup_mode=None: pgserver must not stop the server at exit; our leases decide.
    server = pgserver.get_server(str(folder), cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    url = f"postgres://postgres@/{DB_NAME}?host={socket_dir}"
    ensure_database(url)
    return url


def stop_embedded_postgres() -> None:
    if postmaster() is None:
        return
    say("stopping the embedded PostgreSQL")
    pgserver = _pgserver()
    pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata(), user=pg_system_user())


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

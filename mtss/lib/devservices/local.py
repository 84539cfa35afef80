"""The PostgreSQL and Redis on localhost's default ports, shared by every checkout on the machine.

Each checkout gets its own room on them, so two checkouts' `make test` at the same time never
meet:
- PostgreSQL: a database named after the checkout (`mtss_<folder>_<hash>`; pytest-django
  makes `test_mtss_<folder>_<hash>` beside it);
- Redis: a database number of its own, claimed for the length of the run. A number is free
  when its database is empty and unclaimed; the claim (a hash of the checkout's name and the
  pids using it) lives in that database, so claiming is atomic (one Lua script) and needs no
  file shared between checkouts. The last user of a claim empties the database on its way
  out; a claim whose users all died is taken over (and emptied) by the next run.
"""

from __future__ import annotations

import contextlib

from mtss.lib.devservices.leases import KEEP, alive
from mtss.lib.devservices.paths import checkout_name, port_open, say

HOST = "127.0.0.1"
PG_PORT = 5432
REDIS_PORT = 6379
CLAIM_KEY = "mtss:devservices:claim"

# KEYS[1] the claim; ARGV[1] our checkout, ARGV[2] our holder. 1 = ours now, 0 = someone's.
_CLAIM = """
local owner = redis.call('HGET', KEYS[1], 'checkout')
if owner == ARGV[1] or (not owner and redis.call('DBSIZE') == 0) then
  redis.call('HSET', KEYS[1], 'checkout', ARGV[1], 'holder:' .. ARGV[2], 1)
  return 1
end
return 0
"""
# KEYS[1] the claim; ARGV[1] our checkout, ARGV[2] our holder. Empties the database when we
# were the last user of our claim.
_RELEASE = """
if redis.call('HGET', KEYS[1], 'checkout') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'holder:' .. ARGV[2])
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, 7) == 'holder:' then return 0 end
end
redis.call('FLUSHDB')
return 1
"""


def local_database_url(user: str) -> str:
    return f"postgres://{user}@{HOST}:{PG_PORT}/mtss_{checkout_name()}"


def _client(db: int):
    import redis

    return redis.Redis(host=HOST, port=REDIS_PORT, db=db, socket_timeout=5)


def _database_count() -> int:
    import redis

    try:
        return int(_client(0).config_get("databases").get("databases", 16))
    except redis.RedisError:  # CONFIG may be disabled; 16 is Redis's default
        return 16


def _candidates(count: int) -> list[int]:
    """Every number but 0 (what a bare redis:// URL uses), highest first: people who pick a
    number by hand (REDIS_URL=redis://localhost:6379/1) usually pick low ones."""
    return list(range(count - 1, 0, -1))


def _abandoned(client) -> bool:
    """A claim whose holders are all dead processes (a crashed run); KEEP never dies."""
    if not client.exists(CLAIM_KEY):
        return False
    fields = [f.decode() for f in client.hkeys(CLAIM_KEY)]
    holders = [f.removeprefix("holder:") for f in fields if f.startswith("holder:")]
    return all(h.isdigit() and not alive(int(h)) for h in holders)


def claim_redis_db(holder: int | str) -> tuple[int, bool]:
    """A Redis database number on localhost:6379 for this checkout's run, and whether it is
    claimed (False: every number is in use and we share one; nothing to give back)."""
    name = checkout_name()
    numbers = _candidates(_database_count())
    for number in numbers:
        if _client(number).eval(_CLAIM, 1, CLAIM_KEY, name, str(holder)):
            return number, True
    for number in numbers:
        client = _client(number)
        if _abandoned(client):
            client.flushdb()
            if client.eval(_CLAIM, 1, CLAIM_KEY, name, str(holder)):
                return number, True
    number = numbers[0]
    say(f"every Redis database on port {REDIS_PORT} is in use; sharing number {number}")
    return number, False


def release_redis_db(number: int, holder: int | str) -> None:
    import redis

    # The server went away: nothing left to give back.
    with contextlib.suppress(redis.RedisError):
        _client(number).eval(_RELEASE, 1, CLAIM_KEY, checkout_name(), str(holder))


def release_kept_redis_dbs() -> None:
    """`stop`: give back the claims `env` kept (holder KEEP) for this checkout."""
    import redis

    if not port_open(HOST, REDIS_PORT):
        return
    try:
        for number in _candidates(_database_count()):
            _client(number).eval(_RELEASE, 1, CLAIM_KEY, checkout_name(), KEEP)
    except redis.RedisError:
        pass

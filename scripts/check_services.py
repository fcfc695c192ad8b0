"""Before the suite: are PostgreSQL and Redis reachable? If not, say how to start them."""

import os
import sys

import psycopg
import redis

database_url = os.environ["DATABASE_URL"]
redis_url = os.environ["REDIS_URL"]
problems = []

try:
    psycopg.connect(database_url, connect_timeout=3).close()
except Exception as error:  # noqa: BLE001
    problems.append(
        f"PostgreSQL is not reachable at {database_url}: {error}\n"
        "  Start it:  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
        "  or point TEST_DATABASE_URL at another server (postgres://user@host:port/dbname)."
    )

try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
except Exception as error:  # noqa: BLE001
    problems.append(
        f"Redis is not reachable at {redis_url}: {error}\n"
        "  Start it:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no\n"
        "  or point TEST_REDIS_URL / TEST_BROKER_URL at another server."
    )

if problems:
    print("make test needs the real PostgreSQL and Redis.\n" + "\n".join(problems), file=sys.stderr)
    sys.exit(1)
print("PostgreSQL and Redis are reachable.")

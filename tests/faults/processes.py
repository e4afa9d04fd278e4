"""Real processes for the fault tests: Celery workers, the web server and a private Redis, all on
127.0.0.1. Each one is stopped by its PID (and its children's PIDs) in a fixture finalizer, killed by
the kernel if the test process dies (parent-death signal), and killed after a deadline if a test hangs."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[2]

# Runs in the child: ask the kernel for SIGKILL when the test process goes, then become the command.
# PR_SET_PDEATHSIG is 1; it survives exec, so the command itself carries it.
_LAUNCH = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)\n"
    "os.execvp(sys.argv[1], sys.argv[1:])\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat fields after the command name: [state, ppid, ...]; None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2:].split()


def _children(pid: int) -> list[tuple[int, str]]:
    """Every descendant of `pid` (a prefork pool's children, gunicorn's workers) as (pid, start time), read
    from /proc; the start time tells the same process from a later one that got its PID."""
    parents: dict[int, list[tuple[int, str]]] = {}
    for entry in os.listdir("/proc"):
        fields = _stat(int(entry)) if entry.isdigit() else None
        if fields is not None:
            parents.setdefault(int(fields[1]), []).append((int(entry), fields[19]))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child[0])
    return found


def _signal(processes: list[tuple[int, str]], sig: int) -> None:
    for pid, started in processes:
        fields = _stat(pid)
        if fields is None or fields[19] != started:
            continue  # gone already; the PID may belong to someone else by now
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


class Process:
    """One command started by the test, with its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path, *, ready, lifetime: float = 240):
        self.name, self._ready = name, ready
        self.log_path = log_dir / f"{name}.log"
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-c", _LAUNCH, *argv], env=env, cwd=ROOT,
                                         stdout=log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        self._children_at_stop: list[tuple[int, str]] | None = None
        self._deadline = threading.Timer(lifetime, self.kill)
        self._deadline.daemon = True
        self._deadline.start()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the process and every child it has, at once: nothing gets to clean up."""
        if self.alive():
            children = _children(self.pid)
            self.proc.kill()
            _signal(children, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._deadline.cancel()

    def terminate(self) -> None:
        """Ask it to stop (SIGTERM); `stop` waits for it."""
        if self.alive() and self._children_at_stop is None:
            self._children_at_stop = _children(self.pid)
            self.proc.terminate()

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, then SIGKILL for whatever is still there (children included) after `timeout`."""
        self.terminate()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        if self.alive():
            self.proc.kill()
        _signal(self._children_at_stop or [], signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._deadline.cancel()

    def wait_ready(self, timeout: float = 40) -> Process:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.alive():
            if self._ready(self):
                return self
            time.sleep(0.05)
        raise AssertionError(f"{self.name} did not start:\n{self.log()[-3000:]}")


def _logged(text: str):
    return lambda process: text in process.log()


def database_url(settings_dict: dict, application_name: str) -> str:
    """The test database as a URL for a child process; the application name lets a test find (and
    drop) exactly that process's connections."""
    auth = quote(settings_dict["USER"] or "", safe="")
    if settings_dict.get("PASSWORD"):
        auth += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}?application_name={application_name}"


def app_env(*, settings_dict: dict, application_name: str, broker_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.test", "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(settings_dict, application_name),
        "REDIS_URL": broker_url, "TEST_REDIS_URL": broker_url,
        "CELERY_BROKER_URL": broker_url, "CELERY_RESULT_BACKEND": broker_url,
        "LOG_LEVEL": "INFO",
        **extra,
    })
    return env


def start_worker(name: str, env: dict[str, str], log_dir: Path, *, pool: str = "solo", concurrency: int = 1,
                 queues: str = "", lifetime: float = 240) -> Process:
    """`celery -A config worker`, as deployed, without the cluster chatter (mingle, gossip, heartbeats)
    that only slows a lone worker's start; every queue unless `queues` names some (-Q). Call wait_ready()
    before relying on it."""
    selected = ["-Q", queues] if queues else []
    return Process(name, [sys.executable, "-m", "celery", "-A", "config", "worker", *selected, "-P", pool, "-c",
                          str(concurrency), "-l", "INFO", "-n", f"{name}@127.0.0.1", "--without-mingle",
                          "--without-gossip", "--without-heartbeat"], env, log_dir, ready=_logged(" ready."),
                   lifetime=lifetime)


def _answers_health(url: str):
    def check(process: Process) -> bool:
        target = urlsplit(url)
        try:
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=2)
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False

    return check


def start_web(env: dict[str, str], log_dir: Path, *, server: str = "asgi", workers: int = 2,
              lifetime: float = 240) -> tuple[Process, str]:
    """gunicorn serving the project on loopback: "asgi" is production's (uvicorn workers on config.asgi),
    "wsgi" the sync workers on config.wsgi. Call wait_ready() before use."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = ["config.asgi:application", "-k", "uvicorn_worker.UvicornWorker"] if server == "asgi" else [
        "config.wsgi:application", "-k", "sync"]
    web = Process("web", [sys.executable, "-m", "gunicorn", *app, "--workers", str(workers), "--bind",
                          f"127.0.0.1:{port}", "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning",
                          "--no-control-socket"], env, log_dir, ready=_answers_health(url), lifetime=lifetime)
    return web, url


def _redis_server() -> str:
    """The machine's redis-server rather than the older one a Python wheel may put in the virtualenv."""
    own_bin = (Path(sys.prefix) / "bin").resolve()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(directory) / "redis-server"
        if directory and Path(directory).resolve() != own_bin and os.access(candidate, os.X_OK):
            return str(candidate)
    return "redis-server"


class PrivateRedis:
    """A redis-server of this test's own on a free loopback port, persisted like production's broker (AOF), so
    a restart loses nothing that was acknowledged; or not persisted at all, so a restart loses everything."""

    def __init__(self, log_dir: Path, lifetime: float = 240, persistent: bool = True):
        self.persistent = persistent
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = log_dir / f"redis-{self.port}"
        self.dir.mkdir(exist_ok=True)
        self.log_dir, self.lifetime = log_dir, lifetime
        self.processes: list[Process] = []
        self.process = self._start()

    def _start(self) -> Process:
        process = Process(f"redis-{len(self.processes) + 1}", [
            _redis_server(), "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.dir),
            "--appendonly", "yes" if self.persistent else "no", "--save", "", "--daemonize", "no",
            "--protected-mode", "yes"],
            dict(os.environ), self.log_dir, ready=_logged("Ready to accept connections"), lifetime=self.lifetime)
        self.processes.append(process)
        return process.wait_ready()

    def crash(self) -> None:
        self.process.kill()

    def start_again(self) -> None:
        self.process = self._start()

    def terminate(self) -> None:
        self.process.terminate()

    def stop(self) -> None:
        self.process.stop()


def send_beat(broker_url: str, *task_names: str) -> None:
    """Queue periodic tasks by name, as `celery beat` does when their time comes. The connection is
    given explicitly: Celery would otherwise prefer CELERY_BROKER_URL from this process's environment."""
    from celery import Celery

    sender = Celery("beat", set_as_current=False)
    try:
        with sender.connection_for_write(broker_url) as connection:
            for name in task_names:
                sender.send_task(name, connection=connection)
    finally:
        sender.close()

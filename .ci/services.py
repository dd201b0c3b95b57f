"""Run a command with the database servers the test suite needs (issue 16).

    python .ci/services.py --pg-url URL [--summary FILE] -- COMMAND...

PostgreSQL: the server at URL when one answers there. Otherwise a throw-away server: the
Debian `postgresql` package (installed with apt-get when missing and we are root), `initdb`
into a fresh data directory under var/, `postgres` started on a free port (as the `postgres`
user when we are root: PostgreSQL refuses to run as root), stopped and deleted at the end.
Redis likewise, for the RQ end-to-end test: the server at SERVICELOOP_REDIS_URL (default
redis://127.0.0.1:6379/0), else a throw-away `redis-server` (Debian `redis-server`), else the
test says it was skipped. Why Debian's packages and not a pip-installed server:
docs/adr/0006-test-databases.md.

SERVICELOOP_SKIP_POSTGRES=1 skips the command (never silently: the summary says so).
SERVICELOOP_THROWAWAY_SERVICES=1 uses throw-away servers even when servers answer (to test
this path on a machine that has them). The summary line (which databases ran, and where) is
printed and written to --summary for the closing line of `make test`.

Only the standard library (and psycopg when it is there): this runs before anything else.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def log(message: str) -> None:
    print(f"[services] {message}", flush=True)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def port_open(host: str, port: int, timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_answers(url: str) -> bool:
    parts = urlsplit(url)
    if not port_open(parts.hostname or "127.0.0.1", parts.port or 5432):
        return False
    try:
        import psycopg
    except ImportError:  # the port answers; trust it
        return True
    try:
        psycopg.connect(url, connect_timeout=3).close()
        return True
    except Exception:
        # The server answers but the database may not exist yet: the test runner creates
        # its own databases through the "postgres" maintenance database.
        try:
            psycopg.connect(with_path(url, "postgres"), connect_timeout=3).close()
            return True
        except Exception:
            return False


def with_netloc(url: str, host: str, port: int) -> str:
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{user}{host}:{port}"))


def with_path(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


# --------------------------------------------------------------------------- Debian packages


def dpkg_installed(package: str) -> bool:
    """True when dpkg knows the package as installed ("install ok installed")."""
    if not shutil.which("dpkg"):
        return False
    out = subprocess.run(["dpkg", "-s", package], capture_output=True, text=True)
    return out.returncode == 0 and "Status: install ok installed" in out.stdout


def missing_packages(wanted: dict[str, bool]) -> list[str]:
    """The packages to install: those whose program is not found (the bool) and that dpkg
    does not know as installed (`dpkg -s`, like `make os-packages`)."""
    return [pkg for pkg, have in wanted.items() if not have and not dpkg_installed(pkg)]


def apt_install(packages: list[str]) -> bool:
    """Install Debian packages when we may (root, apt-get); False when we can't."""
    if not (is_root() and shutil.which("apt-get")):
        log(f"please install the Debian packages: {' '.join(packages)}")
        return False
    log(f"installing Debian packages: {' '.join(packages)} (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode == 0:
        return True
    subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
    return subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode == 0


def pg_bindir() -> Path | None:
    """The newest Debian PostgreSQL's bin directory, else the one of `initdb` on PATH."""

    def version(initdb: str) -> int:
        name = Path(initdb).parent.parent.name
        return int(name) if name.isdigit() else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


# --------------------------------------------------------------------------- throw-away servers


class ThrowawayPostgres:
    def __init__(self) -> None:
        self.port = free_port()
        self.datadir: Path | None = None
        self.bindir: Path | None = None
        self.version = ""

    def _as_server_user(self, cmd: list[str]) -> list[str]:
        if not is_root():
            return cmd
        return ["runuser", "-u", "postgres", "--", *cmd]

    def _prepare_dir(self) -> Path:
        base = ROOT / "var"
        base.mkdir(exist_ok=True)
        path = Path(tempfile.mkdtemp(prefix="pg-throwaway-", dir=base))
        if is_root():
            if subprocess.run(["id", "-u", "postgres"], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
            shutil.chown(path, "postgres")
            # The postgres user must reach the folder (a clone under /root would not do).
            if subprocess.run(self._as_server_user(["test", "-w", str(path)])).returncode != 0:
                path.rmdir()
                path = Path(tempfile.mkdtemp(prefix="serviceloop-pg-"))
                shutil.chown(path, "postgres")
        return path

    def start(self) -> str | None:
        self.bindir = pg_bindir()
        if self.bindir is None:
            if missing_packages({"postgresql": False}) and not apt_install(["postgresql"]):
                return None
            self.bindir = pg_bindir()
            if self.bindir is None:
                log("no initdb found although the postgresql package is installed")
                return None
        self.datadir = self._prepare_dir()
        initdb = [str(self.bindir / "initdb"), "-D", str(self.datadir), "-U", "postgres"]
        initdb += ["-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        done = subprocess.run(self._as_server_user(initdb), capture_output=True, text=True)
        if done.returncode != 0:
            log(f"initdb failed: {done.stderr.strip()[-500:]}")
            return None
        # A throw-away cluster: no durability needed, which makes the suite quicker.
        options = (
            f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        start = [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-o", options]
        start += ["-l", str(self.datadir / "server.log"), "-w", "-t", "60", "start"]
        done = subprocess.run(self._as_server_user(start), capture_output=True, text=True)
        if done.returncode != 0:
            log(f"PostgreSQL did not start: {done.stderr.strip()[-500:]}")
            return None
        self.version = self.bindir.parent.name
        log(f"throw-away PostgreSQL {self.version} on 127.0.0.1:{self.port} ({self.datadir})")
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.datadir is None or self.bindir is None:
            return
        stop = [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"]
        subprocess.run(self._as_server_user(stop), capture_output=True)
        shutil.rmtree(self.datadir, ignore_errors=True)
        log("throw-away PostgreSQL stopped and deleted")


class ThrowawayRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.dir: Path | None = None

    def start(self) -> str | None:
        have = shutil.which("redis-server") is not None
        if missing_packages({"redis-server": have}) and not apt_install(["redis-server"]):
            return None
        if not shutil.which("redis-server"):
            return None
        self.dir = Path(tempfile.mkdtemp(prefix="redis-throwaway-", dir=ROOT / "var"))
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        cmd += ["--save", "", "--appendonly", "no", "--dir", str(self.dir)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if port_open("127.0.0.1", self.port, 0.2):
                log(f"throw-away Redis on 127.0.0.1:{self.port}")
                return f"redis://127.0.0.1:{self.port}/0"
            time.sleep(0.1)
        self.stop()
        return None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            log("throw-away Redis stopped")
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------- main


def try_system_cluster() -> None:
    """A Debian cluster that is installed but not running (a container after a restart)."""
    clusters = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if clusters and shutil.which("pg_ctlcluster"):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", clusters[-1], "main", "start"],
            capture_output=True,
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/test")
    parser.add_argument("--summary", type=Path)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    force = os.environ.get("SERVICELOOP_THROWAWAY_SERVICES", "").strip() in {"1", "true", "yes"}
    throwaways: list[ThrowawayPostgres | ThrowawayRedis] = []

    def summary(text: str) -> None:
        log(text)
        if args.summary:
            args.summary.parent.mkdir(parents=True, exist_ok=True)
            args.summary.write_text(text)

    # Stopped by SIGTERM (CI's time limit, a Ctrl-C'd make): still stop the throw-away servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if os.environ.get("SERVICELOOP_SKIP_POSTGRES"):
        summary("PostgreSQL suite SKIPPED (SERVICELOOP_SKIP_POSTGRES is set)")
        return 0
    try:
        pg_url = args.pg_url
        pg_where = f"PostgreSQL at {urlsplit(pg_url).hostname}:{urlsplit(pg_url).port or 5432}"
        if force or not pg_answers(pg_url):
            if not force:
                log(f"no PostgreSQL answers at {urlsplit(pg_url).netloc}; trying to start one")
                try_system_cluster()
            if force or not pg_answers(pg_url):
                pg = ThrowawayPostgres()
                throwaways.append(pg)
                base = pg.start()
                if base is None:
                    summary("PostgreSQL suite FAILED: no PostgreSQL server could be started")
                    return 1
                pg_url = with_path(base, urlsplit(args.pg_url).path.lstrip("/") or "test")
                pg_where = f"throw-away PostgreSQL {pg.version} on port {pg.port}"

        redis_url = os.environ.get("SERVICELOOP_REDIS_URL") or DEFAULT_REDIS_URL
        r = urlsplit(redis_url)
        redis_where = f"Redis at {r.hostname}:{r.port or 6379}"
        if force or not port_open(r.hostname or "127.0.0.1", r.port or 6379):
            redis = ThrowawayRedis()
            throwaways.append(redis)
            started = redis.start()
            if started:
                redis_url, redis_where = started, f"throw-away Redis on port {redis.port}"
            else:
                redis_url, redis_where = "", "no Redis (the RQ end-to-end test is skipped)"

        env = {**os.environ, "SERVICELOOP_DATABASE_URL": pg_url}
        if redis_url:
            env["SERVICELOOP_REDIS_URL"] = redis_url
        else:
            env.pop("SERVICELOOP_REDIS_URL", None)
        log(f"running the suite on {pg_where}, {redis_where}")
        code = subprocess.run(command, env=env).returncode if command else 0
        verdict = "passed" if code == 0 else f"FAILED (exit {code})"
        summary(f"PostgreSQL suite {verdict} on {pg_where}; {redis_where}")
        return code
    finally:
        for server in reversed(throwaways):
            server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

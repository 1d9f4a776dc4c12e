"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl on a unix socket in a temp folder.

Runs the server as the ``postgres`` system user when the tests run as root (PostgreSQL
refuses to run as root). ``start_cluster`` returns None when no server can be started here.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    base = Path("/usr/lib/postgresql")
    for d in sorted(base.glob("*/bin"), reverse=True) if base.is_dir() else []:
        if (d / name).exists():
            return str(d / name)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, base: Path, port: int, prefix: list[str], pg_ctl: str) -> None:
        self.base, self.port, self.prefix, self.pg_ctl = base, port, prefix, pg_ctl
        self.url = f"postgresql://gc@/postgres?host={base}&port={port}"

    def stop(self) -> None:
        subprocess.run(self.prefix + [self.pg_ctl, "-D", str(self.base / "data"), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.base, ignore_errors=True)


def start_cluster() -> Cluster | None:
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        return None
    prefix: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="gc-pg-"))
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            return None
        os.chown(base, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = base / "data"
    r = subprocess.run(prefix + [initdb, "-D", str(data), "-A", "trust", "-U", "gc", "--no-sync"],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        return None
    opts = f"-k {base} -c listen_addresses='' -p {port} -c fsync=off"
    r = subprocess.run(prefix + [pg_ctl, "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w", "start"],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        return None
    return Cluster(base, port, prefix, pg_ctl)

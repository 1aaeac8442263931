"""Run a command with a throwaway PostgreSQL cluster: `with_postgres.py CMD...`.

`make test` uses it so the store's PostgreSQL variants run everywhere. It installs
Debian's `postgresql` package when the server binaries are missing (as root, with
apt-get), starts a cluster in a temporary directory as an unprivileged user (initdb
refuses root), exports SLUICEWAY_TEST_DATABASE_URL for the command, and removes the
cluster afterwards whatever happened. When PostgreSQL cannot be had (no root, no apt),
it says so and runs the command anyway: those tests then skip, loudly.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from debian_packages import install  # scripts/ is sys.path[0] when this file runs

SERVICE_USER = "sluiceway-pg"
ENV_VAR = "SLUICEWAY_TEST_DATABASE_URL"


def _server_bin() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _install() -> Path | None:
    return _server_bin() if install(["postgresql"]) else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_user(argv: list[str]) -> list[str]:
    """The command run as the unprivileged service user when we are root."""
    if os.geteuid() != 0:
        return argv
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SERVICE_USER,
            ],
            check=True,
        )
    return ["runuser", "-u", SERVICE_USER, "--", *argv]


def main(command: list[str]) -> int:
    if os.environ.get(ENV_VAR):
        return subprocess.call(command)
    bin_dir = _server_bin() or _install()
    if bin_dir is None:
        print(
            f"with_postgres: no PostgreSQL server available; {ENV_VAR} unset, PostgreSQL tests will skip",
            file=sys.stderr,
        )
        return subprocess.call(command)
    root = Path(tempfile.mkdtemp(prefix="sluiceway-pg-"))
    data, port = root / "data", _free_port()
    if os.geteuid() == 0:
        _as_user(["true"])  # creates the user
        shutil.chown(root, SERVICE_USER, SERVICE_USER)
    root.chmod(0o700)
    try:
        subprocess.run(
            _as_user(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        )
        subprocess.run(
            _as_user(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(root / "log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        print(f"with_postgres: PostgreSQL from {bin_dir} on port {port}", file=sys.stderr)
        return subprocess.call(command, env={**os.environ, ENV_VAR: url})
    finally:
        subprocess.run(
            _as_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

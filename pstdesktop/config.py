"""Where the data lives and which database to use.

Order: ``PST_DATABASE_URL`` in the environment, then ``database_url`` in ``settings.json`` in the
data folder, then the embedded SQLite file ``pst.sqlite`` in that folder. The data folder is the
user's data folder (platformdirs) unless ``PST_DATA_DIR`` names another one."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pstdesktop import APP_AUTHOR, APP_NAME, faults, pgpass
from pstdesktop.private import private_dir, private_file, tighten

SETTINGS_FILE = "settings.json"
SQLITE_FILE = "pst.sqlite"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    language: str = "id"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve().as_posix()}"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    if env.get("PST_DATA_DIR"):
        data_dir = Path(env["PST_DATA_DIR"])
    else:
        from platformdirs import user_data_path

        data_dir = user_data_path(APP_NAME, APP_AUTHOR)
    faults.data_folder(data_dir)  # created when missing; a Fault when it is a file or cannot be written
    stored = read_settings_file(data_dir)
    url = env.get("PST_DATABASE_URL") or stored.get("database_url") or sqlite_url(data_dir / SQLITE_FILE)
    faults.check_url(url, "PST_DATABASE_URL" if env.get("PST_DATABASE_URL")
                        else f"database_url ({data_dir / SETTINGS_FILE})")
    language = env.get("PST_LANGUAGE") or stored.get("language") or "id"
    secure_data_folder(data_dir)
    return Settings(data_dir=data_dir, database_url=url, language=language if language in ("id", "en") else "id")


def read_settings_file(data_dir: Path) -> dict:
    """settings.json as a dict ({} when absent); a ``Fault`` (a RuntimeError) when it cannot be read, is not
    one JSON object, or holds a ``database_url`` that is not text."""
    file = data_dir / SETTINGS_FILE
    if not file.exists():
        return {}
    try:
        loaded = json.loads(file.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise faults.Fault("settings_unreadable", file=file, reason=faults.why(exc)) from None
    except UnicodeDecodeError:
        raise faults.Fault("settings_text", file=file) from None
    except ValueError as exc:
        raise faults.Fault("settings_json", file=file, line=getattr(exc, "lineno", "?"),
                           column=getattr(exc, "colno", "?")) from None
    if not isinstance(loaded, dict):
        raise faults.Fault("settings_object", file=file)
    if not isinstance(loaded.get("database_url", ""), str | None):
        raise faults.Fault("settings_url_type", file=file)
    return loaded


def write_settings_file(data_dir: Path, **values: str) -> None:
    """Merge ``values`` into settings.json atomically (write a private temporary file, then replace). A
    password in ``database_url`` goes into the pgpass file instead, so settings.json never holds one."""
    current = read_settings_file(data_dir)
    current.update(values)
    if pgpass.has_password(current.get("database_url")):
        current["database_url"] = pgpass.store(current["database_url"])
    file = data_dir / SETTINGS_FILE
    tmp = private_file(file.with_suffix(".tmp"))
    tmp.write_text(json.dumps(current, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, file)


def secure_data_folder(data_dir: Path) -> None:
    """At start: the data folder, settings.json, the SQLite file and the backups made private (older,
    wider modes tightened), and a password still in settings.json moved into pgpass, once."""
    private_dir(data_dir)
    for path in (data_dir / SETTINGS_FILE, *data_dir.glob(f"{SQLITE_FILE}*")):  # -wal, -shm, .replaced-…
        tighten(path)
    backups = data_dir / "backups"
    if backups.is_dir():
        for path in (backups, *backups.iterdir()):
            tighten(path)
    if pgpass.has_password(read_settings_file(data_dir).get("database_url")):
        write_settings_file(data_dir)

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

from platformdirs import user_data_path

from pstdesktop import APP_AUTHOR, APP_NAME

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
    data_dir = Path(env["PST_DATA_DIR"]) if env.get("PST_DATA_DIR") else user_data_path(APP_NAME, APP_AUTHOR)
    data_dir.mkdir(parents=True, exist_ok=True)
    stored = read_settings_file(data_dir)
    url = env.get("PST_DATABASE_URL") or stored.get("database_url") or sqlite_url(data_dir / SQLITE_FILE)
    language = env.get("PST_LANGUAGE") or stored.get("language") or "id"
    return Settings(data_dir=data_dir, database_url=url, language=language if language in ("id", "en") else "id")


def read_settings_file(data_dir: Path) -> dict:
    file = data_dir / SETTINGS_FILE
    if not file.exists():
        return {}
    try:
        loaded = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{file} cannot be read: {exc}") from exc
    return loaded if isinstance(loaded, dict) else {}


def write_settings_file(data_dir: Path, **values: str) -> None:
    """Merge ``values`` into settings.json atomically (write a temporary file, then replace)."""
    current = read_settings_file(data_dir)
    current.update(values)
    file = data_dir / SETTINGS_FILE
    tmp = file.with_suffix(".tmp")
    tmp.write_text(json.dumps(current, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, file)

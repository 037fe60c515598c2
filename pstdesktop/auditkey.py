"""The secret key of the audit chain, kept outside the database.

Where: the operating system's secret store through ``keyring`` (Windows Credential Manager, protected
by DPAPI; macOS Keychain; the Secret Service on a Linux desktop) when a usable backend exists, else the
file ``audit-keys.json`` in the user's configuration folder (platformdirs; 0600 on POSIX), never in the
data folder. ``PST_KEY_DIR`` names another folder for the file (and then the secret store is not used:
tests and portable installations). The anchor files (``pstdesktop.anchors``) live in the same folder.

A store holds several keys by their id (the first 16 hex digits of ``HMAC(key, "pst-audit-key-id")``),
so a PC can verify each database it has ever used; a new database is sealed with the store's default
key. Several PCs sharing one PostgreSQL database share its key: ``pst audit-key export FILE`` on the PC
that sealed it, ``pst audit-key import FILE`` on each other PC (and for each Windows account)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from platformdirs import user_config_path

from pstdesktop import APP_AUTHOR, APP_NAME
from pstdesktop.private import private_dir, private_file, tighten

KEY_BYTES = 32
KEYRING_SERVICE = "PST Desktop audit"
KEYRING_USER = "keys"
KEY_FILE = "audit-keys.json"
EXPORT_HEADER = "PST-AUDIT-KEY 1"


class AuditKeyError(RuntimeError):
    """A key file that cannot be read or used: ``indonesian`` / ``english``."""

    def __init__(self, indonesian: str, english: str) -> None:
        self.indonesian, self.english = indonesian, english
        super().__init__(f"{indonesian} / {english}")


def key_id(key: bytes) -> str:
    return hmac.new(key, b"pst-audit-key-id", hashlib.sha256).hexdigest()[:16]


def folder() -> Path:
    """The folder of the key file and the anchor files (outside the data folder)."""
    given = os.environ.get("PST_KEY_DIR")
    return Path(given) if given else user_config_path(APP_NAME, APP_AUTHOR)


def _keyring():
    """The keyring module when its backend can keep a secret here, else None."""
    if os.environ.get("PST_KEY_DIR"):
        return None
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) < 1:
            return None
        return keyring
    except Exception:  # noqa: BLE001 — any failure of a secret store means: use the file
        return None


def where() -> str:
    """Where the keys are kept, for a person."""
    ring = _keyring()
    if ring is not None and _read_keyring(ring) is not None:
        return f"keyring ({type(ring.get_keyring()).__name__}: {KEYRING_SERVICE})"
    return str(folder() / KEY_FILE)


def _read_keyring(ring) -> dict | None:
    try:
        text = ring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception:  # noqa: BLE001
        return None
    return json.loads(text) if text else None


def _load() -> dict:
    """``{"default": id, "keys": {id: hex}}``, empty when no key was ever made here."""
    file = folder() / KEY_FILE
    if file.exists():
        try:
            return json.loads(tighten(file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise AuditKeyError(f"berkas kunci audit {file} tidak dapat dibaca ({error})",
                            f"the audit key file {file} cannot be read ({error})") from None
    ring = _keyring()
    stored = _read_keyring(ring) if ring is not None else None
    return stored or {"default": None, "keys": {}}


def _save(store: dict) -> None:
    text = json.dumps(store, indent=1, sort_keys=True)
    ring = _keyring()
    file = folder() / KEY_FILE
    if ring is not None and not file.exists():
        try:
            ring.set_password(KEYRING_SERVICE, KEYRING_USER, text)
            return
        except Exception:  # noqa: BLE001 — the secret store refused: keep the key in the private file
            pass
    private_dir(file.parent)
    partial = file.with_name(file.name + ".part")
    private_file(partial)
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, file)


def keys() -> dict[str, bytes]:
    """Every key of this store by id."""
    return {kid: bytes.fromhex(value) for kid, value in _load().get("keys", {}).items()}


def key_for(kid: str) -> bytes | None:
    return keys().get(kid)


def default_key() -> tuple[str, bytes]:
    """The key a new database is sealed with: the store's default, created (random, 256 bits) if none."""
    store = _load()
    kid = store.get("default")
    if kid and kid in store.get("keys", {}):
        return kid, bytes.fromhex(store["keys"][kid])
    key = secrets.token_bytes(KEY_BYTES)
    kid = key_id(key)
    store.setdefault("keys", {})[kid] = key.hex()
    store["default"] = kid
    _save(store)
    return kid, key


def export_key(path: Path, kid: str | None = None) -> str:
    """Write the key ``kid`` (default: the store's default) to ``path``, private; returns its id."""
    if kid is None:
        kid, key = default_key()
    else:
        key = key_for(kid)
        if key is None:
            raise AuditKeyError(f"kunci audit {kid} tidak ada di PC ini", f"the audit key {kid} is not on this PC")
    private_file(path)
    path.write_text(f"{EXPORT_HEADER}\n{kid} {key.hex()}\n", encoding="utf-8")
    return kid


def import_key(path: Path) -> str:
    """Add the key in ``path`` (written by ``export_key``) to this store; it becomes the default when the
    store had none. Returns its id."""
    try:
        lines = path.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError) as error:
        raise AuditKeyError(f"berkas {path} tidak dapat dibaca ({error})", f"the file {path} cannot be read ({error})") \
            from None
    try:
        header_ok = " ".join(lines[:2]) == EXPORT_HEADER
        kid, key = lines[2], bytes.fromhex(lines[3])
    except (IndexError, ValueError):
        header_ok = False
    if not header_ok or len(key) != KEY_BYTES or key_id(key) != kid:
        raise AuditKeyError(f"{path} bukan berkas kunci audit PST Desktop (pst audit-key export)",
                        f"{path} is not a PST Desktop audit key file (pst audit-key export)")
    store = _load()
    store.setdefault("keys", {})[kid] = key.hex()
    if not store.get("default"):
        store["default"] = kid
    _save(store)
    return kid

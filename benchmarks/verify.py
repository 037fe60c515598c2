"""How long does ``pst verify`` take on five busy years, daily and ``--full``, and how does ``--full`` compare
with plain ``sqlite3`` + ``json`` + ``hmac``/``hashlib`` doing the same checks in the same process?

    PST_KEY_DIR=DIR .venv/bin/python benchmarks/verify.py FILE.sqlite [--repeat 3]

FILE is an SQLite database of the application (``benchmarks/history.py --keep`` builds one; open it once
with this version so that it is upgraded and sealed). The key is read from ``PST_KEY_DIR`` (or the user's
store). Prints the times and two ratios: daily / full, and full / plain baseline. Asserts nothing."""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pstdesktop import auditkey  # noqa: E402
from pstdesktop.bootstrap import open_url  # noqa: E402
from pstdesktop.config import sqlite_url  # noqa: E402
from pstdesktop.services import audit, verification  # noqa: E402


def timed(work, repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def application(database, url: str, full: bool):
    connection = verification.read_snapshot(database.engine)
    try:
        return verification.check(connection, url=url, full=full)
    finally:
        connection.rollback()
        connection.close()


def plain(path: Path, key_for) -> tuple[int, int]:
    """The same checks with sqlite3, json and hmac/hashlib only: every entry's link and hash (SHA-256 before
    the epoch, HMAC after), and the state digest of every current row against the newest entry's."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    epoch_seq, info = connection.execute("SELECT seq, snapshot FROM audit_entry WHERE entity = 'audit_epoch' "
                                         "AND entity_id = 0 ORDER BY seq DESC LIMIT 1").fetchone()
    key = key_for(json.loads(info)["key"])
    bad, prev, digest = 0, "0" * 64, 0
    cursor = connection.execute("SELECT seq, at, actor_id, actor_name, action, entity, entity_id, from_state, "
                                "to_state, reason, snapshot, row_state, digest, prev_hash, hash FROM audit_entry "
                                "ORDER BY seq")
    for seq, at, actor_id, name, action, entity, entity_id, frm, to, reason, snap, row, dig, prev_hash, hash_ \
            in cursor:
        if seq < epoch_seq:
            moment = datetime.fromisoformat(at).replace(tzinfo=UTC).isoformat()
            body = json.dumps([seq, moment, actor_id, name, action, entity, entity_id, frm, to, reason,
                               json.loads(snap)], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            computed = hashlib.sha256((prev_hash + body).encode()).hexdigest()
        else:
            body = json.dumps([seq, at, actor_id, name, action, entity, entity_id, frm, to, reason, snap, row,
                               dig or ""], ensure_ascii=False, separators=(",", ":"))
            computed = hmac.new(key, (prev_hash + body).encode(), hashlib.sha256).hexdigest()
        bad += computed != hash_ or prev_hash != prev
        prev = hash_
        digest = int(dig or "0", 16)
    total = 0
    for table, columns in audit.AUDITED.items():
        personal = {columns.index(c) for c in audit.PERSONAL.get(table, ())}
        skip_chain = table == "document_counter"
        kind, office = (columns.index("kind"), columns.index("office_id")) if skip_chain else (0, 0)
        names = ", ".join(f'"{c}"' for c in columns)
        for found in connection.execute(f'SELECT id, {names} FROM "{table}"'):
            values = list(found[1:])
            if skip_chain and values[kind] == "audit" and values[office] == 0:
                continue
            for index, value in enumerate(values):
                if isinstance(value, bytes):
                    values[index] = "sha256:" + hashlib.sha256(value).hexdigest()
                elif index in personal and value not in (None, ""):
                    values[index] = "hmac:" + hmac.new(key, f"{table}\x1f{index}\x1f{value}".encode(),
                                                       "sha256").hexdigest()[:32]
            text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
            mac = hmac.digest(key, f"{table}\x1f{found[0]}\x1f{text}".encode(), "sha256")
            total = (total + int.from_bytes(mac, "big")) % (1 << 256)
    connection.close()
    return bad, int(total != digest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    url = sqlite_url(args.database)
    database = open_url(url, seal=False)
    try:
        shown = database.engine.url.render_as_string(hide_password=True)
        with database.engine.connect() as connection:
            entries = connection.exec_driver_sql("SELECT count(*) FROM audit_entry").scalar()
        print(f"PST Desktop — pst verify on {args.database} ({entries:,} audit entries)")
        full_s, report = timed(lambda: application(database, shown, True), args.repeat)
        print(f"  full:  {full_s:6.2f} s  ({report.entries:,} entries, {report.rows:,} rows, "
              f"{len(report.findings)} finding(s))")
        verification.checkpoint(shown, report)  # what a clean pst verify leaves: the next run starts here
        daily_s, daily = timed(lambda: application(database, shown, False), args.repeat)
        print(f"  daily: {daily_s:6.2f} s  (from checkpoint {daily.checked_from:,}: {daily.entries:,} entries, "
              f"{daily.rows:,} rows, {len(daily.findings)} finding(s))")
    finally:
        database.dispose()
    plain_s, (bad, digest_off) = timed(lambda: plain(args.database, auditkey.key_for), args.repeat)
    print(f"  plain sqlite3 + json + hmac, the same checks: {plain_s:6.2f} s ({bad} bad entries, digest "
          f"{'differs' if digest_off else 'matches'})")
    print(f"  ratio daily / full: {daily_s / full_s:.2f}")
    print(f"  ratio full / plain: {full_s / plain_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

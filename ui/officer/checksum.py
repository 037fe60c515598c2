"""Size and SHA-256 of a prepared file, read in chunks in a worker thread with progress."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

from pstdesktop.services.errors import ValidationError

CHUNK = 1 << 20
REPORT_EVERY = 16 * CHUNK


def checksum_work(path: str) -> Callable:
    """Work for ``jobs.start``: returns (size, sha256); a missing or unreadable file is refused plainly."""

    def work(progress) -> tuple[int, str]:
        digest, done, reported = hashlib.sha256(), 0, 0
        try:
            total = os.stat(path).st_size
            with open(path, "rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    done += len(chunk)
                    if done - reported >= REPORT_EVERY:
                        progress(done, total)
                        reported = done
        except OSError:
            raise ValidationError("file_missing", "files", path=path) from None
        progress(done, max(total, done))
        return done, digest.hexdigest()

    return work

"""Make a folder read-only under a running process, as root too (CI runs as root, and root ignores file modes).

A read-only bind mount of the folder over itself (`mount --bind`, then `remount,bind,ro`):
every write below it fails with EROFS, as on a disk remounted read-only, whoever writes.
Where mounting is not permitted (no CAP_SYS_ADMIN), the immutable attribute (`chattr +i`,
ext4 and most Linux file systems) on the folder and its files does the same for root.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["read_only"]


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


@contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """The folder is read-only for the block; yields how ("bind mount" or "chattr +i")."""
    if _run("mount", "--bind", str(folder), str(folder)):
        if not _run("mount", "-o", "remount,bind,ro", str(folder)):
            _run("umount", str(folder))
            raise RuntimeError(f"could not remount {folder} read-only")
        try:
            yield "bind mount"
        finally:
            _run("umount", str(folder))
        return
    paths = [str(folder), *(str(p) for p in folder.iterdir())]
    if not _run("chattr", "+i", *paths):
        raise RuntimeError(f"cannot make {folder} read-only: neither a bind mount nor chattr +i is permitted")
    try:
        yield "chattr +i"
    finally:
        _run("chattr", "-i", *paths)

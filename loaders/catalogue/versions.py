"""Store versions behind one name: the pointer ``S``, the folders ``S.versions/<id>``.

``--out S`` stays the user's one name for a store, but ``S`` is a symbolic link to the
version it serves, ``S.versions/<id>`` (``<id>`` is ``0007-20250131T120000Z``: a sequence
number, then when it was written, UTC). A new version is written in full into a hidden folder
of ``S.versions``, renamed to its id, and only then made current by replacing the link with
``os.replace`` of a new link: one atomic step, so a reader opening ``S`` finds the old store
or the new one at every instant, whatever fails or is killed when.

- **Kept versions**: the current one and the ``keep`` (default :data:`KEEP_VERSIONS`) latest
  before it; older ones are deleted when a new one is installed (never one an app is still
  serving: see *leases*).
- **Rollback** (:func:`rollback`) makes the latest kept version before the current one
  current again and marks the one it leaves ``<id>.rolled-back`` (never current again, deleted
  at the next install).
- **Recovery** (:func:`recover`, run before every install and rollback): staging folders and
  links of writers that died are deleted, a version written but never made current is deleted,
  a pointer lost between two steps points again at the latest version, and a store left in a
  ``.S.old-*`` folder by the swap of earlier releases is put back.
- **Leases**: an app serving a version holds a shared lock on ``S.versions/<id>.lease``
  (:func:`lease`, released when the process ends, however it ends); a leased version is kept
  until no process holds it.
- A store folder written before versions existed (a plain folder ``S``) is read as it is and
  moved into ``S.versions`` at its next install.

Readers find the folder to read with :func:`current_version` and read only that folder from
then on, so a reader never mixes two versions. Everything here is one writer at a time: the
swap, rollback and recovery hold ``S.versions/.swap.lock``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from filelock import FileLock

from loaders.core.errors import LoaderInputError

try:  # leases need flock (POSIX); elsewhere versions are pruned whatever serves them
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]

KEEP_VERSIONS = 2  # versions kept before the current one
REPORT_FILE = "load_report.json"  # a version folder without it is not a store
STAGING_PREFIX = ".new-"
LINK_PREFIX = ".link-"
ROLLED_BACK = ".rolled-back"
LEASE = ".lease"
_ID = re.compile(r"^(\d{4,})-\d{8}T\d{6}Z$")
_OWNED = re.compile(r"^\.(?:new|link)-(\d+)-")


@dataclass(frozen=True)
class Version:
    """One version folder of a store: its id, folder, and whether it is current or was
    rolled back."""

    id: str
    folder: Path
    current: bool
    rolled_back: bool

    @property
    def number(self) -> int:
        """Its sequence number (versions are numbered in the order they were written)."""
        return int(self.id.split("-", 1)[0])


def store_path(out: str | Path) -> Path:
    """The absolute path of the store's name ``out`` (its folder resolved, not the name
    itself, which is the pointer)."""
    path = Path(os.path.abspath(out))
    return path.parent.resolve() / path.name


def versions_dir(out: str | Path) -> Path:
    """``S.versions`` beside the store ``S``."""
    pointer = store_path(out)
    return pointer.parent / f"{pointer.name}.versions"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner_dead(name: str) -> bool:
    """Whether a staging folder or link named ``.new-<pid>-...`` / ``.link-<pid>-...`` was
    left by a process that no longer runs."""
    found = _OWNED.match(name)
    return found is not None and not _pid_alive(int(found[1]))


def _is_version(folder: Path) -> bool:
    return bool(_ID.match(folder.name)) and folder.is_dir() and not folder.is_symlink()


def _linked(pointer: Path) -> Path | None:
    """The version folder the link ``pointer`` names (``None``: not a link)."""
    if not pointer.is_symlink():
        return None
    return (pointer.parent / os.readlink(pointer)).resolve()


def versions(out: str | Path) -> list[Version]:
    """Every version folder of the store ``out``, oldest first (empty for a plain folder
    store or no store)."""
    folder = versions_dir(out)
    if not folder.is_dir():
        return []
    current = _linked(store_path(out))
    found = [
        Version(p.name, p, p.resolve() == current, (folder / f"{p.name}{ROLLED_BACK}").exists())
        for p in folder.iterdir()
        if _is_version(p)
    ]
    return sorted(found, key=lambda v: (v.number, v.id))


def _latest_intact(found: list[Version]) -> Version | None:
    usable = [v for v in found if not v.rolled_back and (v.folder / REPORT_FILE).is_file()]
    return usable[-1] if usable else None


def _legacy_old(pointer: Path) -> Path | None:
    """The newest ``.S.old-*`` folder holding a store (left by the swap of earlier releases
    when its second rename failed)."""
    olds = [
        p
        for p in pointer.parent.glob(f".{pointer.name}.old-*")
        if p.is_dir() and (p / REPORT_FILE).is_file()
    ]
    return max(olds, key=lambda p: p.stat().st_mtime) if olds else None


def current_version(out: str | Path) -> Path:
    """The folder a reader of the store ``out`` reads: the version the pointer names; the
    folder itself for a store written before versions; while a pointer is missing (a swap
    interrupted, not yet recovered), the latest version, else a store left in a ``.S.old-*``
    folder; else ``out`` itself (not a store: opening it says so)."""
    pointer = store_path(out)
    linked = _linked(pointer)
    if linked is not None:
        return linked
    if pointer.is_dir():
        return pointer
    latest = _latest_intact(versions(pointer))
    if latest is not None:
        return latest.folder
    return _legacy_old(pointer) or pointer


def is_versioned(out: str | Path) -> bool:
    """Whether the store ``out`` is a pointer to versions (not a plain folder)."""
    return store_path(out).is_symlink()


def _point(pointer: Path, version: Path) -> None:
    """Make ``pointer`` a link to ``version`` in one atomic step (a new link renamed over
    the old one; a relative link, so the folder holding both can move)."""
    link = pointer.parent / f"{LINK_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    link.symlink_to(os.path.relpath(version, pointer.parent))
    try:
        os.replace(link, pointer)
    except BaseException:
        link.unlink(missing_ok=True)
        raise


def _locked(out: str | Path) -> FileLock:
    folder = versions_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    return FileLock(folder / ".swap.lock", thread_local=False)


def _remove(version: Path) -> bool:
    """Delete a version folder and its marker, unless an app holds its lease."""
    lease_file = version.with_name(version.name + LEASE)
    with _exclusive(lease_file) as free:
        if not free:
            return False
        shutil.rmtree(version, ignore_errors=True)
        version.with_name(version.name + ROLLED_BACK).unlink(missing_ok=True)
        lease_file.unlink(missing_ok=True)
    return True


@contextlib.contextmanager
def _exclusive(lease_file: Path) -> Iterator[bool]:
    """Whether no process holds the lease (held exclusively for the block when so)."""
    if fcntl is None or not lease_file.exists():
        yield True
        return
    with lease_file.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True


def _dead_writers(pointer: Path) -> list[str]:
    """Delete the staging folders and links of writers that stopped."""
    notes = []
    for leftover in pointer.parent.glob(f"{LINK_PREFIX}*"):
        if leftover.is_symlink() and _owner_dead(leftover.name):
            leftover.unlink(missing_ok=True)
    folder = versions_dir(pointer)
    for staging in folder.glob(f"{STAGING_PREFIX}*") if folder.is_dir() else []:
        if _owner_dead(staging.name):
            shutil.rmtree(staging, ignore_errors=True)
            notes.append(f"deleted {staging.name}, unfinished by a writer that stopped")
    return notes


def _lost_pointer(pointer: Path) -> list[str]:
    """Point a missing pointer at the latest version (or put a ``.S.old-*`` store back)."""
    if pointer.exists() or pointer.is_symlink():
        return []
    latest = _latest_intact(versions(pointer))
    if latest is not None:
        _point(pointer, latest.folder)
        return [f"{pointer.name} pointed again at version {latest.id}"]
    old = _legacy_old(pointer)
    if old is not None:
        os.rename(old, pointer)
        return [f"{pointer.name} put back from {old.name}"]
    return []


def _never_current(pointer: Path) -> list[str]:
    """Delete versions written after the current one but never made current."""
    found = versions(pointer)
    current = next((v for v in found if v.current), None)
    if current is None:
        return []
    orphans = [v for v in found if v.number > current.number and not v.rolled_back]
    return [f"deleted version {v.id}, written but never made current"
            for v in orphans if _remove(v.folder)]  # fmt: skip


def _recover_unlocked(pointer: Path) -> list[str]:
    return _dead_writers(pointer) + _lost_pointer(pointer) + _never_current(pointer)


def recover(out: str | Path) -> list[str]:
    """Put the store ``out`` right after any interrupted install or rollback (see the
    module's docstring); one line per thing done. Does nothing to a store with no versions
    folder but put back a ``.S.old-*`` store."""
    pointer = store_path(out)
    if not versions_dir(pointer).is_dir():
        if pointer.exists() or pointer.is_symlink():
            return []
        old = _legacy_old(pointer)
        if old is None:
            return []
    with _locked(pointer):
        return _recover_unlocked(pointer)


def staging_folder(out: str | Path) -> Path:
    """A new, empty hidden folder of ``S.versions`` to write a version into (pass it to
    :func:`install`)."""
    folder = versions_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    return staging


def discard_staging(out: str | Path, staging: Path) -> None:
    """Delete a staging folder whose writing failed, and ``S.versions`` with it when nothing
    else is in it and no store uses it (a first ingest that failed leaves nothing)."""
    shutil.rmtree(staging, ignore_errors=True)
    pointer = store_path(out)
    folder = staging.parent
    if pointer.exists() or pointer.is_symlink():
        return
    with contextlib.suppress(OSError):
        if all(p.name == ".swap.lock" for p in folder.iterdir()):
            (folder / ".swap.lock").unlink(missing_ok=True)
            folder.rmdir()


def _next_id(pointer: Path) -> str:
    found = versions(pointer)
    number = found[-1].number + 1 if found else 1
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{number:04d}-{stamp}"


def _migrate(pointer: Path) -> None:
    """Move a plain store folder ``S`` into ``S.versions`` and point ``S`` at it."""
    if pointer.is_symlink() or not pointer.is_dir():
        return
    moved = versions_dir(pointer) / _next_id(pointer)
    os.rename(pointer, moved)
    try:
        _point(pointer, moved)
    except BaseException:
        with contextlib.suppress(OSError):
            os.rename(moved, pointer)  # as it was; else recovery points the pointer at it
        raise


def prune(out: str | Path, keep: int = KEEP_VERSIONS) -> list[str]:
    """Delete the versions of ``out`` beyond the current one and the ``keep`` latest before
    it (rolled-back ones too; never a leased one). Returns the ids deleted."""
    found = versions(out)
    current = next((v for v in found if v.current), None)
    if current is None:
        return []
    earlier = [v for v in found if v.number < current.number and not v.rolled_back]
    kept = {v.id for v in earlier[-keep:]} if keep > 0 else set()
    doomed = [v for v in found if not v.current and v.id not in kept]
    return [v.id for v in doomed if _remove(v.folder)]


def install(out: str | Path, staging: Path, keep: int = KEEP_VERSIONS) -> Path:
    """Make the fully written ``staging`` folder the current version of ``out`` (see the
    module's docstring), keeping ``keep`` earlier versions. Returns the new version's folder.

    On failure (an ``OSError`` renaming or linking) the store is left as it was and nothing
    of the new version stays behind; the error is raised.
    """
    pointer = store_path(out)
    with _locked(pointer):
        try:
            _recover_unlocked(pointer)
            _migrate(pointer)
            version = staging.parent / _next_id(pointer)
            os.rename(staging, version)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            _point(pointer, version)
        except BaseException:
            shutil.rmtree(version, ignore_errors=True)
            raise
        with contextlib.suppress(OSError):
            prune(pointer, keep)
    return version


def rollback(out: str | Path) -> tuple[Version, Version]:
    """Make the latest kept version before the current one current again; the one left is
    marked rolled back. Returns ``(left, now_current)``.

    Raises :class:`~loaders.core.errors.LoaderInputError` when ``out`` has no earlier version.
    """
    pointer = store_path(out)
    if not is_versioned(pointer) and not versions_dir(pointer).is_dir():
        raise LoaderInputError(out, "has no earlier version to roll back to")
    with _locked(pointer):
        _recover_unlocked(pointer)
        found = versions(pointer)
        current = next((v for v in found if v.current), None)
        earlier = [
            v
            for v in found
            if current is not None
            and v.number < current.number
            and not v.rolled_back
            and (v.folder / REPORT_FILE).is_file()
        ]
        if current is None or not earlier:
            raise LoaderInputError(out, "has no earlier version to roll back to")
        target = earlier[-1]
        (current.folder.parent / f"{current.id}{ROLLED_BACK}").touch()
        _point(pointer, target.folder)
    return current, target


def lease(version: Path) -> IO[str] | None:
    """Hold a shared lease on a version folder so that no install deletes it while this
    process (or its forked workers) serve it; close the returned file to let go. ``None``
    for a store folder that is not a version (nothing to protect) or without flock."""
    if (
        fcntl is None
        or not _ID.match(version.name)
        or not version.parent.name.endswith(".versions")
    ):
        return None
    handle = version.with_name(version.name + LEASE).open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:  # an install is deleting it this instant: nothing to protect
        handle.close()
        return None
    return handle

"""Which filesystem holds a file, and whether SQLite may keep a workspace there.

SQLite's write-ahead log needs shared memory and file locks that a network
filesystem (NFS, CIFS/SMB) or a FUSE mount such as sshfs does not give
reliably: two machines writing the same file there can corrupt it. A JupyterHub
usually keeps home folders on NFS, so a workspace file there is refused, with
the advice to use a PostgreSQL workspace instead.

On Linux, ``/proc/self/mountinfo`` lists the mounts; elsewhere nothing is checked.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import NamedTuple

__all__ = ["MOUNTINFO", "Mount", "mount_of", "shared_mount"]

#: The kernel's table of this process's mounts (Linux only).
MOUNTINFO = Path("/proc/self/mountinfo")

#: Filesystem types reached over a network, where SQLite's locks cannot be trusted.
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre",
    "gpfs", "beegfs", "davfs", "sshfs",
})


class Mount(NamedTuple):
    """One mounted filesystem: where it is mounted, its type (``nfs4``, ``fuse.sshfs``) and its source."""

    point: str
    kind: str
    source: str


def _unescape(field: str) -> str:
    r"""Undo mountinfo's octal escapes (``\040`` is a space) in a path."""
    if "\\" not in field:
        return field
    return field.encode().decode("unicode_escape").encode("latin-1").decode("utf-8", "replace")


def _mounts(mountinfo: str) -> list[Mount]:
    """Read mountinfo's lines: ``id parent dev root POINT options [tags] - TYPE SOURCE options``."""
    mounts = []
    for line in mountinfo.splitlines():
        fields = line.split()
        if "-" not in fields[6:]:
            continue
        after = fields.index("-", 6)
        if len(fields) < after + 3:
            continue
        mounts.append(Mount(_unescape(fields[4]), fields[after + 1], _unescape(fields[after + 2])))
    return mounts


def mount_of(mountinfo: str, path: PurePosixPath) -> Mount | None:
    r"""Return the mount that holds ``path`` (absolute, symlinks resolved).

    That is the deepest mount point above it, the last mounted when several share one point.

    >>> table = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 0:50 / /home rw - nfs4 hub:/home rw\n"
    >>> mount_of(table, PurePosixPath("/home/ana/workspace.sqlite"))
    Mount(point='/home', kind='nfs4', source='hub:/home')
    """
    holding = None
    for mount in _mounts(mountinfo):
        point = PurePosixPath(mount.point)
        if (path == point or point in path.parents) and (
            holding is None or len(point.parts) >= len(PurePosixPath(holding.point).parts)
        ):
            holding = mount
    return holding


def shared_mount(mountinfo: str, path: PurePosixPath) -> Mount | None:
    r"""Return the mount holding ``path`` if it is a network or FUSE filesystem, else None.

    ``fuseblk`` (a local disk read through FUSE, such as NTFS) is local and allowed.

    >>> table = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 0:50 / /mnt/lab rw - fuse.sshfs ana@lab: rw\n"
    >>> shared_mount(table, PurePosixPath("/mnt/lab/w.sqlite")).kind, shared_mount(table, PurePosixPath("/tmp/w"))
    ('fuse.sshfs', None)
    """
    mount = mount_of(mountinfo, path)
    if mount is None:
        return None
    shared = mount.kind in NETWORK_TYPES or mount.kind == "fuse" or mount.kind.startswith("fuse.")
    return mount if shared else None

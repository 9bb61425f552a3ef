"""A workspace file on a network or FUSE filesystem is refused: SQLite's locks do not hold there."""

from pathlib import PurePosixPath

import pytest

from partnerlib import WorkspaceError
from partnerlib.io.mounts import Mount, mount_of, shared_mount
from partnerlib.io.sqlite_backend import refuse_shared_mount

#: A hub's mounts, as /proc/self/mountinfo lists them (a later mount on the same point hides the earlier).
MOUNTINFO = r"""22 1 0:21 / /proc rw,relatime - proc proc rw
1 0 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 1 0:50 / /home rw,relatime shared:7 - nfs4 hub.example.org:/export/home rw,vers=4.2
31 30 8:2 / /home/ana/local rw,relatime - ext4 /dev/sda2 rw
32 1 0:51 / /mnt/team\040drive rw,relatime - cifs //files/team rw
33 1 0:52 / /mnt/lab rw,nosuid,nodev - fuse.sshfs ana@lab.example.org:/srv rw,user_id=0
34 1 8:3 / /media/usb rw - fuseblk /dev/sdb1 rw
35 1 0:53 / /srv/old rw - nfs old:/srv rw
36 1 0:54 / /srv/old rw - ext4 /dev/sdc1 rw
37 1 0:55 / /scratch rw - smb3 //nas/scratch rw
38 1 0:56 / /run/user/0/gvfs rw,nosuid - fuse.gvfsd-fuse gvfsd-fuse rw
"""

CASES = [
    # (workspace file, the mount that holds it, refused)
    ("/root/workspace.sqlite", Mount("/", "ext4", "/dev/sda1"), False),
    ("/home/ana/.partnerlib/workspace.sqlite", Mount("/home", "nfs4", "hub.example.org:/export/home"), True),
    ("/home/ana/local/workspace.sqlite", Mount("/home/ana/local", "ext4", "/dev/sda2"), False),
    ("/home/ana/localother/w.sqlite", Mount("/home", "nfs4", "hub.example.org:/export/home"), True),
    ("/mnt/team drive/w.sqlite", Mount("/mnt/team drive", "cifs", "//files/team"), True),
    ("/mnt/lab/w.sqlite", Mount("/mnt/lab", "fuse.sshfs", "ana@lab.example.org:/srv"), True),
    ("/media/usb/w.sqlite", Mount("/media/usb", "fuseblk", "/dev/sdb1"), False),
    ("/srv/old/w.sqlite", Mount("/srv/old", "ext4", "/dev/sdc1"), False),
    ("/scratch/w.sqlite", Mount("/scratch", "smb3", "//nas/scratch"), True),
    ("/run/user/0/gvfs/w.sqlite", Mount("/run/user/0/gvfs", "fuse.gvfsd-fuse", "gvfsd-fuse"), True),
]


@pytest.mark.parametrize(("path", "mount", "refused"), CASES, ids=[c[0] for c in CASES])
def test_the_mount_holding_a_file_is_found(path, mount, refused):
    assert mount_of(MOUNTINFO, PurePosixPath(path)) == mount


@pytest.mark.parametrize(("path", "mount", "refused"), CASES, ids=[c[0] for c in CASES])
def test_network_and_fuse_mounts_are_shared(path, mount, refused):
    assert (shared_mount(MOUNTINFO, PurePosixPath(path)) is not None) == refused


def test_a_file_on_nfs_is_refused_naming_the_mount_and_postgresql(tmp_path):
    table = tmp_path / "mountinfo"
    table.write_text(f"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 0:50 / {tmp_path} rw - nfs4 hub:/home rw\n")
    with pytest.raises(WorkspaceError) as refused:
        refuse_shared_mount(tmp_path / "new" / "workspace.sqlite", table)
    assert str(refused.value) == (
        f"The workspace {tmp_path}/new/workspace.sqlite is on a shared network drive (nfs4 hub:/home mounted "
        f"at {tmp_path}), where SQLite cannot keep it safe from two computers writing at once. Keep the file "
        "on a local disk, or use a PostgreSQL workspace: --workspace postgresql://user@host/database "
        "(or PARTNERLIB_WORKSPACE)."
    )

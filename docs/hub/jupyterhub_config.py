"""partnerlib on The Littlest JupyterHub: every user's kernel works in one shared PostgreSQL workspace.

Copy to /opt/tljh/config/jupyterhub_config.d/partnerlib.py and run
``sudo tljh-config reload``. See docs/hub.md for the whole setup.
"""

import subprocess
from pathlib import Path

c = get_config()  # noqa: F821  (given by JupyterHub's config loader)

#: The shared workspace: the partnerlib database over the local socket (peer authentication,
#: so no password is stored anywhere). A server elsewhere would be
#: postgresql://USER@db.example.org:5432/partnerlib, with the password in each user's ~/.pgpass.
WORKSPACE = "postgresql:///partnerlib?host=/var/run/postgresql"

#: The SQL that gives a hub user a PostgreSQL login (kept beside this file on the hub).
ADD_USER_SQL = Path("/etc/partnerlib/add_user.sql")

# Every kernel, notebook, Voilà page and `partnerlib` command of every user reads it from here.
c.Spawner.environment = {"PARTNERLIB_WORKSPACE": WORKSPACE}


def system_user(hub_user: str) -> str:
    """Return the Unix account TLJH runs a hub user's server as: ``jupyter-<name>``."""
    return f"jupyter-{hub_user}"


def add_database_login(spawner) -> None:
    """Before a user's server starts, make sure they have a PostgreSQL login (add_user.sql)."""
    subprocess.run(
        ["runuser", "-u", "postgres", "--", "psql", "--quiet", "--set=ON_ERROR_STOP=1",
         f"--set=login={system_user(spawner.user.name)}", f"--file={ADD_USER_SQL}"],
        check=True, capture_output=True, timeout=30,
    )


c.Spawner.pre_spawn_hook = add_database_login

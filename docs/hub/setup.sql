-- Run once on the hub, as PostgreSQL's superuser:  sudo -u postgres psql -f setup.sql
-- The shared workspace: one database, owned by a role no one logs in as. Each hub user
-- logs in as their own role (add_user.sql), a member of this one, so what they make
-- belongs to the workspace and not to whoever happened to open it first.
CREATE ROLE partnerlib NOLOGIN;
CREATE DATABASE partnerlib OWNER partnerlib;

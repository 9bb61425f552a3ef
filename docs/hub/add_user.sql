-- Give one hub user a PostgreSQL login of their own name, member of the partnerlib role.
-- jupyterhub_config.py runs it before each server starts:
--   sudo -u postgres psql -v login=jupyter-ana -f add_user.sql
-- They connect over the local socket with peer authentication (Debian's default for
-- "local" connections): the operating system vouches for them, no password is stored.
-- Their sessions act as the partnerlib role, so tables and rows belong to the workspace.
SELECT format('CREATE ROLE %I LOGIN IN ROLE partnerlib', :'login')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'login')
\gexec
ALTER ROLE :"login" SET role = 'partnerlib';

"""Create or update the database role that web, worker and beat run as.

It reads and writes rows and nothing more: not a superuser, not the tables' owner (migrations run as the
owner), so it can neither disable the audit triggers, set ``session_replication_role``, truncate, nor
update or delete audit rows. Run it as the owner after ``migrate`` (docker-compose's migrate service does);
it is idempotent. See docs/operations.md, "Database roles".
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

# Append-only tables: the runtime role may read and add rows, never change or remove them.
APPEND_ONLY_TABLES = ("core_caseevent", "core_configchange", "core_auditcheckpoint", "core_auditcheckpointentry")


class Command(BaseCommand):
    help = "Create or update the application's runtime database role (rows only; no superuser, no ownership)."

    def add_arguments(self, parser):
        parser.add_argument("role", nargs="?", default="rabfang_app")
        parser.add_argument("--password-env", default="RUNTIME_DATABASE_PASSWORD",
                            help="The environment variable that holds the role's password.")

    @transaction.atomic
    def handle(self, *args, role, password_env, **options):
        password = os.environ.get(password_env, "")
        if not password:
            raise CommandError(f"Set {password_env} to the runtime role's password.")
        name = sql.Identifier(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(name))
            elif found[0]:
                raise CommandError(f"Role {role} is a superuser: choose another name for the runtime role.")
            cursor.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {} NOSUPERUSER NOCREATEDB NOCREATEROLE "
                                   "NOREPLICATION NOBYPASSRLS").format(name, sql.Literal(password)))
            cursor.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                sql.Identifier(connection.settings_dict["NAME"]), name))
            cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name))
            cursor.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}")
                           .format(name))
            cursor.execute(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                sql.SQL(", ").join(sql.Identifier(table) for table in APPEND_ONLY_TABLES), name))
            cursor.execute(sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(name))
        self.stdout.write(f"Role {role}: rows only, append-only audit tables, no superuser, owns nothing.")

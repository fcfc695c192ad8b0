"""Reading and writing many rows at once, for batch work such as the SLA sweep.

Many rows travel by ``COPY``: psycopg writes each value with its C dumpers, and no model instance is
built per row (building and preparing one costs more than the database spends on the row; so does
psycopg's per-element quoting of big array parameters). Inserts get their primary keys from the
table's sequence first; updates go through a temporary table and one ``UPDATE ... FROM``. A few rows
go in one statement with a ``VALUES`` list instead (one round trip).
"""

import zlib
from collections.abc import Sequence
from datetime import UTC
from operator import attrgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone
from psycopg import adapters
from psycopg.adapt import Loader
from psycopg.pq import Format


class _TimestamptzLoader(Loader):
    """psycopg's C parser for ``timestamptz`` text, with the tzinfo Django's own loader sets.

    Django's loader parses each value in Python (some microseconds each: a third of the time the
    sweep spends reading a batch). Same result: the session time zone is the connection's.
    """

    timezone = UTC

    def __init__(self, oid: int, context=None):
        super().__init__(oid, context)
        self._parse = adapters.get_loader(_TIMESTAMPTZ_OID, Format.TEXT)(oid, context).load

    def load(self, data):
        return self._parse(data).replace(tzinfo=self.timezone)


_TIMESTAMPTZ_OID = 1184


def fast_timestamps(conn=None) -> None:
    """Read timestamps with ``_TimestamptzLoader`` on ``conn`` (default: this thread's default
    connection), if Django reads them in UTC. Can be connected to ``connection_created``."""
    conn = conn or connection
    if conn.timezone != UTC:
        return
    conn.ensure_connection()
    registry = conn.connection.adapters
    if registry.get_loader(_TIMESTAMPTZ_OID, Format.TEXT) is not _TimestamptzLoader:
        registry.register_loader(_TIMESTAMPTZ_OID, _TimestamptzLoader)


def _prepared(field: models.Field, value: Any) -> Any:
    # JSON needs the field's own adaptation; plain values go to the driver as they are.
    return field.get_db_prep_save(value, connection) if isinstance(field, models.JSONField) else value


def rows_insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert ``rows`` (tuples of values for the attribute names ``columns``); every other column gets
    its field's default (``auto_now``/``auto_now_add``: now). The new primary keys, in row order."""
    if not rows:
        return []
    meta = model._meta
    given = [meta.get_field(name) for name in columns]
    others = [field for field in meta.concrete_fields if not field.primary_key and field.attname not in columns]
    now = timezone.now()
    defaults = tuple(_prepared(field, now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                               else field.get_default()) for field in others)
    json_at = [index for index, field in enumerate(given) if isinstance(field, models.JSONField)]
    prepared = []
    for row in rows:
        if json_at:
            row = list(row)
            for index in json_at:
                row[index] = _prepared(given[index], row[index])
        prepared.append((*row, *defaults))
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in [*given, *others])
    with connection.cursor() as cursor:
        if len(rows) <= FEW_ROWS:  # one round trip
            one = f"({', '.join(['%s'] * (len(given) + len(others)))})"
            cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES {', '.join([one] * len(rows))} "
                           f"RETURNING {quote(meta.pk.column)}", [value for row in prepared for value in row])
            return [row[0] for row in cursor.fetchall()]  # in the order of the VALUES list
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, len(rows)])
        keys = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({quote(meta.pk.column)}, {names}) FROM STDIN") as copy:
            for key, row in zip(keys, prepared, strict=True):
                copy.write_row((key, *row))
    return keys


FEW_ROWS = 20


def instance_insert(obj: models.Model) -> None:
    """``obj.save(force_insert=True)`` for a new instance with an automatic primary key, in one
    ``INSERT ... RETURNING`` written here: the ORM's insert compiler cost more than the database spent on
    the intake's case row. Each field still prepares its own value (``pre_save``: ``auto_now``; then
    ``get_db_prep_save``). No model signals are sent (the project has no receivers for them)."""
    meta = obj._meta
    fields, values = [], []
    for field in meta.concrete_fields:
        if field.primary_key:
            continue
        value = field.get_db_prep_save(field.pre_save(obj, True), connection)
        if value is None and field.null and not field.has_db_default():
            continue  # NULL is the column's default: leaving it out keeps the statement short
        fields.append(field)
        values.append(value)
    # (A case row has dozens of empty columns. psycopg caches a statement's conversion only up to 50 parameters:
    # naming each column would convert the intake's insert afresh every time.)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
                       f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}", values)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = connection.alias


def rows_set(model: type[models.Model], objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Write ``fields`` of many existing rows from their instances, each row its own values."""
    if not objects:
        return
    meta = model._meta
    targets = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    table, columns = quote(meta.db_table), [quote(target.column) for target in targets]
    values = attrgetter(*(target.attname for target in targets))
    json_at = [index for index, target in enumerate(targets) if isinstance(target, models.JSONField)]
    if len(objects) <= FEW_ROWS:  # one statement, the rows in its VALUES list
        row_sql = f"({', '.join(f'%s::{target.db_type(connection)}' for target in targets)})"
        parameters = []
        for obj in objects:
            parameters += [_prepared(target, value) for target, value in zip(targets, values(obj), strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {', '.join(f'{column} = v.{column}' for column in columns[1:])} "
                f"FROM (VALUES {', '.join([row_sql] * len(objects))}) AS v ({', '.join(columns)}) "
                f"WHERE {table}.{columns[0]} = v.{columns[0]}", parameters)
        return
    # One scratch table per (table, fields) and session, emptied by every commit.
    scratch = quote(f"_rows_set_{meta.db_table}_{zlib.crc32(' '.join(fields).encode()):08x}")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {scratch} ON COMMIT DELETE ROWS AS "
                       f"SELECT {', '.join(columns)} FROM {table} WITH NO DATA")
        cursor.execute(f"DELETE FROM {scratch}")  # rows of an earlier write in this transaction
        with cursor.cursor.copy(f"COPY {scratch} ({', '.join(columns)}) FROM STDIN") as copy:
            for obj in objects:
                row = values(obj)
                if json_at:
                    row = list(row)
                    for index in json_at:
                        row[index] = _prepared(targets[index], row[index])
                copy.write_row(row)
        cursor.execute(f"UPDATE {table} SET {', '.join(f'{column} = s.{column}' for column in columns[1:])} "
                       f"FROM {scratch} AS s WHERE {table}.{columns[0]} = s.{columns[0]}")

"""Model rows read and written with hand-written SQL, for the inbound hot path.

Every inbound contact runs about ten statements; building and compiling each through
the ORM costs more Python time than PostgreSQL spends running it. These helpers keep
the ORM's model instances and value conversions (so callers and payloads are
unchanged, on PostgreSQL and SQLite alike) and skip the query building: column lists,
INSERT statements and converters are worked out once per model.

On PostgreSQL these statements are also prepared (DB_PREPARED_STATEMENTS): parsed and
planned once per connection. They are keyed reads and writes whose generic plan is the
right one for every value; the ORM's queries are never prepared, since a generic plan
for, say, an inbox filtered by store OR owner walks the whole ticket table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Columns:
    """The quoted column list of a model under a table alias, and how to turn a slice of a
    result row back into an instance."""

    model: type[Model]
    sql: str
    width: int
    converters: tuple[tuple[int, tuple[Callable, ...], Any], ...]

    def instance(self, row: Sequence[Any], start: int = 0) -> Model | None:
        values = list(row[start:start + self.width])
        if values[0] is None:  # the pk of an outer-joined row that is not there
            return None
        for index, functions, expression in self.converters:
            value = values[index]
            for function in functions:
                value = function(value, expression, connection)
            values[index] = value
        return self.model.from_db(connection.alias, None, values)


@cache
def _columns(model: type[Model], alias: str, vendor: str) -> Columns:
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    converters = []
    for index, field in enumerate(fields):
        expression = field.get_col(alias)
        functions = (*connection.ops.get_db_converters(expression),
                     *expression.get_db_converters(connection))
        if functions:
            converters.append((index, tuple(functions), expression))
    return Columns(model, ", ".join(f"{quote(alias)}.{quote(f.column)}" for f in fields),
                   len(fields), tuple(converters))


def columns(model: type[Model], alias: str) -> Columns:
    return _columns(model, alias, connection.vendor)


class _Preparing:
    """A psycopg cursor that prepares what it executes, under Django's cursor wrapper (so
    the statement is still logged and counted like any other)."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, query: Any, params: Any = None) -> Any:
        return self._cursor.execute(query, params, prepare=True)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


@contextmanager
def cursor() -> Iterator[Any]:
    """A Django cursor for the statements of this module (prepared where they can be)."""
    with connection.cursor() as wrapper:
        if settings.DB_PREPARED_STATEMENTS:
            wrapper.cursor = _Preparing(wrapper.cursor)
        yield wrapper


def fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with cursor() as found:
        found.execute(sql, params)
        return found.fetchall()


def execute(sql: str, params: Sequence[Any]) -> int:
    with cursor() as done:
        done.execute(sql, params)
        return done.rowcount


@cache
def _insert_sql(model: type[Model], rows: int, vendor: str) -> tuple[str, tuple]:
    quote = connection.ops.quote_name
    fields = tuple(f for f in model._meta.concrete_fields if f is not model._meta.pk)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES {', '.join([one] * rows)} RETURNING {quote(model._meta.pk.column)}")
    return sql, fields


def insert(objects: Sequence[M]) -> None:
    """INSERT unsaved instances of one model in one statement and set their primary keys.

    Does what Model.save() does for a plain model on insert (field defaults, auto_now,
    value preparation), without signals: the models written here have no receivers.
    """
    if not objects:
        return
    model = type(objects[0])
    sql, fields = _insert_sql(model, len(objects), connection.vendor)
    params = []
    for obj in objects:
        for field in fields:
            params.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
    with cursor() as inserted:
        inserted.execute(sql, params)
        keys = [row[0] for row in inserted.fetchall()]
    for obj, key in zip(objects, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias


def update(obj: Model, names: Sequence[str]) -> None:
    """UPDATE the named fields of a saved instance, as save(update_fields=names) does."""
    quote = connection.ops.quote_name
    meta = obj._meta
    fields = [meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    params = [f.get_db_prep_save(f.pre_save(obj, add=False), connection) for f in fields]
    execute(f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s",
            [*params, obj.pk])


def set_related(obj: Model, name: str, related: Model | None) -> None:
    """What select_related leaves behind: reading obj.<name> costs no query."""
    obj._meta.get_field(name).set_cached_value(obj, related)


def joined(row: Sequence[Any], base: Columns, related: Sequence[tuple[str, Columns]]) -> Model:
    """The instance at the start of `row`, with the related instances whose columns follow
    it (in order) cached under their field names."""
    obj = base.instance(row)
    start = base.width
    for name, columns in related:
        set_related(obj, name, columns.instance(row, start))
        start += columns.width
    return obj


def for_update_of(alias: str) -> str:
    """Lock only the rows of `alias` in a join where the database can, else nothing."""
    return f" FOR UPDATE OF {alias}" if connection.features.has_select_for_update_of else ""

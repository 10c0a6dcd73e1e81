"""``create()`` for the large batches of plain records an import writes, in one COPY.

For thousands of records, Odoo's ``create()`` spends most of its time on work that is
the same for every record of the batch or that it does twice: ``default_get`` once per
record, and the stored computed fields computed after the INSERT, then written again
by an UPDATE at the next flush. For the 5,000 people, enrolments and attendees of a
list that was most of an import's time (benchmarks/README.md). :func:`bulk_create`
writes the same rows:

- the defaults are Odoo's own (``_add_missing_default_values``), asked once per set of
  given fields; a default that changes from one call to the next (an access token) is
  asked again for each record;
- every stored computed field is computed by its own compute method, in batch, on new
  records holding the values, as Odoo does for its ``precompute`` fields, and inserted
  with the rest: no UPDATE afterwards. Records whose values of the fields a field
  depends on (its ``@api.depends``) are the same get the same value: it is computed
  once for each distinct set of such values;
- the rows go in one ``COPY`` (:func:`copy_rows`), each value converted as ``create()``
  converts it for its INSERT;
- then come the checks of ``create()``: Python constraints, record rules,
  company consistency, the company guard of the addon; the fields of other records
  that depend on the new ones (an attendee's meeting) are marked to recompute. The new
  records are read from the database when used (``create()`` leaves its values in
  cache: copying them there cost more than reading them again).

It leaves out the ``create()`` overrides of the modules, so it runs only when every
override of the model is listed by the caller with the reason it does nothing for these
values. An override not listed (a module installed later) sends the batch through
``create()``, as does a value this function does not write itself (x2many values,
non-stored fields, inverse fields, a model with ``_inherits``, a parent store or a
properties field). ``tests/test_bulk_create.py`` (the addon's) compares column by column
what it writes with what ``create()`` writes.
"""

import datetime
import io
import logging
import math
from decimal import Decimal

import psycopg2.extensions
from psycopg2.extras import Json as PsycopgJson

from odoo import Command, models
from odoo.models import LOG_ACCESS_COLUMNS, NewId
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

INSERT_BATCH = 1000


class _NeedsCreate(Exception):
    """The batch needs Odoo's create() after all (the message says why)."""


def create_overrides(model):
    """The Python modules whose class of ``model`` overrides ``create()`` (Odoo's own
    ``odoo.models`` left out)."""
    return {
        cls.__module__
        for cls in type(model).__mro__
        if "create" in vars(cls) and cls.__module__ != "odoo.models"
    }


def bulk_create(model, vals_list, reviewed):
    """Create the records of ``vals_list`` as ``model.create(vals_list)`` would.

    ``reviewed`` maps each module overriding ``create()`` of the model, as
    :func:`create_overrides` names it, to the reason it does nothing for these values.
    """
    model = model.browse()
    if not vals_list:
        return model
    unknown = create_overrides(model) - set(reviewed)
    why = f"create() overridden by {', '.join(sorted(unknown))}" if unknown else None
    ids = []
    if not why:
        # a thousand at a time, as the ORM prefetches: the memory stays that of a thousand
        chunks = split_every(INSERT_BATCH, vals_list, list)
        try:
            for chunk in chunks:
                ids += _insert(model, chunk).ids
            return model.browse(ids)
        except _NeedsCreate as reason:
            why = str(reason)
            vals_list = vals_list[len(ids) :]
    _logger.info("%s: %s records through create() (%s)", model._name, len(vals_list), why)
    return model.browse(ids) + model.create(vals_list)


def _insert(model, vals_list):
    """Insert ``vals_list``; raises :class:`_NeedsCreate` before writing anything when
    the batch needs ``create()``."""
    model.check_access("create")
    # what the new records hold in cache: the values given (the defaults that change
    # from one call to the next among them), not the others' defaults (see _new_records)
    held = {name for vals in vals_list for name in vals}
    vals_list, each = _with_defaults(model, vals_list)
    vals_list = _values(model, vals_list)
    held |= each
    env, cr = model.env, model.env.cr
    computed = [
        field
        for field in model._fields.values()
        if field.store and field.compute and not all(field.name in vals for vals in vals_list)
    ]
    # what each computed field reads (None: undeclared, anything)
    paths_of = {field: _dependency_paths(model, field) for field in computed}
    new_records = _new_records(model, vals_list, paths_of, held)
    cr.execute(
        SQL(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            model._table,
            len(vals_list),
        )
    )
    ids = [id_ for (id_,) in cr.fetchall()]
    # a record of the batch pointing at another one gets its id
    id_of = dict(zip(new_records._ids, ids, strict=True))
    rows = vals_list  # the values of each record, completed by the computed ones
    try:
        for field in _dependency_order(model, paths_of):
            values = _computed_values(model, field, paths_of[field], new_records, rows, id_of)
            if not field.column_type:
                # an attachment or x2many that create() would write through the field
                if any(values):
                    raise _NeedsCreate(f"computed value for {field.name}, not a column")
                continue
            for row, value in zip(rows, values, strict=True):
                row.setdefault(field.name, value)
        columns = sorted({name for row in rows for name in row})
        _insert_rows(model, columns, ids, rows)
    finally:
        _forget(new_records)
    records = model.browse(ids)

    # The one2many fields listing these records, and the fields of other records that
    # depend on them, follow; those of the records themselves are computed above.
    for name in columns:
        for inverse in model.pool.field_inverses[model._fields[name]]:
            env[inverse.model_name].invalidate_model([inverse.name])
    with env.protecting([field for field in model._fields.values() if field.compute], records):
        records.modified(columns, create=True)
    records._validate_fields(columns)
    records.check_access("create")
    # The company checks read only a record's company and the records it points at:
    # records with the same ones get the same answer, one of each is checked.
    if model._check_company_auto:
        names = [
            name
            for name, field in model._fields.items()
            if name in ("company_id", "company_ids") or (field.relational and field.check_company)
        ]
        _one_of_each(records, rows, names)._check_company()
    if hasattr(records, "_activcrea_check_companies"):
        _one_of_each(
            records, rows, [records._activcrea_company_field]
        )._activcrea_check_companies()
    return records


def _values(model, vals_list):
    """The values to insert: the column values of ``vals_list``, without the magic
    columns and without the readonly computed fields, which ``create()`` computes even
    when given (it keeps only editable ones). Raises :class:`_NeedsCreate` for a value
    that needs ``create()``."""
    if model._inherits or model._parent_store:
        raise _NeedsCreate("inherits or parent store")
    if any(field.type == "properties" for field in model._fields.values()):
        raise _NeedsCreate("properties field")
    dropped = {"id", "parent_path", *LOG_ACCESS_COLUMNS} | {
        name for name, field in model._fields.items() if field.compute and field.readonly
    }
    kind_of = {}  # what becomes of a value of each field, decided once per field

    def kind(name):
        field = model._fields.get(name)
        if field is None:
            raise _NeedsCreate(f"unknown field {name}")
        if name in dropped or (not field.store and not field.inverse):
            return "drop"  # create() ignores it too (a default of a form-only field)
        if not field.store or not field.column_type:
            return "empty"  # written by create() through the field: only when empty
        if field.inverse and not field.compute:
            raise _NeedsCreate(f"inverse field {name}")
        return "keep"

    result = []
    for vals in vals_list:
        values = {}
        for name, value in vals.items():
            if name not in kind_of:
                kind_of[name] = kind(name)
            what = kind_of[name]
            if what == "keep":
                values[name] = value
            elif what == "empty" and not _empty(model._fields[name], value):
                raise _NeedsCreate(f"value for {name}, not a column")
        result.append(values)
    return result


def _empty(field, value):
    """Whether ``value`` writes nothing. An x2many value is empty when it is an empty
    recordset or list, or commands that only clear or set nothing (what defaults give)."""
    if field.type not in ("one2many", "many2many") or isinstance(value, models.BaseModel):
        return not value
    for command in value or ():
        if not isinstance(command, (list, tuple)) or not command:
            return False
        if command[0] == Command.CLEAR:
            continue
        if command[0] == Command.SET and not command[2]:
            continue
        return False
    return True


def _with_defaults(model, vals_list):
    """``vals_list`` completed by the defaults as Odoo's ``_add_missing_default_values``
    gives them, asked once per set of given fields: ``default_get`` reads the context,
    ir.default and the fields' defaults, not the values. A default given by a function
    may change from one record to the next (an attendee's access token): the ones whose
    second call gives another value are asked for each record. Returns the completed
    values and the names of these."""
    fixed = {
        key[len("default_") :] for key in model.env.context if key.startswith("default_")
    } | set(model.env["ir.default"]._get_model_defaults(model._name))
    defaults_of = {}
    result, per_record = [], set()
    for vals in vals_list:
        key = frozenset(vals)
        if key not in defaults_of:
            completed = model._add_missing_default_values(dict(vals))
            defaults = {name: value for name, value in completed.items() if name not in vals}
            each = [
                name
                for name in defaults
                if callable(model._fields[name].default) and name not in fixed
            ]
            if each:
                again = model.default_get(each)
                each = [name for name in each if again.get(name) != defaults.get(name)]
            defaults_of[key] = (defaults, each)
        defaults, each = defaults_of[key]
        per_record.update(each)
        if each:
            # what default_get gives for them: neither the context nor ir.default sets them
            defaults = defaults | {name: model._fields[name].default(model) for name in each}
        result.append(defaults | vals)
    return result, per_record


def _new_records(model, vals_list, paths_of, held):
    """New records (in memory) holding ``vals_list``, their cache filled as ``_create``
    fills the cache of the records it inserts, for the fields of ``held`` and the ones
    the computed fields of ``paths_of`` (field: the paths it depends on) read: a field
    takes its value, an empty one when it has none, an x2many is empty. A field missing
    from a new record's cache is asked of ``default_get`` when read, record by record:
    it then gets its default, the very value it has in ``vals_list``, ``held`` naming the
    given values and the defaults that change from one call to the next. That is all
    it costs when a compute method reads a field it does not declare."""
    records = model.browse([NewId() for _vals in vals_list])
    cache = model.env.cache
    read = set()
    for paths in paths_of.values():
        # a field declaring no dependency (a person's company registry) reads what it
        # reads: the given values are in cache, another field then gets its default
        read.update(path.split(".")[0] for path in paths or ())
    given = {name for vals in vals_list for name in vals}
    # without validation, a value converts alike for every record (the record only
    # gives the environment): one record for all, not one object a record and field
    first = records[:1]
    filled = held | read
    for field in model._fields.values():
        if field in paths_of or field.name not in filled:
            continue
        if field.name in given:
            convert = field.convert_to_cache
            cache.update(
                records,
                field,
                [convert(vals.get(field.name), first, validate=False) for vals in vals_list],
            )
        elif field.type in ("one2many", "many2many"):
            cache.update(records, field, [()] * len(records))
        elif field.store:
            empty = field.convert_to_cache(None, first, validate=False)
            cache.update(records, field, [empty] * len(records))
    return records


def _forget(new_records):
    """Drop the new records from the cache, for the fields their first record holds:
    the given and computed ones are held by all, the first record being computed for
    every field (dropping every field of the model, thousands of records each, cost
    a third more). A field a compute method would read for some other records only
    stays in cache, unused, until the cache is cleared: the import clears it once
    written."""
    first, cache = new_records[:1], new_records.env.cache
    held = [name for name, field in new_records._fields.items() if cache.contains(first, field)]
    new_records.invalidate_recordset(held)


def _dependency_paths(model, field, seen=None):
    """The paths of the fields ``field``'s value depends on, as Odoo knows them
    (``@api.depends``), those through non-stored computed fields replaced by what
    these depend on; None when it declares none (it may depend on anything)."""
    seen = set() if seen is None else seen
    paths = model.pool.field_depends[field]
    if not paths:
        return None
    result = set()
    for path in paths:
        dep = model._fields[path.split(".")[0]]
        if dep.compute and not dep.store and dep is not field:
            if dep in seen:
                continue
            seen.add(dep)
            inner = _dependency_paths(model, dep, seen)
            if inner is None:
                return None
            result |= inner
        else:
            result.add(path)
    return result


def _dependency_order(model, paths_of):
    """The fields of ``paths_of``, each after the stored computed fields it depends on."""
    left, done, order = list(paths_of), set(), []
    while left:
        for field in left:
            deps = {path.split(".")[0] for path in paths_of[field] or ()}
            ready = all(
                model._fields[name] in done or model._fields[name] not in paths_of
                for name in deps
            )
            if ready or field is left[-1]:
                break
        left.remove(field)
        done.add(field)
        order.append(field)
    return order


def _computed_values(model, field, paths, records, rows, id_of):
    """The values of the stored computed ``field`` for the new ``records`` (and their
    ``rows``), ready for the INSERT.

    Odoo computes a field again only when a field it depends on changes: records whose
    values of those fields are the same get the same value. The field is computed once
    for each distinct set of such values (5,000 people have one value of their image,
    their VAT validity or their share flag, and 5,000 of their e-mail); a value pointing
    at the record itself (a person is their own commercial partner) stays each one's."""
    ids = records._ids
    if paths is None or field.translate:
        groups = [[index] for index in range(len(records))]
    else:
        names = sorted({path.split(".")[0] for path in paths})
        through = sorted(path for path in paths if "." in path)
        by_key = {}
        for index, row in enumerate(rows):
            key = [row.get(name) for name in names]
            if through:
                own = id_of[ids[index]]
                key += [_key_part(model, row, path, own, index) for path in through]
            try:
                by_key.setdefault(tuple(key), []).append(index)
            except TypeError:  # a list, dict or recordset value
                by_key.setdefault(tuple(_hashable(part) for part in key), []).append(index)
        groups = list(by_key.values())
    samples = records.browse([ids[group[0]] for group in groups])
    cache = records.env.cache
    if field.translate:
        computed = [field.convert_to_write(record[field.name], record) for record in samples]
    else:
        # computed in batch (a prefetch batch at a time), read from the cache
        for record in samples:
            if not cache.contains(record, field):
                record[field.name]
        computed = list(cache.get_values(samples, field))
    values = [None] * len(records)
    # the new records all get the value in cache too: a field computed afterwards that
    # reads it then finds it there (a recursive one would be computed record by record)
    cached = [None] * len(records)
    for group, value in zip(groups, computed, strict=True):
        # NewId: equal to no other NewId, itself included
        if field.type == "many2one" and value is ids[group[0]]:
            for index in group:
                values[index] = id_of[ids[index]]
                cached[index] = ids[index]
            continue
        if field.type == "many2one" and isinstance(value, NewId):
            if len(group) > 1 or value not in id_of:
                raise _NeedsCreate(f"{field.name} points at another new record")
            cached[group[0]] = value
            value = id_of[value]
        else:
            for index in group:
                cached[index] = value
        for index in group:
            values[index] = value
    if len(groups) < len(records) and not field.translate:
        cache.update(records, field, cached)
    return values


def _key_part(model, row, path, own, index):
    """What ``path`` reads on the new record of ``row`` (its id to be ``own``): the value
    of its first field; through a many-to-one pointing at the record itself (a person's
    commercial partner), what the rest of the path reads on the record itself. A path
    this cannot follow reads something of this record only (``index``)."""
    name, _dot, rest = path.partition(".")
    field = model._fields[name]
    value = row.get(name)
    if rest and field.type == "many2one" and field.comodel_name == model._name and value == own:
        head = model._fields.get(rest.partition(".")[0])
        if head is None or (head.compute and not head.store):
            return ("record", index)
        return ("self", _key_part(model, row, rest, own, index))
    return _hashable(value)


def _hashable(value):
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    if isinstance(value, models.BaseModel):
        return (value._name, value._ids)
    return value


# Field types whose column value depends on the value alone (and on the company and
# ir.default for a company-dependent one): converted once per distinct value (plain
# integers and links are written as they are, see column_text)
SAME_VALUE_SAME_COLUMN = {"boolean", "integer", "selection", "many2one", "date", "datetime"}


def _insert_rows(model, columns, ids, rows):
    """Write the rows, converted as ``_create`` converts them, with one COPY."""
    env = model.env
    now = env.cr.now()
    magic = [env.uid, now, env.uid, now] if model._log_access else []
    texts = [column_text(model, model._fields[name]) for name in columns]
    try:
        magic = [copy_text(value) for value in magic]
        copy_rows(
            env.cr,
            model._table,
            ["id", *columns, *(LOG_ACCESS_COLUMNS if model._log_access else [])],
            (
                [str(id_), *(text(row) for text in texts), *magic]
                for id_, row in zip(ids, rows, strict=True)
            ),
        )
    except TypeError as error:  # raised before anything is sent
        raise _NeedsCreate(str(error)) from error


def column_text(model, field):
    """``row -> text of the column in a COPY`` for ``field`` (``row``: a dict of values
    by field name), the value converted as ``_create`` converts it for its INSERT
    (``convert_to_column_insert``)."""
    name = field.name
    company_dependent = field.company_dependent

    def text(row):
        value = row.get(name)
        if value is None and not company_dependent:
            return NULL
        return copy_text(field.convert_to_column_insert(value, model, row))

    if field.type in ("char", "text") and not (field.translate or company_dependent or field.size):

        def plain_text(row):
            value = row.get(name)
            # what _String.convert_to_cache makes of a text: the text itself
            return value.translate(COPY_ESCAPES) if type(value) is str else text(row)  # noqa: E721

        return plain_text
    if field.type in ("integer", "many2one") and not company_dependent:
        zero = NULL if field.type == "many2one" else "0"  # no link, or the number 0

        def int_text(row):
            value = row.get(name)
            # what Integer and Many2one.convert_to_column make of an int: itself, 0 aside
            if type(value) is int:  # noqa: E721 - not a bool
                return str(value) if value else zero
            return text(row)

        return int_text
    if field.type not in SAME_VALUE_SAME_COLUMN:
        return text
    known = {}

    def text_once(row):
        value = row.get(name)
        try:
            return known[value]
        except KeyError:
            known[value] = result = text(row)
            return result
        except TypeError:  # not hashable
            return text(row)

    return text_once


def copy_rows(cr, table, columns, rows):
    """Insert ``rows`` (lists of column texts, see :func:`copy_text`) into ``table``
    with ``COPY ... FROM STDIN``: the same rows as an INSERT, as Odoo writes its XML ids
    in bulk (``_ensure_xml_id``). For thousands of wide rows an INSERT of their values
    is a statement of megabytes that PostgreSQL parses value by value: the COPY takes a
    third of its time (benchmarks/README.md)."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(row))
        buffer.write("\n")
    if not buffer.tell():
        return
    buffer.seek(0)
    statement = SQL(
        "COPY %s (%s) FROM STDIN",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(name) for name in columns),
    )
    # as Odoo does around its COPY: the asynchronous wait callback is incompatible
    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        cr.copy_expert(statement.code, buffer)
    finally:
        psycopg2.extensions.set_wait_callback(callback)
    # counted as a query, as Cursor.execute counts them (through a test cursor too)
    getattr(cr, "_cursor", cr).sql_log_count += 1


NULL = "\\N"
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def copy_text(value):
    """``value`` (as Odoo hands it to psycopg2) in COPY's text format."""
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        return value.isoformat(" ")
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, PsycopgJson):
        return value.dumps(value.adapted).translate(COPY_ESCAPES)
    if isinstance(value, (bytes, memoryview)):
        return "\\\\x" + bytes(value).hex()
    raise TypeError(f"no COPY text for {type(value).__name__} {value!r}")


def _one_of_each(records, rows, names):
    """One record of ``records`` for each distinct set of values of ``names``."""
    first = {}
    for record_id, row in zip(records._ids, rows, strict=True):
        first.setdefault(tuple(_hashable(row.get(name)) for name in names), record_id)
    return records.browse(list(first.values()))

"""Global search ("search everything") over a substring index that every domain can feed.

Why a suffix index: the seed's `LIKE '%x%'` UNION scans every row of every table. MariaDB has no n-gram
FULLTEXT parser and SQLite's FTS5 would need a second implementation, so both backends share one portable
index: for every indexed field we store its suffixes that start at a letter or digit, cut to 24 characters
(`search_term`), so "the query occurs in the field" becomes "the query (its first 24 characters) is a prefix of
a stored suffix": one B-tree range seek on `(kind, term)`, however common the words are.

- Semantics are the seed's `LIKE '%query%'` on normalised text (case- and accent-insensitive, spaces
  collapsed), so "acme corp" finds "Acme Corporation" and "ian mart" finds "Cian Martin".
- `kind` WHOLE (2): a whole field value ("john.smith@example.com", "acme corporation") serves exact matches;
  TOKEN (1): a suffix starting at a word start serves prefix matches ("mart" in "cian martin"); INNER (0): the
  other suffixes serve substring matches ("arti"). Results come in that order, each stage a bounded range scan
  that stops once the requested page is full; at most `MAX_RESULTS` matches are ranked and counted.
- Phone numbers match on digits: runs of digits written with phone punctuation ("+44 7700 900123") are also
  indexed as digits, and a phone-like query is reduced to its digits without the trunk prefix, so
  "07700 900123" finds "+44 7700 900123".
- Domains register a source (entity type, stable type code, model, `describe(obj) -> Searchable`); an ORM
  `after_flush` hook keeps the index in step with every create/update/delete, so no service can forget it. A
  document of a non-Open customer (and of everything that customer owns) is `closed` and hidden unless the
  caller asks for closed records.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Integer,
    SmallInteger,
    String,
    Text,
    and_,
    bindparam,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, Session, mapped_column

from omnicrm.core import jobs
from omnicrm.core.api import Page
from omnicrm.core.auth import Principal
from omnicrm.core.db import Base
from omnicrm.core.errors import field_error

INNER, TOKEN, WHOLE = 0, 1, 2
MAX_KEY_CHARS = 24  # suffixes are cut here; longer queries seek on their first 24 characters, then verify
MAX_WHOLE_CHARS = 64
MIN_SUFFIX_CHARS = 2
MIN_QUERY_CHARS = 2
MAX_RESULTS = 1000
TERMS_PER_INSERT = 300  # 900 parameters: under SQLite's limit
TYPE_CODE_SHIFT = 40  # doc_id = type_code << 40 | entity_id: deterministic, so no id lookups when indexing

_PHONE_RUN = re.compile(r"\+?\d[\d\s().\-/]*\d")
_PHONE_QUERY = re.compile(r"[\d\s().\-/+]+")
MIN_PHONE_DIGITS = 6


class SearchDocument(Base):
    """One searchable record (a customer, a contact, a site, an inventory item, a service)."""

    __tablename__ = "search_document"
    __audit__ = False

    doc_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                        autoincrement=False)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[int | None] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(255))
    # The normalised field values, one per line: verifies multi-word queries and regenerates old terms.
    search_text: Mapped[str] = mapped_column(Text)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class SearchTerm(Base):
    __tablename__ = "search_term"
    __audit__ = False
    __table_args__ = {"sqlite_with_rowid": False}

    kind: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    # Binary collation on MariaDB/MySQL so range bounds follow code points, as SQLite's BINARY does.
    term: Mapped[str] = mapped_column(
        String(MAX_WHOLE_CHARS).with_variant(mysql.VARCHAR(MAX_WHOLE_CHARS, collation="utf8mb4_bin"),
                                             "mysql", "mariadb"),
        primary_key=True)
    doc_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


# --------------------------------------------------------------------------------------------------
# Sources


@dataclass(frozen=True)
class Searchable:
    """What a source says about one record; `closed=None` inherits the owning customer's state."""

    name: str
    customer_id: int | None
    fields: tuple[str | None, ...]
    closed: bool | None = None


@dataclass(frozen=True)
class SearchSource:
    entity_type: str
    type_code: int
    model: type
    describe: Callable[[Any], Searchable | None]
    permission: str  # callers without it never see this type
    defines_closed: bool = False  # True for the customer source: its `closed` propagates to the customer's docs

    def doc_id(self, entity_id: int) -> int:
        return (self.type_code << TYPE_CODE_SHIFT) | entity_id

    def doc_id_range(self) -> tuple[int, int]:
        return self.type_code << TYPE_CODE_SHIFT, (self.type_code + 1) << TYPE_CODE_SHIFT

    def entity_id_of(self, obj: Any) -> int | None:
        key = inspect(type(obj)).primary_key_from_instance(obj)
        return key[0] if len(key) == 1 and isinstance(key[0], int) else None


_SOURCES: dict[str, SearchSource] = {}


def register_source(entity_type: str, type_code: int, model: type, describe: Callable[[Any], Searchable | None],
                    *, permission: str, defines_closed: bool = False) -> SearchSource:
    """Make a model searchable. Type codes are part of the stored doc ids: never reuse or change one."""
    existing = _SOURCES.get(entity_type)
    source = SearchSource(entity_type, type_code, model, describe, permission.lower(), defines_closed)
    if existing is not None and (existing.type_code, existing.model) == (type_code, model):
        _SOURCES[entity_type] = source
        return source
    clash = [s.entity_type for s in _SOURCES.values() if s.type_code == type_code or s.entity_type == entity_type]
    if clash or not 0 < type_code < 1 << 20:
        raise ValueError(f"search source {entity_type}/{type_code} clashes with {clash} or has a bad type code")
    _SOURCES[entity_type] = source
    return source


def unregister_source(entity_type: str) -> None:
    """Forget a source (its stored documents stay until `rebuild`); used by tests and plug-in teardown."""
    _SOURCES.pop(entity_type, None)


def sources() -> list[SearchSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.type_code)


def source_for(obj: Any) -> SearchSource | None:
    for source in _SOURCES.values():
        if isinstance(obj, source.model):
            return source
    return None


# --------------------------------------------------------------------------------------------------
# Normalisation and terms


def normalise(text: str | None) -> str:
    """Case-folded, accent-free, whitespace-collapsed: "  José  SMITH " -> "jose smith"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def phone_digit_runs(text: str) -> list[str]:
    runs = (re.sub(r"\D", "", match) for match in _PHONE_RUN.findall(text))
    return [digits for digits in runs if len(digits) >= MIN_PHONE_DIGITS]


def _word_start(text: str, index: int) -> bool:
    return index == 0 or not text[index - 1].isalnum()


def terms_of(fields: Iterable[str]) -> set[tuple[int, str]]:
    """The index rows of one document's normalised fields."""
    terms: set[tuple[int, str]] = set()
    for field in fields:
        if not field:
            continue
        if len(field) <= MAX_WHOLE_CHARS:
            terms.add((WHOLE, field))
        for text in (field, *phone_digit_runs(field)):
            for start in range(len(text) - MIN_SUFFIX_CHARS + 1):
                if text[start].isalnum():
                    terms.add((TOKEN if _word_start(text, start) else INNER, text[start:start + MAX_KEY_CHARS]))
    return terms


def normalised_fields(searchable: Searchable) -> list[str]:
    seen: dict[str, None] = {}
    for value in searchable.fields:
        text = normalise(value)
        if text:
            seen.setdefault(text, None)
    return list(seen)


# --------------------------------------------------------------------------------------------------
# Writing the index


@dataclass
class PendingDocument:
    source: SearchSource
    entity_id: int
    searchable: Searchable | None  # None: remove from the index


def write_documents(connection: Connection, pending: Sequence[PendingDocument]) -> None:
    """Bring the index rows of these records up to date (customers first, so children inherit `closed`)."""
    ordered = sorted(pending, key=lambda p: not p.source.defines_closed)
    existing = _existing_documents(connection, [p.source.doc_id(p.entity_id) for p in ordered])
    customer_closed: dict[int, bool] = {}
    stale_terms: list[dict[str, Any]] = []
    new_docs: list[dict[str, Any]] = []
    new_terms: list[tuple[int, str, int]] = []
    removed: list[int] = []
    for item in ordered:
        doc_id = item.source.doc_id(item.entity_id)
        row = _document_row(connection, item, doc_id, customer_closed)
        old = existing.get(doc_id)
        if old is not None and row is not None and _same(old, row):
            continue
        if old is not None:
            stale_terms.extend({"k": kind, "t": term, "d": doc_id} for kind, term in terms_of(old["search_text"]
                                                                                            .split("\n")))
            removed.append(doc_id)
        if row is not None:
            new_docs.append(row)
            new_terms.extend((kind, term, doc_id) for kind, term in terms_of(row["search_text"].split("\n")))
            if item.source.defines_closed and old is not None and old["closed"] != row["closed"]:
                _propagate_closed(connection, item.entity_id, doc_id, row["closed"])
    _apply(connection, stale_terms, removed, new_docs, new_terms)


def _apply(connection: Connection, stale_terms: list[dict[str, Any]], removed: list[int],
           new_docs: list[dict[str, Any]], new_terms: list[tuple[int, str, int]]) -> None:
    if stale_terms:
        connection.execute(delete(SearchTerm).where(SearchTerm.kind == bindparam("k"),
                                                    SearchTerm.term == bindparam("t"),
                                                    SearchTerm.doc_id == bindparam("d")), stale_terms)
    for chunk in _chunks(removed, 500):
        connection.execute(delete(SearchDocument).where(SearchDocument.doc_id.in_(chunk)))
    if new_docs:
        connection.execute(insert(SearchDocument), new_docs)
    new_terms.sort()  # in key order: B-tree appends instead of random inserts (several times faster in bulk)
    _insert_terms(connection, new_terms)


def _insert_terms(connection: Connection, rows: list[tuple[int, str, int]]) -> None:
    """Multi-row INSERTs straight to the driver: term rows are many and tiny, per-row overheads dominate."""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    for chunk in _chunks(rows, TERMS_PER_INSERT):
        values = ", ".join([f"({mark}, {mark}, {mark})"] * len(chunk))
        connection.exec_driver_sql(f"INSERT INTO search_term (kind, term, doc_id) VALUES {values}",
                                   tuple(chain.from_iterable(chunk)))


def _document_row(connection: Connection, item: PendingDocument, doc_id: int,
                  customer_closed: dict[int, bool]) -> dict[str, Any] | None:
    searchable = item.searchable
    if searchable is None:
        return None
    closed = searchable.closed
    if item.source.defines_closed:
        customer_closed[item.entity_id] = bool(closed)
    elif closed is None:
        closed = _inherited_closed(connection, searchable.customer_id, customer_closed)
    return {"doc_id": doc_id, "entity_type": item.source.entity_type, "entity_id": item.entity_id,
            "customer_id": searchable.customer_id, "name": (searchable.name or "")[:255],
            "search_text": "\n".join(normalised_fields(searchable)), "closed": bool(closed)}


def _inherited_closed(connection: Connection, customer_id: int | None, known: dict[int, bool]) -> bool:
    if customer_id is None:
        return False
    if customer_id not in known:
        owner = next((s for s in _SOURCES.values() if s.defines_closed), None)
        value = None if owner is None else connection.scalar(
            select(SearchDocument.closed).where(SearchDocument.doc_id == owner.doc_id(customer_id)))
        known[customer_id] = bool(value)
    return known[customer_id]


def _propagate_closed(connection: Connection, customer_id: int, own_doc_id: int, closed: bool) -> None:
    connection.execute(update(SearchDocument)
                       .where(SearchDocument.customer_id == customer_id, SearchDocument.doc_id != own_doc_id)
                       .values(closed=closed))


def _existing_documents(connection: Connection, doc_ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(doc_ids, 500):
        for row in connection.execute(select(SearchDocument.__table__).where(SearchDocument.doc_id.in_(chunk))):
            found[row.doc_id] = dict(row._mapping)
    return found


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return all(old[key] == new[key] for key in ("name", "search_text", "closed", "customer_id"))


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def pending_for(obj: Any, *, deleted: bool = False) -> PendingDocument | None:
    source = source_for(obj)
    if source is None:
        return None
    entity_id = source.entity_id_of(obj)
    if entity_id is None:
        return None
    return PendingDocument(source, entity_id, None if deleted else source.describe(obj))


@event.listens_for(Session, "after_flush")
def _maintain_index(session: Session, _flush_context: Any) -> None:
    if not _SOURCES:
        return
    pending: dict[tuple[str, int], PendingDocument] = {}
    changed = [(obj, False) for obj in session.new]
    changed += [(obj, False) for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    changed += [(obj, True) for obj in session.deleted]
    for obj, deleted in changed:
        item = pending_for(obj, deleted=deleted)
        if item is not None:
            pending[(item.source.entity_type, item.entity_id)] = item
    if pending:
        write_documents(session.connection(), list(pending.values()))


def rebuild(session: Session, entity_types: Iterable[str] | None = None, batch_size: int = 1000) -> int:
    """Re-index every record of these types (all by default), e.g. after a domain registers a new source."""
    chosen = [s for s in sources() if entity_types is None or s.entity_type in set(entity_types)]
    connection = session.connection()
    count = 0
    for source in sorted(chosen, key=lambda s: not s.defines_closed):
        low, high = source.doc_id_range()
        connection.execute(delete(SearchTerm).where(SearchTerm.doc_id >= low, SearchTerm.doc_id < high))
        connection.execute(delete(SearchDocument).where(SearchDocument.doc_id >= low, SearchDocument.doc_id < high))
        for batch in _batches_by_key(session, source.model, batch_size):
            items = [item for item in map(pending_for, batch) if item is not None]
            write_documents(connection, items)
            count += len(items)
    return count


def _batches_by_key(session: Session, model: type, size: int, *, after: Any = None,
                    up_to: Any = None) -> Iterator[list[Any]]:
    """Keyset pages (no server-side cursor held open while the index is written on the same connection)."""
    mapper = inspect(model)
    key = mapper.primary_key[0]
    attribute = mapper.get_property_by_column(key).key
    last = after
    while True:
        stmt = select(model).order_by(key).limit(size)
        if last is not None:
            stmt = stmt.where(key > last)
        if up_to is not None:
            stmt = stmt.where(key <= up_to)
        batch = list(session.scalars(stmt))
        if not batch:
            return
        yield batch
        last = getattr(batch[-1], attribute)


INDEX_RANGE_JOB = "search.index_range"


def enqueue_index_range(session: Session, entity_type: str, first_id: int, last_id: int) -> None:
    """Index rows written in bulk (bypassing the ORM flush hook) in the background, batch by batch."""
    if entity_type not in _SOURCES:
        raise ValueError(f"{entity_type} is not a search source")
    jobs.enqueue(session, INDEX_RANGE_JOB, {"entity_type": entity_type, "first_id": first_id, "last_id": last_id})


@jobs.job_handler(INDEX_RANGE_JOB)
def _index_range(ctx: jobs.JobContext) -> dict[str, Any]:
    source = _SOURCES[ctx.payload["entity_type"]]
    first, last = int(ctx.payload["first_id"]), int(ctx.payload["last_id"])
    done, after = 0, first - 1
    while after < last:
        with ctx.db.transaction() as session:
            batch = next(_batches_by_key(session, source.model, 1000, after=after, up_to=last), [])
            if not batch:
                break
            write_documents(session.connection(), [item for item in map(pending_for, batch) if item is not None])
            after = source.entity_id_of(batch[-1]) or last
        done += len(batch)
        ctx.progress(done, last - first + 1)
    return {"indexed": done}


# --------------------------------------------------------------------------------------------------
# Querying


class QueryTooShort(ValueError):
    pass


@dataclass(frozen=True)
class ParsedQuery:
    key: str  # what must occur: normalised text, or the digits of a phone-like query
    exact_terms: tuple[str, ...]  # whole-field values that count as an exact match
    phone: bool


def parse_query(raw: str) -> ParsedQuery:
    text = normalise(raw)
    digits = re.sub(r"\D", "", text)
    if _PHONE_QUERY.fullmatch(text) and len(digits) >= 3:
        significant = digits.lstrip("0") or digits  # national trunk prefix / international "00"
        exact = tuple(dict.fromkeys(t for t in (text, digits, significant) if len(t) <= MAX_WHOLE_CHARS))
        return ParsedQuery(significant, exact, True)
    key = _trim_to_alphanumerics(text)  # stored suffixes start at a letter or digit
    if sum(ch.isalnum() for ch in key) < MIN_QUERY_CHARS:
        raise QueryTooShort(f"must contain at least {MIN_QUERY_CHARS} letters or digits")
    return ParsedQuery(key, (key,) if len(key) <= MAX_WHOLE_CHARS else (), False)


def _trim_to_alphanumerics(text: str) -> str:
    alphanumeric = [i for i, ch in enumerate(text) if ch.isalnum()]
    return text[alphanumeric[0]:alphanumeric[-1] + 1] if alphanumeric else ""


@dataclass(frozen=True)
class Scope:
    include_closed: bool = False
    entity_types: tuple[str, ...] | None = None  # None: every registered type
    customer_id: int | None = None  # self-care: only this customer's documents


MATCH_ORDER = ("exact", "prefix", "substring")


@dataclass
class Hit:
    doc_id: int
    match: str  # exact | prefix | substring


@dataclass
class Results:
    hits: list[Hit]  # the requested slice, best first
    total: int  # all matches, counted up to MAX_RESULTS


def successor(prefix: str) -> str:
    """The smallest string greater than every string that starts with `prefix` (code-point order)."""
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    return prefix[:-1] + chr(min(following, 0x10FFFF))


def _seek(query: ParsedQuery) -> tuple[dict[str, Any], int]:
    """Bind parameters of the range seek, and whether the key is longer than the suffixes (then verified)."""
    key = query.key[:MAX_KEY_CHARS]
    verify = len(query.key) > MAX_KEY_CHARS
    return {"lo": key, "hi": successor(key), **({"o0": query.key} if verify else {})}, int(verify)


def search(session: Session, query: ParsedQuery, scope: Scope, *, offset: int = 0,
           limit: int = MAX_RESULTS) -> Results:
    """Matching documents ranked exact, then prefix, then substring; `offset`/`limit` select the slice."""
    if scope.customer_id is not None:
        return _search_one_customer(session, query, scope, offset, limit)
    connection = session.connection()
    params, verify = _seek(query)
    shape = (scope.include_closed, verify, _type_ranges(scope))
    wanted = min(offset + limit, MAX_RESULTS)
    ranked: dict[int, Hit] = {}
    for stage in MATCH_ORDER:
        if len(ranked) >= wanted or (stage == "exact" and not query.exact_terms):
            continue
        # Up to len(ranked) of a stage's documents may already be ranked, so `wanted` rows always fill the slice.
        rows = connection.execute(_statement(stage, *shape),
                                  {**params, "exact": list(query.exact_terms), "lim": wanted}).scalars()
        for doc_id in rows:
            ranked.setdefault(doc_id, Hit(doc_id, stage))
    # Every exact match is also a prefix or substring match, so this counts them all (up to MAX_RESULTS).
    counted = connection.execute(_statement("count", *shape), {**params, "lim": MAX_RESULTS}).scalar()
    return Results(list(ranked.values())[offset:offset + limit], max(len(ranked), int(counted or 0)))


_STAGE_KINDS = {"prefix": (TOKEN,), "substring": (INNER,), "count": (INNER, TOKEN)}


@lru_cache(maxsize=256)
def _statement(purpose: str, include_closed: bool, verify: int, ranges: tuple[tuple[int, int], ...] | None) -> Any:
    """A statement template per query shape: built once, then only bound (searches are latency-bound)."""
    stmt = select(SearchTerm.doc_id).distinct()
    if not include_closed or verify:
        stmt = stmt.join(SearchDocument, SearchDocument.doc_id == SearchTerm.doc_id)
    if not include_closed:
        stmt = stmt.where(SearchDocument.closed.is_(False))
    if verify:
        stmt = stmt.where(func.instr(SearchDocument.search_text, bindparam("o0")) > 0)
    if ranges is not None:
        stmt = stmt.where(or_(*(and_(SearchTerm.doc_id >= low, SearchTerm.doc_id < high) for low, high in ranges)))
    if purpose == "exact":
        stmt = stmt.where(SearchTerm.kind == WHOLE, SearchTerm.term.in_(bindparam("exact", expanding=True)))
    else:
        kinds = _STAGE_KINDS[purpose]
        stmt = stmt.where(SearchTerm.kind.in_(kinds) if len(kinds) > 1 else SearchTerm.kind == kinds[0],
                          SearchTerm.term >= bindparam("lo"), SearchTerm.term < bindparam("hi"))
    stmt = stmt.limit(bindparam("lim", type_=Integer))
    return select(func.count()).select_from(stmt.subquery()) if purpose == "count" else stmt


def _type_ranges(scope: Scope) -> tuple[tuple[int, int], ...] | None:
    if scope.entity_types is None:
        return None
    wanted = tuple(s.doc_id_range() for s in sources() if s.entity_type in scope.entity_types)
    return wanted or ((0, 0),)


def documents(session: Session, doc_ids: Sequence[int]) -> dict[int, Any]:
    if not doc_ids:
        return {}
    table = SearchDocument.__table__
    rows = session.connection().execute(
        select(table.c.doc_id, table.c.entity_type, table.c.entity_id, table.c.customer_id, table.c.name)
        .where(table.c.doc_id.in_(doc_ids)))
    return {row.doc_id: row for row in rows}


def matching_entity_ids(entity_type: str, raw: str) -> Any:
    """A sub-select of the ids of `entity_type` records matching `raw` (lists use it for `search`)."""
    query = parse_query(raw)
    params, verify = _seek(query)
    low, high = _SOURCES[entity_type].doc_id_range()
    stmt = (select(SearchDocument.entity_id)
            .join(SearchTerm, SearchTerm.doc_id == SearchDocument.doc_id)
            .where(SearchTerm.kind.in_((INNER, TOKEN)), SearchTerm.term >= params["lo"],
                   SearchTerm.term < params["hi"], SearchTerm.doc_id >= low, SearchTerm.doc_id < high))
    if verify:
        stmt = stmt.where(func.instr(SearchDocument.search_text, query.key) > 0)
    return stmt.distinct()


def _search_one_customer(session: Session, query: ParsedQuery, scope: Scope, offset: int, limit: int) -> Results:
    """A self-care customer owns a handful of documents: rank them all in Python, with the index's rules."""
    stmt = select(SearchDocument.doc_id, SearchDocument.search_text).where(
        SearchDocument.customer_id == scope.customer_id)
    if not scope.include_closed:
        stmt = stmt.where(SearchDocument.closed.is_(False))
    ranges = _type_ranges(scope)
    if ranges is not None:
        stmt = stmt.where(or_(*(and_(SearchDocument.doc_id >= low, SearchDocument.doc_id < high)
                                for low, high in ranges)))
    ranked = []
    for doc in session.execute(stmt.limit(10 * MAX_RESULTS)):
        label = match_label(query, doc.search_text.split("\n"))
        if label is not None:
            ranked.append((MATCH_ORDER.index(label), doc.doc_id, label))
    ranked.sort()
    return Results([Hit(doc_id, label) for _, doc_id, label in ranked[offset:offset + limit]],
                   min(len(ranked), MAX_RESULTS))


def match_label(query: ParsedQuery, fields: Sequence[str]) -> str | None:
    """How one document's normalised fields match: the index stages' rules, applied in Python."""
    haystacks = [*fields, *(run for f in fields for run in phone_digit_runs(f))]
    positions = [(h, i) for h in haystacks for i in _occurrences(h, query.key)]
    if not positions:
        return None
    if any(f in query.exact_terms for f in fields):
        return "exact"
    return "prefix" if any(_word_start(h, i) for h, i in positions) else "substring"


def _occurrences(text: str, key: str) -> Iterator[int]:
    index = text.find(key)
    while index != -1:
        yield index
        index = text.find(key, index + 1)


# --------------------------------------------------------------------------------------------------
# The service behind GET /utilities/search_everything


def search_everything(session: Session, principal: Principal, raw: str, *, page: int, per_page: int,
                      include_closed: bool = False, types: Sequence[str] | None = None) -> Page:
    """Ranked, paginated matches of the types the principal may see (self-care: only its own customer's)."""
    try:
        query = parse_query(raw)
    except QueryTooShort as exc:
        raise field_error("search", str(exc)) from None
    unknown = sorted(set(types or ()) - set(_SOURCES))
    if unknown:
        raise field_error("types", f"unknown type(s) {', '.join(unknown)}; known: {', '.join(_SOURCES)}")
    visible = tuple(s.entity_type for s in sources()
                    if principal.can(s.permission) and (not types or s.entity_type in types))
    scope = Scope(include_closed=include_closed, entity_types=None if len(visible) == len(_SOURCES) else visible,
                  customer_id=principal.customer_id if principal.is_self_care else None)
    results = search(session, query, scope, offset=(page - 1) * per_page, limit=per_page)
    found = documents(session, [hit.doc_id for hit in results.hits])
    rows = [{"id": doc.entity_id, "name": doc.name, "customer_id": doc.customer_id, "type": doc.entity_type,
             "match": hit.match} for hit in results.hits if (doc := found.get(hit.doc_id)) is not None]
    return Page(items=rows, page=page, per_page=per_page, total=results.total)

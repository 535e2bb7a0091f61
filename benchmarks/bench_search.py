"""Global search at scale: the substring index against the seed's naive `LIKE '%x%'` UNION, same data, same run.

    python -m benchmarks search
    BENCH_SEARCH_ROWS=100000 python -m benchmarks search            # a quicker, smaller run
    BENCH_DATABASE_URL=mysql+pymysql://... python -m benchmarks search  # an (empty) MariaDB/MySQL database

Builds a fresh database through the real migrations with 1 000 000 searchable rows (customers, contacts, sites in
the proportions 25/40/35), indexes them through the production indexer (`search.write_documents` with each
model's own `search_entry`), then times `search.search_everything` (page 1 of 10, with its capped total) and the
seed's UNION of LIKE scans (page 1 of 10 plus its COUNT) over the same mix of realistic queries: full names,
surnames, name prefixes, inner fragments, e-mails, phone numbers as people type them, streets, postcodes, misses.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event, func, insert, inspect, literal, or_, select, union_all
from sqlalchemy.orm import configure_mappers

from benchmarks.common import Report, latency_summary, time_calls
from omnicrm.core.auth import Principal
from omnicrm.core.db import Database, utcnow
from omnicrm.core.migrate import upgrade
from omnicrm.customers.models import Contact, Customer, Site
from omnicrm.utilities import search
from omnicrm.utilities.search import SearchTerm

ROWS = int(os.environ.get("BENCH_SEARCH_ROWS", "1000000"))
INDEXED_QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", "400"))
BASELINE_QUERIES = int(os.environ.get("BENCH_SEARCH_BASELINE_QUERIES", "40"))
CHUNK_CUSTOMERS = 20000

FIRST = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
         "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Chloe",
         "Oliver", "Amelia", "Noah", "Isla", "Jack", "Mia", "Leo", "Grace", "Lucas", "Zoë", "José", "Aroha", "Wiremu",
         "Priya", "Arjun", "Mei", "Hiroshi", "Olga", "Dmitri", "Fatima", "Omar", "Ingrid", "Lars", "Siobhan", "Cian"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Nguyen",
        "Walker", "Hall", "Allen", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Campbell",
        "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards",
        "Stewart", "Morris", "Murphy", "Cook", "Rogers", "O'Brien", "Kowalski", "Papadopoulos", "Tanaka", "Singh"]
WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Hooli",
         "Vandelay", "Soylent", "Aperture", "Oscorp", "Gringotts", "Monarch", "Dunder", "Pied", "Piper", "Massive",
         "Dynamic", "Blue", "Sun", "River", "Harbour", "Summit", "Pacific", "Southern", "Northern", "Coastal"]
SUFFIX = ["Pty Ltd", "Networks", "Holdings", "Group", "Telecom", "Logistics", "Farms", "Consulting", "Media", "Labs"]
STREETS = ["Main", "High", "George", "Pitt", "Collins", "Bourke", "Queen", "King", "Elizabeth", "Victoria", "Albert",
           "Wallaby", "Harbour", "Park", "Church", "Station", "Railway", "Beach", "Ocean", "Mountain"]
STREET_TYPES = ["Street", "Road", "Avenue", "Lane", "Parade", "Way", "Drive", "Crescent"]
CITIES = [("Sydney", "NSW", 2000), ("Melbourne", "VIC", 3000), ("Brisbane", "QLD", 4000), ("Perth", "WA", 6000),
          ("Adelaide", "SA", 5000), ("Hobart", "TAS", 7000), ("Darwin", "NT", 800), ("Canberra", "ACT", 2600)]
DOMAINS = ["example.com", "mail.example", "corp.example", "isp.example", "post.example"]

ADMIN = Principal(kind="user", permissions=frozenset({"admin"}), username="bench")


# --------------------------------------------------------------------------------------------------
# Data


class Generator:
    """Deterministic synthetic customers, contacts and sites, plus realistic queries drawn from them."""

    def __init__(self, total_rows: int):
        self.rng = random.Random(42)
        self.customers = total_rows * 25 // 100
        self.contacts = total_rows * 40 // 100
        self.sites = total_rows - self.customers - self.contacts
        self.queries: list[str] = []

    def chunks(self) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]:
        contact_id = site_id = 0
        for start in range(0, self.customers, CHUNK_CUSTOMERS):
            customer_ids = range(start + 1, min(start + CHUNK_CUSTOMERS, self.customers) + 1)
            customers = [self.customer(cid) for cid in customer_ids]
            contacts, sites = [], []
            for customer in customers:
                for _ in range(self._share(self.contacts, customer["customer_id"], contact_id)):
                    contact_id += 1
                    contacts.append(self.contact(contact_id, customer["customer_id"]))
                for _ in range(self._share(self.sites, customer["customer_id"], site_id)):
                    site_id += 1
                    sites.append(self.site(site_id, customer["customer_id"]))
            yield customers, contacts, sites

    def _share(self, total: int, customer_id: int, made: int) -> int:
        """Spread `total` children over the customers (the last customers take what is left)."""
        return max(0, min(total, total * customer_id // self.customers) - made)

    def customer(self, customer_id: int) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.6:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            kind = "Individual"
        else:
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(SUFFIX)} {customer_id}"
            kind = "Business"
        status = "Open" if rng.random() < 0.9 else rng.choice(["Suspended", "Closed", "Archived"])
        self._maybe_query(0.002, name)
        return {"customer_id": customer_id, "customer_name": name, "customer_account_type": kind,
                "customer_status": status, "customer_payment_type": rng.choice(["prepaid", "postpaid"]),
                "customer_enabled": True, "created": utcnow(), "last_modified": utcnow()}

    def contact(self, contact_id: int, customer_id: int) -> dict[str, Any]:
        rng = self.rng
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}{contact_id}@{rng.choice(DOMAINS)}".lower().replace("'", "")
        national = f"4{rng.randrange(10**8):08d}"
        phone = f"0{national[:3]} {national[3:6]} {national[6:]}" if rng.random() < 0.5 else f"+61 {national}"
        self._maybe_query(0.0015, email)
        self._maybe_query(0.0015, f"0{national[:3]} {national[3:6]} {national[6:]}")
        self._maybe_query(0.001, national[-6:])
        self._maybe_query(0.001, last)
        self._maybe_query(0.001, f"{first} {last}")
        self._maybe_query(0.001, first[:3])
        self._maybe_query(0.001, email.split("@")[0][2:8])
        return {"contact_id": contact_id, "customer_id": customer_id, "contact_firstname": first,
                "contact_lastname": last, "contact_email": email, "contact_phone": phone,
                "contact_phone_e164": f"+61{national}", "contact_types": ["primary"], "created": utcnow(),
                "last_modified": utcnow()}

    def site(self, site_id: int, customer_id: int) -> dict[str, Any]:
        rng = self.rng
        city, state, postcode = rng.choice(CITIES)
        street = f"{rng.randrange(1, 400)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"
        self._maybe_query(0.0015, street)
        self._maybe_query(0.001, f"{postcode + rng.randrange(0, 50):04d}")
        return {"site_id": site_id, "customer_id": customer_id, "site_name": rng.choice(["Head Office", "Home",
                                                                                          "Depot", "Branch"]),
                "address_line_1": street, "city": city, "state": state,
                "zip_code": f"{postcode + rng.randrange(0, 50):04d}", "country": "Australia",
                "latitude": -33.0 - rng.random() * 5, "longitude": 145.0 + rng.random() * 8, "created": utcnow(),
                "last_modified": utcnow()}

    def _maybe_query(self, probability: float, text: str) -> None:
        if self.rng.random() < probability * 1_000_000 / max(self.customers * 4, 1):
            self.queries.append(text)


def build(url: str, generator: Generator) -> dict[str, Any]:
    """Load and index everything; SQLite gets a 1 GB page cache for the load only (queries use the default)."""
    db = Database.from_url(url)
    if db.engine.dialect.name == "sqlite":
        event.listen(db.engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA cache_size=-1000000"))
    started = time.perf_counter()
    index_seconds = 0.0
    sources = {s.model: s for s in search.sources()}
    configure_mappers()
    with db.engine.begin() as connection:
        for customers, contacts, sites in generator.chunks():
            connection.execute(insert(Customer), customers)
            if contacts:
                connection.execute(insert(Contact), contacts)
            if sites:
                connection.execute(insert(Site), sites)
            began = time.perf_counter()
            index_chunk(connection, sources, customers, contacts, sites)
            index_seconds += time.perf_counter() - began
    if db.engine.dialect.name == "sqlite":
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    db.engine.dispose()
    return {"build_seconds": round(time.perf_counter() - started, 1), "index_seconds": round(index_seconds, 1)}


def index_chunk(connection: Connection, sources: dict[type, Any], *tables: list[dict[str, Any]]) -> None:
    pending = []
    for model, rows in zip((Customer, Contact, Site), tables, strict=True):
        source = sources[model]
        key = inspect(model).primary_key[0].key
        for row in rows:
            pending.append(search.PendingDocument(source, row[key], source.describe(_transient(model, row))))
    search.write_documents(connection, pending)


def _transient(model: type, row: dict[str, Any]) -> Any:
    """A model instance holding `row` without the cost of the instrumented constructor (bench setup only)."""
    entity = inspect(model).class_manager.new_instance()
    entity.__dict__.update(row)
    return entity


# --------------------------------------------------------------------------------------------------
# The two searches


def indexed_search(db: Database, text: str) -> int:
    with db.session() as session:
        page = search.search_everything(session, ADMIN, text, page=1, per_page=10)
        session.rollback()
        return page.total


def naive_like_union(db: Database, text: str) -> int:
    """The seed's query (seed-extract-4 §11.11): a UNION ALL of LIKE '%x%' scans, page 1 plus its total."""
    pattern = f"%{text}%"
    union = union_all(
        select(Customer.customer_id.label("id"), Customer.customer_name.label("name"),
               Customer.customer_id.label("customer_id"), literal("customer").label("type"))
        .where(Customer.customer_name.like(pattern), Customer.customer_status == "Open"),
        select(Contact.contact_id, Contact.contact_firstname + " " + Contact.contact_lastname, Contact.customer_id,
               literal("contact"))
        .where(or_(Contact.contact_firstname.like(pattern), Contact.contact_lastname.like(pattern),
                   Contact.contact_email.like(pattern), Contact.contact_phone.like(pattern))),
        select(Site.site_id, Site.site_name, Site.customer_id, literal("site"))
        .where(or_(Site.site_name.like(pattern), Site.address_line_1.like(pattern))),
    ).subquery()
    with db.engine.connect() as connection:
        connection.execute(select(union).limit(10)).all()
        return int(connection.scalar(select(func.count()).select_from(union)) or 0)


# --------------------------------------------------------------------------------------------------


def run() -> Report:
    report = Report("search")
    url = os.environ.get("BENCH_DATABASE_URL")
    workdir = None
    if not url:
        workdir = tempfile.mkdtemp(prefix="omnicrm-bench-search-")
        url = f"sqlite:///{Path(workdir) / 'search.db'}"
    upgrade(url)
    generator = Generator(ROWS)
    report.add("searchable_rows", generator.customers + generator.contacts + generator.sites)
    report.add("rows_by_type", {"customer": generator.customers, "contact": generator.contacts,
                                "site": generator.sites})
    report.add("build", build(url, generator))
    db = Database.from_url(url)
    report.add("backend", db.engine.dialect.name)
    with db.engine.connect() as connection:
        report.add("index_term_rows", connection.scalar(select(func.count()).select_from(SearchTerm)))
    if workdir:
        report.add("database_mb", round((Path(workdir) / "search.db").stat().st_size / 2**20))

    rng = random.Random(7)
    queries = [*generator.queries, "zzqx", "nonexistent customer", "0499 999 999"]
    rng.shuffle(queries)
    indexed_sample = (queries * (INDEXED_QUERIES // max(len(queries), 1) + 1))[:INDEXED_QUERIES]
    baseline_sample = queries[:BASELINE_QUERIES]
    report.add("distinct_queries", len(queries))
    report.add("query_examples", queries[:12])

    for text in indexed_sample[:20]:
        indexed_search(db, text)  # warm the caches the same way for both
    naive_like_union(db, baseline_sample[0])
    indexed = _timings(lambda text: indexed_search(db, text), indexed_sample)
    baseline = _timings(lambda text: naive_like_union(db, text), baseline_sample)
    paired = _timings(lambda text: indexed_search(db, text), baseline_sample)
    report.add("indexed", latency_summary(indexed))
    report.add("naive_like_union", latency_summary(baseline))
    report.add("indexed_on_the_baseline_queries", latency_summary(paired))
    ratio_p50 = latency_summary(baseline)["p50_ms"] / latency_summary(paired)["p50_ms"]
    ratio_p95 = latency_summary(baseline)["p95_ms"] / latency_summary(paired)["p95_ms"]
    report.add("speedup_p50", round(ratio_p50, 1))
    report.add("speedup_p95", round(ratio_p95, 1))
    p95 = latency_summary(indexed)["p95_ms"]
    report.target(f"p95 < 50 ms over {ROWS:,} rows (measured {p95:.1f} ms)", p95 < 50)
    report.target(f">= 20x faster than the LIKE UNION (p50 {ratio_p50:.0f}x, p95 {ratio_p95:.0f}x)",
                  min(ratio_p50, ratio_p95) >= 20)
    report.notes.append("indexed = search_everything page 1 of 10 with its total (capped at "
                        f"{search.MAX_RESULTS}); baseline = the seed's UNION ALL of LIKE '%x%' scans, page 1 of 10 "
                        "plus COUNT(*); the speedups compare both on the same baseline queries")
    db.engine.dispose()
    return report


def _timings(call: Any, texts: list[str]) -> list[float]:
    samples: list[float] = []
    for text in texts:
        samples.extend(time_calls(lambda text=text: call(text), 1))
    return samples

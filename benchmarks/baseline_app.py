"""The baseline for API benchmarks: a bare Flask app doing the same queries with SQLAlchemy Core.

No authentication, validation, audit, metrics or error envelope: what the real API costs on top of this is
the overhead the benchmark reports.
"""

from __future__ import annotations

import os

from flask import Flask, abort, jsonify
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["OMNICRM_DATABASE_URL"], pool_size=10, max_overflow=20, pool_pre_ping=True)
app = Flask("baseline")


@app.get("/health")
def health():  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return jsonify(status="ok")


@app.get("/row/<int:row_id>")
def by_id(row_id: int):  # type: ignore[no-untyped-def]
    table = os.environ["BENCH_TABLE"]
    key = os.environ["BENCH_KEY"]
    with engine.connect() as conn:
        row = conn.execute(text(f"SELECT * FROM {table} WHERE {key} = :id"), {"id": row_id}).mappings().first()
    if row is None:
        abort(404)
    return jsonify({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()})

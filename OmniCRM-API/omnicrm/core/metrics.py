"""Prometheus metrics: the omnicrm_* catalogue (seed-extract-5 §10.1) and the HTTP metrics exporter."""

from __future__ import annotations

import re
import time
from typing import Any

from flask import Flask, Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import Engine, event

from omnicrm import __version__

_JOB_BUCKETS = (1, 5, 10, 30, 60, 120, 180, 300, 600)
_EXTERNAL_BUCKETS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)

# Process-wide collectors, registered into each application's registry (not the global default one,
# so several apps can live in one process, as in tests).
PROVISION_JOBS = Counter("omnicrm_provision_jobs_total", "Provisioning jobs by final status", ["status"],
                         registry=None)
PROVISION_DURATION = Histogram("omnicrm_provision_job_duration_seconds", "Provisioning job duration",
                               ["playbook", "status"], buckets=_JOB_BUCKETS, registry=None)
PROVISION_ACTIVE = Gauge("omnicrm_provision_jobs_active", "Provisioning jobs running now", registry=None)
PROVISION_TASKS = Counter("omnicrm_provision_tasks_total", "Ansible task results", ["playbook", "status"],
                          registry=None)
PROVISION_ERRORS = Counter("omnicrm_provision_errors_total", "Provisioning errors",
                           ["error_type", "playbook"], registry=None)

DB_QUERY_DURATION = Histogram("omnicrm_db_query_duration_seconds", "Database query duration",
                              ["operation", "table"],
                              buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0), registry=None)
DB_POOL_SIZE = Gauge("omnicrm_db_pool_size", "SQLAlchemy pool size", registry=None)
DB_POOL_OVERFLOW = Gauge("omnicrm_db_pool_overflow", "SQLAlchemy pool overflow connections", registry=None)
DB_POOL_CHECKED_OUT = Gauge("omnicrm_db_pool_connections_checked_out", "Connections in use", registry=None)
DB_ERRORS = Counter("omnicrm_db_errors_total", "Database errors", ["error_type", "operation"], registry=None)

OCS_CALLS = Counter("omnicrm_ocs_api_calls_total", "CGRateS API calls", ["method", "status"], registry=None)
OCS_DURATION = Histogram("omnicrm_ocs_api_duration_seconds", "CGRateS API call duration", ["method"],
                         buckets=(0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0), registry=None)
OCS_ERRORS = Counter("omnicrm_ocs_api_errors_total", "CGRateS API errors", ["method", "error_type"],
                     registry=None)
OCS_BALANCE_QUERIES = Counter("omnicrm_ocs_balance_queries_total", "OCS balance queries", ["query_type"],
                              registry=None)
OCS_ACTION_PLAN_OPS = Counter("omnicrm_ocs_action_plan_operations_total", "ActionPlan operations",
                              ["operation"], registry=None)

HSS_CALLS = Counter("omnicrm_hss_api_calls_total", "PyHSS API calls", ["operation", "status"], registry=None)
HSS_DURATION = Histogram("omnicrm_hss_api_duration_seconds", "PyHSS API call duration", ["operation"],
                         buckets=_EXTERNAL_BUCKETS, registry=None)

STRIPE_CALLS = Counter("omnicrm_stripe_api_calls_total", "Stripe API calls", ["operation", "status"],
                       registry=None)
STRIPE_DURATION = Histogram("omnicrm_stripe_api_duration_seconds", "Stripe API call duration", ["operation"],
                            buckets=_EXTERNAL_BUCKETS, registry=None)
STRIPE_ERRORS = Counter("omnicrm_stripe_api_errors_total", "Stripe API errors", ["operation", "error_type"],
                        registry=None)
STRIPE_PAYMENT_AMOUNT = Histogram("omnicrm_stripe_payment_amount_cents", "Payment amounts in cents",
                                  ["payment_type"],
                                  buckets=(100, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000),
                                  registry=None)
STRIPE_PAYMENT_FAILURES = Counter("omnicrm_stripe_payment_failures_total", "Failed payments", ["reason"],
                                  registry=None)

MAILJET_CALLS = Counter("omnicrm_mailjet_api_calls_total", "Mailjet sends", ["email_type", "status"],
                        registry=None)
MAILJET_DURATION = Histogram("omnicrm_mailjet_api_duration_seconds", "Mailjet call duration", ["email_type"],
                             buckets=_EXTERNAL_BUCKETS, registry=None)
MAILJET_ERRORS = Counter("omnicrm_mailjet_api_errors_total", "Mailjet errors", ["email_type", "error_type"],
                         registry=None)

BACKGROUND_JOBS = Counter("omnicrm_background_jobs_total", "Background jobs run", ["job_type", "status"],
                          registry=None)
BACKGROUND_ACTIVE = Gauge("omnicrm_background_jobs_active", "Background jobs running", ["job_type"],
                          registry=None)
BACKGROUND_DURATION = Histogram("omnicrm_background_job_duration_seconds", "Background job duration",
                                ["job_type", "status"],
                                buckets=(1, 5, 10, 30, 60, 120, 180, 300, 600, 1800, 3600), registry=None)
BACKGROUND_ERRORS = Counter("omnicrm_background_job_errors_total", "Background job errors",
                            ["job_type", "error_type"], registry=None)

API_ERRORS = Counter("omnicrm_api_errors_total", "API error responses", ["endpoint", "error_type", "status_code"],
                     registry=None)
AUTH_FAILURES = Counter("omnicrm_api_auth_failures_total", "Authentication failures", ["auth_method", "reason"],
                        registry=None)
API_INFO = Info("omnicrm_api", "OmniCRM API build information", registry=None)

CATALOGUE = [
    PROVISION_JOBS, PROVISION_DURATION, PROVISION_ACTIVE, PROVISION_TASKS, PROVISION_ERRORS,
    DB_QUERY_DURATION, DB_POOL_SIZE, DB_POOL_OVERFLOW, DB_POOL_CHECKED_OUT, DB_ERRORS,
    OCS_CALLS, OCS_DURATION, OCS_ERRORS, OCS_BALANCE_QUERIES, OCS_ACTION_PLAN_OPS, HSS_CALLS, HSS_DURATION,
    STRIPE_CALLS, STRIPE_DURATION, STRIPE_ERRORS, STRIPE_PAYMENT_AMOUNT, STRIPE_PAYMENT_FAILURES,
    MAILJET_CALLS, MAILJET_DURATION, MAILJET_ERRORS,
    BACKGROUND_JOBS, BACKGROUND_ACTIVE, BACKGROUND_DURATION, BACKGROUND_ERRORS,
    API_ERRORS, AUTH_FAILURES, API_INFO,
]


def create_registry(environment: str) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=True)
    for collector in CATALOGUE:
        registry.register(collector)
    API_INFO.info({"version": __version__, "environment": environment})
    return registry


def install_http_metrics(app: Flask, registry: CollectorRegistry) -> None:
    from prometheus_flask_exporter import PrometheusMetrics

    metrics = PrometheusMetrics(app, registry=registry, path=None, group_by="url_rule",
                                default_latency_as_histogram=True, export_defaults=True)
    app.extensions["omnicrm_http_metrics"] = metrics


def metrics_response(registry: CollectorRegistry, engine: Engine) -> Response:
    update_pool_gauges(engine)
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def update_pool_gauges(engine: Engine) -> None:
    pool: Any = engine.pool
    for gauge, attribute in ((DB_POOL_SIZE, "size"), (DB_POOL_OVERFLOW, "overflow"),
                             (DB_POOL_CHECKED_OUT, "checkedout")):
        reader = getattr(pool, attribute, None)
        gauge.set(max(reader(), 0) if callable(reader) else 0)


_STATEMENT = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE)\b.*?\b(?:FROM|INTO|UPDATE)\s+[`\"]?(\w+)", re.IGNORECASE | re.DOTALL
)


def classify_statement(statement: str) -> tuple[str, str]:
    match = _STATEMENT.match(statement)
    if match:
        return match.group(1).upper(), match.group(2)
    first = statement.lstrip().split(" ", 1)[0].upper() or "OTHER"
    return first[:16], "none"


def instrument_engine(engine: Engine) -> None:
    """Time every statement into omnicrm_db_query_duration_seconds and count errors."""

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        conn.info.setdefault("omnicrm_query_start", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _stop(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        started = conn.info.get("omnicrm_query_start")
        if started:
            operation, table = classify_statement(statement)
            DB_QUERY_DURATION.labels(operation, table).observe(time.perf_counter() - started.pop())

    @event.listens_for(engine, "handle_error")
    def _error(context: Any) -> None:
        started = context.connection.info.get("omnicrm_query_start") if context.connection else None
        if started:
            started.pop()
        operation, _ = classify_statement(context.statement or "")
        error_type = "connection_error" if context.is_disconnect else "query_error"
        DB_ERRORS.labels(error_type, operation).inc()

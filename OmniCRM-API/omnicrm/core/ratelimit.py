"""Rate limiting (Flask-Limiter): in memory by default, Redis when several replicas share limits."""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter

from omnicrm.core.config import ApiSettings


def client_address() -> str:
    return request.remote_addr or "unknown"


# Module-level so routes can decorate with @limiter.limit(...) at import time.
limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=True)


def install_rate_limits(app: Flask, api: ApiSettings) -> None:
    app.config["RATELIMIT_STORAGE_URI"] = api.rate_limit_storage_uri
    app.config["RATELIMIT_DEFAULT"] = api.default_rate_limit or None
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    if api.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=api.trusted_proxies, x_proto=api.trusted_proxies)  # type: ignore[method-assign]
    limiter.init_app(app)

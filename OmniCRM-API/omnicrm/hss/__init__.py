"""The HSS (PyHSS 2.0 REST) integration: `HssClient`.

`hss_client()` is the application's shared client, built on first use from `crm_config.yaml` (`hss.*`).
Tests or the demo can put another client in `app.extensions["omnicrm"].services["hss"]`.
"""

from __future__ import annotations

from flask import Flask

from omnicrm.core.external import lazy_service
from omnicrm.hss.client import HssClient, SimCredentials, dormant_msisdn, without_key_material
from omnicrm.hss.errors import HssError, HssNotFound, HssPartialFailure, HssUnavailable, HssWriteNotApplied

SERVICE_NAME = "hss"


def hss_client(app: Flask | None = None) -> HssClient:
    return lazy_service(SERVICE_NAME, HssClient.from_settings, app)


__all__ = [
    "HssClient", "HssError", "HssNotFound", "HssPartialFailure", "HssUnavailable", "HssWriteNotApplied",
    "SimCredentials", "dormant_msisdn", "hss_client", "without_key_material",
]

"""The OCS (CGRateS) integration: `OcsClient` and the balance/ActionPlan enrichment in `balances`.

`ocs_client()` is the application's shared client, built on first use from `crm_config.yaml` (`ocs.*`).
Tests or the demo can put another client in `app.extensions["omnicrm"].services["ocs"]`.
"""

from __future__ import annotations

from flask import Flask

from omnicrm.core.config import Settings
from omnicrm.core.external import lazy_service
from omnicrm.ocs.balances import DisplaySettings
from omnicrm.ocs.client import CdrPage, OcsAccount, OcsClient, account_attribute_profile_id, account_filter_id
from omnicrm.ocs.errors import OcsError, OcsMethodNotAllowed, OcsNotFound, OcsUnavailable, OcsWriteNotApplied

SERVICE_NAME = "ocs"


def ocs_client(app: Flask | None = None) -> OcsClient:
    return lazy_service(SERVICE_NAME, OcsClient.from_settings, app)


def display_settings(settings: Settings) -> DisplaySettings:
    """What `balances.enrich_account` needs from the configuration (currency, OCS monetary scale)."""
    return DisplaySettings(currency=settings.currency, monetary_scale=settings.ocs.monetary_scale)


__all__ = [
    "CdrPage", "DisplaySettings", "OcsAccount", "OcsClient", "OcsError", "OcsMethodNotAllowed", "OcsNotFound",
    "OcsUnavailable", "OcsWriteNotApplied", "account_attribute_profile_id", "account_filter_id",
    "display_settings", "ocs_client",
]

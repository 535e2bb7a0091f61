"""CGRateS method names, keyed by the client operation that uses them.

`ocs.method_names` in crm_config.yaml overrides any of them (CGRateS 1.0 renames the API, and older
deployments still answer the legacy `ApierV1`/`ApierV2` spellings). An override must keep the argument
shape of the method it replaces.
"""

from __future__ import annotations

from collections.abc import Mapping

from omnicrm.core.config import ConfigError

DEFAULT_METHOD_NAMES: dict[str, str] = {
    "ping": "APIerSv1.Ping",
    "get_account": "APIerSv2.GetAccount",
    "set_account": "APIerSv2.SetAccount",
    "remove_account": "APIerSv1.RemoveAccount",
    "add_balance": "APIerSv1.AddBalance",
    "debit_balance": "APIerSv1.DebitBalance",
    "set_balance": "APIerSv1.SetBalance",
    "remove_balances": "APIerSv1.RemoveBalances",
    "set_actions": "APIerSv1.SetActions",
    "get_actions": "APIerSv1.GetActions",
    "remove_actions": "APIerSv1.RemoveActions",
    "execute_action": "APIerSv1.ExecuteAction",
    "set_action_plan": "APIerSv1.SetActionPlan",
    "get_action_plan": "APIerSv1.GetActionPlan",
    "remove_action_plan": "APIerSv1.RemoveActionPlan",
    "get_account_action_plan": "APIerSv1.GetAccountActionPlan",
    "remove_action_timing": "APIerSv1.RemoveActionTiming",
    "get_scheduled_actions": "APIerSv1.GetScheduledActions",
    "get_cdrs": "APIerSv2.GetCDRs",
    "count_cdrs": "APIerSv2.CountCDRs",
    "set_attribute_profile": "APIerSv1.SetAttributeProfile",
    "get_attribute_profile": "APIerSv1.GetAttributeProfile",
    "remove_attribute_profile": "APIerSv1.RemoveAttributeProfile",
    "set_filter": "APIerSv1.SetFilter",
    "get_filter": "APIerSv1.GetFilter",
    "remove_filter": "APIerSv1.RemoveFilter",
    "reload_cache": "CacheSv1.ReloadCache",
}

# CGRateS still registers the old service names as aliases of the new ones (services/apierv1.go, apierv2.go).
LEGACY_SERVICE_ALIASES = {"apierv1": "APIerSv1", "apierv2": "APIerSv2"}

_READ_PREFIXES = ("Get", "Count", "Ping", "Status")


def method_names(overrides: Mapping[str, str]) -> dict[str, str]:
    """The defaults with the configured overrides applied; an unknown operation is a configuration error."""
    unknown = sorted(set(overrides) - set(DEFAULT_METHOD_NAMES))
    if unknown:
        raise ConfigError(
            f"ocs.method_names: unknown operation(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(DEFAULT_METHOD_NAMES))}"
        )
    for operation, name in overrides.items():
        if "." not in name.strip(".") or " " in name:
            raise ConfigError(f"ocs.method_names.{operation}: '{name}' is not a 'Service.Method' name")
    return {**DEFAULT_METHOD_NAMES, **overrides}


def canonical_method(name: str) -> str:
    """`ApierV2.GetAccount` → `APIerSv2.GetAccount`, so allow-lists match either spelling."""
    service, _, method = name.strip().rpartition(".")
    return f"{LEGACY_SERVICE_ALIASES.get(service.lower(), service)}.{method}"


def is_read_method(name: str) -> bool:
    """Whether a method only reads (and so may be retried): Get*, Count*, Ping, Status."""
    return name.rpartition(".")[2].startswith(_READ_PREFIXES)

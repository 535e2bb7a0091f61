"""The production-like stack cannot run here (no Docker engine); keep its files valid and consistent."""

import yaml

from omnicrm.core.config import PROJECT_ROOT


def test_compose_stack_has_every_service_and_valid_yaml():
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    assert {"api", "worker", "ui", "db", "redis", "cgrates", "pyhss", "prometheus", "grafana", "migrate"} <= set(
        compose["services"])
    api_env = compose["x-omnicrm-env"]
    assert api_env["OMNICRM_JOBS__EMBEDDED_WORKER"] == "false"
    assert "omnicrm.wsgi:app" in compose["services"]["api"]["command"]


def test_prometheus_scrapes_the_metrics_path():
    config = yaml.safe_load((PROJECT_ROOT / "deploy/prometheus/prometheus.yml").read_text())
    [job] = config["scrape_configs"]
    assert job["metrics_path"] == "/crm/metrics" and job["static_configs"][0]["targets"] == ["api:5000"]
    alerts = yaml.safe_load((PROJECT_ROOT / "deploy/prometheus/alerts.yml").read_text())
    names = {rule["alert"] for group in alerts["groups"] for rule in group["rules"]}
    assert {"HighProvisionFailureRate", "DatabasePoolExhausted", "OCSAPIDown"} <= names

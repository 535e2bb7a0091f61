from pathlib import Path

import pytest

from omnicrm.core.config import PROJECT_ROOT, ConfigError, load_settings

CONFIG = PROJECT_ROOT / "crm_config.yaml"
DEV = {"OMNICRM_ENVIRONMENT": "development"}


def test_shipped_config_loads_every_section_with_documented_defaults():
    settings = load_settings(CONFIG, env=DEV)
    assert settings.currency == "AUD"
    assert settings.invoice.due_days == 14 and settings.invoice.pdf_cache_days == 90
    assert settings.ocs.monetary_scale == 100
    assert settings.mailjet.template("api_crmCommunicationsBalanceLow").template_id == 7238263
    assert settings.api_keys == {} and settings.ip_whitelist == {}
    assert "hotspot" in settings.service_types


def test_env_overrides_nested_keys_case_insensitively():
    env = {**DEV, "OMNICRM_OCS__CGRATES": "10.0.0.5:2080", "OMNICRM_OCS__OCSTENANT": "tenant.example",
           "OMNICRM_INVOICE__DUE_DAYS": "30", "OMNICRM_PROVISIONING__FAILURE_LIST": "[a@x.io, b@x.io]",
           "OMNICRM_MAILJET__API_CRMCOMMUNICATIONUSERWELCOME__TEMPLATE_ID": "42"}
    settings = load_settings(CONFIG, env=env)
    assert settings.ocs.cgrates == "10.0.0.5:2080"
    assert settings.ocs.ocsTenant == "tenant.example"
    assert settings.invoice.due_days == 30
    assert settings.provisioning.failure_list == ["a@x.io", "b@x.io"]
    assert settings.mailjet.template("api_crmCommunicationUserWelcome").template_id == 42


def test_top_level_env_keys_and_database_url():
    env = {**DEV, "OMNICRM_JWT_SECRET": "s" * 40, "OMNICRM_DATABASE_URL": "sqlite:////tmp/other.db"}
    settings = load_settings(CONFIG, env=env)
    assert settings.jwt_secret.get_secret_value() == "s" * 40
    assert settings.sqlalchemy_url == "sqlite:////tmp/other.db"


def test_database_url_built_from_database_section_else_sqlite_under_var():
    env = {**DEV, "OMNICRM_DATABASE__SERVER": "db", "OMNICRM_DATABASE__PASSWORD": "p@ss"}
    settings = load_settings(CONFIG, env=env)
    assert settings.sqlalchemy_url == "mysql+pymysql://omnicrm:p%40ss@db:3306/omnicrm?charset=utf8mb4"
    assert load_settings(CONFIG, env=DEV).sqlalchemy_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'omnicrm.db'}"


def test_legacy_ocs_key_is_accepted(tmp_path: Path):
    path = tmp_path / "c.yaml"
    path.write_text("environment: development\nocs:\n  OCS: 'legacy:2080'\n")
    assert load_settings(path, env={}).ocs.cgrates == "legacy:2080"


def test_top_level_mail_templates_are_accepted(tmp_path: Path):
    path = tmp_path / "c.yaml"
    path.write_text("environment: development\napi_crmCommunicationCustomerWelcome:\n"
                    "  from_email: a@b.c\n  template_id: 99\n")
    assert load_settings(path, env={}).mailjet.template("api_crmCommunicationCustomerWelcome").template_id == 99


@pytest.mark.parametrize(("env", "named"), [
    ({"OMNICRM_INVOICE__DUE_DAYS": "soon"}, "invoice.due_days"),
    ({"OMNICRM_OCS__NO_SUCH_KEY": "1"}, "ocs.no_such_key"),
    ({"OMNICRM_CURRENCY": "dollars"}, "currency"),
    ({"OMNICRM_OCS__MONETARY_SCALE": "0"}, "ocs.monetary_scale"),
])
def test_bad_values_stop_startup_naming_the_key(env, named):
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        load_settings(CONFIG, env={**DEV, **env})


def test_placeholder_jwt_secret_refused_outside_development():
    with pytest.raises(ConfigError, match="jwt_secret"):
        load_settings(CONFIG, env={"OMNICRM_ENVIRONMENT": "production"})
    settings = load_settings(CONFIG, env={"OMNICRM_ENVIRONMENT": "production", "OMNICRM_JWT_SECRET": "k" * 64,
                                          "OMNICRM_ENCRYPTION_KEY": "e" * 64})
    assert settings.environment == "production"


def test_secrets_never_appear_in_reprs():
    env = {**DEV, "OMNICRM_JWT_SECRET": "topsecret-jwt-value-123",
           "OMNICRM_API_KEYS": '{"static-key-0123456789-0123456789-abc": {"roles": ["admin"]}}'}
    settings = load_settings(CONFIG, env=env)
    text = repr(settings) + str(settings)
    assert "topsecret-jwt-value-123" not in text
    assert "static-key-0123456789" not in text
    assert "topsecret-jwt-value-123" in settings.secret_values()


def test_missing_file_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.yaml", env={})


def test_seed_forms_of_static_keys_and_ip_whitelist(tmp_path: Path):
    path = tmp_path / "c.yaml"
    path.write_text("environment: development\n"
                    "api_keys:\n  'k-0123456789-0123456789-0123456789':\n    roles: [admin]\n"
                    "    description: Provisioning automation system\n"
                    "ip_whitelist:\n  - 192.168.1.100\n  - 10.0.0.0/24\n")
    settings = load_settings(path, env={})
    assert settings.api_keys["k-0123456789-0123456789-0123456789"].description == "Provisioning automation system"
    assert set(settings.ip_whitelist) == {"192.168.1.100", "10.0.0.0/24"}


def test_legacy_ocs_key_conflicting_with_cgrates_is_an_error():
    with pytest.raises(ConfigError, match="ocs"):
        load_settings(CONFIG, env={**DEV, "OMNICRM_OCS__OCS": "10.9.9.9:2080"})

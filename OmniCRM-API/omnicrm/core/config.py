"""Typed settings loaded from crm_config.yaml, with OMNICRM_* environment overrides."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

PLACEHOLDER_SECRET = "CHANGE_ME_ON_DEPLOYMENT"


def _project_root() -> Path:
    """The folder holding crm_config.yaml, migrations/ and Provisioners/ (a source checkout or OMNICRM_HOME)."""
    if os.environ.get("OMNICRM_HOME"):
        return Path(os.environ["OMNICRM_HOME"]).resolve()
    checkout = Path(__file__).resolve().parents[3]
    return checkout if (checkout / "migrations").is_dir() else Path.cwd()


PROJECT_ROOT = _project_root()
DEFAULT_CONFIG_PATH = PROJECT_ROOT / "crm_config.yaml"
ENV_PREFIX = "OMNICRM_"
RESERVED_ENV = {"OMNICRM_CONFIG"}


class ConfigError(Exception):
    """The configuration cannot be used; the message names the offending key."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DatabaseSettings(Section):
    username: str = "omnicrm"
    password: SecretStr = SecretStr("")
    server: str = ""
    port: int = 3306
    name: str = "omnicrm"
    sqlite_path: str = "var/omnicrm.db"
    pool_size: int = Field(10, ge=1)
    max_overflow: int = Field(20, ge=0)


class HssSettings(Section):
    hss_peers: list[str] = Field(default_factory=lambda: ["http://127.0.0.1:8080"])
    apn_list: str = "1,2,3"
    timeout_seconds: float = Field(5, gt=0)
    provisioning_key: SecretStr = SecretStr("")  # PyHSS `Provisioning-Key` when hss.lock_provisioning is on

    @field_validator("apn_list", mode="before")
    @classmethod
    def _apn_list_as_text(cls, value: Any) -> Any:
        if isinstance(value, list):
            return ",".join(str(v) for v in value)
        return str(value) if isinstance(value, int) else value


class OcsSettings(Section):
    ocsApi: str = ""
    ocsTenant: str = "cgrates.org"
    cgrates: str = "127.0.0.1:2080"
    monetary_scale: int = Field(100, ge=1)
    timeout_seconds: float = Field(5, gt=0)
    proxy_allowed_methods: list[str] = Field(default_factory=list)
    method_names: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _accept_legacy_ocs_key(cls, data: Any) -> Any:
        # The seed misspells ocs.cgrates as ocs.OCS; accept it as an alias.
        if isinstance(data, dict) and "OCS" in data:
            data = dict(data)
            legacy = data.pop("OCS")
            current = data.setdefault("cgrates", legacy)
            if current != legacy:
                raise ValueError(f"OCS ({legacy}) and cgrates ({current}) disagree; set only ocs.cgrates")
        return data


class MailTemplate(Section):
    from_email: str
    from_name: str = ""
    template_id: int
    subject: str = ""


MAIL_TEMPLATE_KEYS = (
    "api_crmCommunicationCustomerWelcome",
    "api_crmCommunicationCustomerInvoice",
    "api_crmCommunicationCustomerInvoiceReminder",
    "api_crmCommunicationUserWelcome",
    "api_crmCommunicationUserPasswordReset",
    "api_crmCommunicationUserPasswordResetSuccess",
    "api_crmCommunicationUserPasswordChange",
    "api_crmCommunicationEmailVerification",
    "api_crmCommunicationsBalanceExpired",
    "api_crmCommunicationsBalanceLow",
    "api_crmCommunicationProvisioningFailed",
)


class MailjetSettings(Section):
    api_key: SecretStr = SecretStr("")
    api_secret: SecretStr = SecretStr("")
    api_url: str = "https://api.mailjet.com/"
    api_crmCommunicationCustomerWelcome: MailTemplate | None = None
    api_crmCommunicationCustomerInvoice: MailTemplate | None = None
    api_crmCommunicationCustomerInvoiceReminder: MailTemplate | None = None
    api_crmCommunicationUserWelcome: MailTemplate | None = None
    api_crmCommunicationUserPasswordReset: MailTemplate | None = None
    api_crmCommunicationUserPasswordResetSuccess: MailTemplate | None = None
    api_crmCommunicationUserPasswordChange: MailTemplate | None = None
    api_crmCommunicationEmailVerification: MailTemplate | None = None
    api_crmCommunicationsBalanceExpired: MailTemplate | None = None
    api_crmCommunicationsBalanceLow: MailTemplate | None = None
    api_crmCommunicationProvisioningFailed: MailTemplate | None = None

    def template(self, key: str) -> MailTemplate | None:
        value = getattr(self, key, None)
        return value if isinstance(value, MailTemplate) else None

    @property
    def configured(self) -> bool:
        key = self.api_key.get_secret_value()
        return bool(key) and PLACEHOLDER_SECRET not in key and "YOUR_" not in key.upper()


class ProvisioningSettings(Section):
    failure_list: list[str] = Field(default_factory=list)
    plays_directory: str = "Provisioners/plays"
    job_timeout_seconds: int = Field(600, ge=1)


class InvoiceSettings(Section):
    template_filename: str = "norfone_invoice_template.html"
    template_directory: str = "invoice_templates"
    due_days: int = Field(14, ge=0, le=365)
    pdf_cache_days: int = Field(90, ge=1)


class InventorySettings(Section):
    # Rented equipment taken off its service must be back within this many days, else it becomes Lost.
    rental_return_days: int = Field(14, ge=1, le=365)


class CrmSettings(Section):
    base_url: str = "http://127.0.0.1:5000"
    default_country: str = Field("AU", pattern=r"^[A-Za-z]{2}$")


class SmcSettings(Section):
    source_msisdn: str = ""
    smc_url: str = ""
    api_key: SecretStr = SecretStr("")


class StripeSettings(Section):
    secret_key: SecretStr = SecretStr("")
    publishable_key: str = ""
    currency: str = "aud"
    statement_descriptor_suffix: str = Field("", max_length=22)
    api_base: str = "https://api.stripe.com"
    webhook_secret: SecretStr = SecretStr("")


class StripeVendor(Section):
    api_key: SecretStr = SecretStr("")
    publishable_key: str = ""


class PaypalVendor(Section):
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    mode: Literal["live", "sandbox"] = "sandbox"


class PaymentVendors(Section):
    stripe: StripeVendor = Field(default_factory=StripeVendor)
    paypal: PaypalVendor = Field(default_factory=PaypalVendor)


class StaticApiKey(Section):
    roles: list[str] = Field(default_factory=list)
    ips: list[str] = Field(default_factory=list)
    description: str = ""


class WhitelistEntry(Section):
    roles: list[str] = Field(default_factory=list)


class ApiSettings(Section):
    max_body_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    rate_limit_storage_uri: str = "memory://"
    default_rate_limit: str = ""
    trusted_proxies: int = Field(0, ge=0)
    cors_origins: list[str] = Field(default_factory=list)


class JobSettings(Section):
    embedded_worker: bool = True
    poll_interval_seconds: float = Field(1.0, gt=0)
    heartbeat_seconds: float = Field(5, gt=0)
    stale_after_seconds: float = Field(60, gt=0)
    max_attempts: int = Field(3, ge=1)


class LoggingSettings(Section):
    level: str = "INFO"
    json_format: bool = Field(True, alias="json")


Environment = Literal["production", "staging", "development", "demo", "test"]


class Settings(Section):
    environment: Environment = "production"
    jwt_secret: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    encryption_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    currency: str = Field("AUD", pattern=r"^[A-Z]{3}$")
    database_url: str = ""
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    service_types: list[str] = Field(
        default_factory=lambda: [
            "omnicharge", "mobile", "fixed", "fixed-voice", "hotspot", "dongle", "internet", "iptv", "voip",
        ]
    )
    hss: HssSettings = Field(default_factory=HssSettings)
    ocs: OcsSettings = Field(default_factory=OcsSettings)
    mailjet: MailjetSettings = Field(default_factory=MailjetSettings)
    provisioning: ProvisioningSettings = Field(default_factory=ProvisioningSettings)
    invoice: InvoiceSettings = Field(default_factory=InvoiceSettings)
    inventory: InventorySettings = Field(default_factory=InventorySettings)
    crm: CrmSettings = Field(default_factory=CrmSettings)
    smc: SmcSettings = Field(default_factory=SmcSettings)
    cbc_url: str = ""
    stripe: StripeSettings = Field(default_factory=StripeSettings)
    payment_vendors: PaymentVendors = Field(default_factory=PaymentVendors)
    api_keys: dict[str, StaticApiKey] = Field(default_factory=dict)
    ip_whitelist: dict[str, WhitelistEntry] = Field(default_factory=dict)
    api: ApiSettings = Field(default_factory=ApiSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)

    # Where the file was read from: relative paths in the config resolve against its folder.
    base_dir: Path = Field(default=PROJECT_ROOT, exclude=True)

    @field_validator("ip_whitelist", mode="before")
    @classmethod
    def _whitelist_list_form(cls, value: Any) -> Any:
        # The seed also shows a bare list of IPs/CIDRs; such entries carry no roles.
        if isinstance(value, list):
            return {str(entry): {"roles": []} for entry in value}
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _upper_currency(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _lift_top_level_mail_templates(cls, data: Any) -> Any:
        # The seed shows the template blocks both at top level and nested under `mailjet:`.
        if not isinstance(data, dict):
            return data
        data = dict(data)
        lifted = {key: data.pop(key) for key in MAIL_TEMPLATE_KEYS if key in data}
        if lifted:
            mailjet = dict(data.get("mailjet") or {})
            for key, value in lifted.items():
                mailjet.setdefault(key, value)
            data["mailjet"] = mailjet
        return data

    @property
    def is_development(self) -> bool:
        return self.environment in ("development", "demo", "test")

    def resolve_path(self, relative: str) -> Path:
        path = Path(relative)
        return path if path.is_absolute() else self.base_dir / path

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        db = self.database
        if db.server:
            from urllib.parse import quote_plus

            password = quote_plus(db.password.get_secret_value())
            return (
                f"mysql+pymysql://{quote_plus(db.username)}:{password}@{db.server}:{db.port}/{db.name}"
                "?charset=utf8mb4"
            )
        return f"sqlite:///{self.resolve_path(db.sqlite_path)}"

    def secret_values(self) -> list[str]:
        """Every configured secret, so log output can be scrubbed of them."""
        secrets: list[str] = []

        def walk(model: BaseModel) -> None:
            for name in type(model).model_fields:
                value = getattr(model, name)
                if isinstance(value, SecretStr):
                    secrets.append(value.get_secret_value())
                elif isinstance(value, BaseModel):
                    walk(value)

        walk(self)
        secrets.extend(self.api_keys.keys())
        return [s for s in secrets if s and len(s) >= 6]

    def __repr_args__(self) -> Any:
        # Static API keys are secrets that live in dict keys; keep them out of reprs.
        for name, value in super().__repr_args__():
            yield name, ({"***": len(value)} if name == "api_keys" and value else value)


# --------------------------------------------------------------------------------------------------
# Loading


def load_settings(path: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None,
                  overrides: dict[str, Any] | None = None) -> Settings:
    """Read the YAML file, apply OMNICRM_* environment overrides and validate everything."""
    env = dict(os.environ if env is None else env)
    config_path = Path(path or env.get("OMNICRM_CONFIG") or DEFAULT_CONFIG_PATH)
    raw = _read_yaml(config_path)
    _apply_env_overrides(raw, env)
    if overrides:
        _deep_merge(raw, overrides)
    try:
        settings = Settings.model_validate({**raw, "base_dir": config_path.resolve().parent})
    except ValidationError as exc:
        raise ConfigError(_describe_validation_error(config_path, exc)) from None
    _refuse_placeholder_secrets(settings)
    return settings


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(f"configuration file not found: {path} (set OMNICRM_CONFIG)")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections")
    return data


def _apply_env_overrides(raw: dict[str, Any], env: dict[str, str]) -> None:
    for name, text in env.items():
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX) or upper in RESERVED_ENV:
            continue
        key_path = [part for part in name[len(ENV_PREFIX):].split("__") if part]
        if not key_path:
            continue
        _set_path(raw, key_path, _parse_env_value(name, text), Settings)


def _parse_env_value(name: str, text: str) -> Any:
    try:
        return yaml.safe_load(text) if text.strip() else ""
    except yaml.YAMLError as exc:
        raise ConfigError(f"environment variable {name}: cannot parse value: {exc}") from None


def _set_path(node: dict[str, Any], key_path: list[str], value: Any, model: type[BaseModel] | None) -> None:
    key = _canonical_key(node, key_path[0], model)
    if len(key_path) == 1:
        node[key] = value
        return
    child = node.get(key)
    if not isinstance(child, dict):
        child = {}
        node[key] = child
    _set_path(child, key_path[1:], value, _submodel(model, key))


def _canonical_key(node: dict[str, Any], wanted: str, model: type[BaseModel] | None) -> str:
    """Match an upper-case env name to the spelling used in the file or the schema."""
    lowered = wanted.lower()
    for existing in node:
        if str(existing).lower() == lowered:
            return str(existing)
    if model is not None:
        for field_name, field in model.model_fields.items():
            if lowered in (field_name.lower(), (field.alias or "").lower()):
                return field.alias or field_name
    return wanted if model is None else lowered


def _submodel(model: type[BaseModel] | None, key: str) -> type[BaseModel] | None:
    if model is None:
        return None
    field = model.model_fields.get(key)
    if field is None:
        for candidate in model.model_fields.values():
            if candidate.alias == key:
                field = candidate
    annotation = getattr(field, "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _deep_merge(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = value


def _describe_validation_error(path: Path, exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"]) or "(top level)"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        problems.append(f"{location}: {message}")
    return f"{path}: invalid configuration: " + "; ".join(problems)


def _refuse_placeholder_secrets(settings: Settings) -> None:
    if settings.is_development:
        return
    for key in ("jwt_secret", "encryption_key"):
        value = getattr(settings, key).get_secret_value()
        if not value or PLACEHOLDER_SECRET in value:
            raise ConfigError(
                f"{key}: still the placeholder value; set OMNICRM_{key.upper()} to a random secret "
                f"(environment '{settings.environment}' is not development/demo)"
            )
    if len(settings.jwt_secret.get_secret_value()) < 32:
        raise ConfigError("jwt_secret: must be at least 32 characters")
    for key in settings.api_keys:
        if len(key) < 32:
            raise ConfigError("api_keys: every static API key must be at least 32 characters")

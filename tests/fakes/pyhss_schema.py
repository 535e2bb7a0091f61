"""PyHSS 2.0.0 tables (lib/database.py) as the fake needs them: columns, defaults, NOT NULL and UNIQUE."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "str"  # str | text | int | bigint | bool | datetime
    nullable: bool = True
    default: Any = None
    unique: bool = False


@dataclass
class Table:
    name: str
    columns: list[Column]
    unique_together: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def pk(self) -> str:
        return f"{self.name}_id"

    def column(self, name: str) -> Column | None:
        return next((col for col in self.columns if col.name == name), None)

    @property
    def class_name(self) -> str:
        return self.name.upper()


def _cols(*specs: Column | str) -> list[Column]:
    return [spec if isinstance(spec, Column) else Column(spec) for spec in specs]


def _table(name: str, *specs: Column | str, unique_together: list[tuple[str, ...]] | None = None) -> Table:
    columns = [Column(f"{name}_id", "int"), *_cols(*specs), Column("last_modified")]
    return Table(name, columns, unique_together or [])


APN = _table(
    "apn",
    Column("apn", nullable=False),
    Column("ip_version", "int", default=0),
    "pgw_address",
    "sgw_address",
    Column("charging_characteristics", default="0800"),
    Column("apn_ambr_dl", "int", nullable=False),
    Column("apn_ambr_ul", "int", nullable=False),
    Column("qci", "int", default=9),
    Column("arp_priority", "int", default=4),
    Column("arp_preemption_capability", "bool", default=False),
    Column("arp_preemption_vulnerability", "bool", default=True),
    "charging_rule_list",
    Column("nbiot", "bool", default=False),
    "nidd_scef_id",
    "nidd_scef_realm",
    Column("nidd_mechanism", "int"),
    Column("nidd_rds", "int"),
    Column("nidd_preferred_data_mode", "int"),
)

AUC = _table(
    "auc",
    Column("ki", nullable=False),
    Column("opc", nullable=False),
    Column("amf", nullable=False),
    Column("sqn", "bigint"),
    Column("iccid", unique=True),
    Column("imsi", unique=True),
    "batch_name",
    "sim_vendor",
    Column("esim", "bool", default=False),
    "lpa",
    "pin1",
    "pin2",
    "puk1",
    "puk2",
    "kid",
    "psk",
    "des",
    "adm1",
    Column("algo", default="3"),
    "misc1",
    "misc2",
    "misc3",
    "misc4",
)

SUBSCRIBER = _table(
    "subscriber",
    Column("imsi", unique=True),
    Column("enabled", "bool", default=True),
    Column("auc_id", "int", nullable=False),
    Column("default_apn", "int", nullable=False),
    Column("apn_list", nullable=False),
    "msisdn",
    Column("ue_ambr_dl", "int", default=999999),
    Column("ue_ambr_ul", "int", default=999999),
    Column("nam", "int", default=0),
    Column("roaming_enabled", "bool", default=True),
    "roaming_rule_list",
    Column("subscribed_rau_tau_timer", "int", default=300),
    "serving_mme",
    Column("serving_mme_timestamp", "datetime"),
    "serving_mme_realm",
    "serving_mme_peer",
    "serving_msc",
    Column("serving_msc_timestamp", "datetime"),
    "serving_vlr",
    Column("serving_vlr_timestamp", "datetime"),
    "serving_sgsn",
    Column("serving_sgsn_timestamp", "datetime"),
    "last_seen_eci",
    "last_seen_enodeb_id",
    "last_seen_cell_id",
    "last_seen_tac",
    "last_seen_mcc",
    "last_seen_mnc",
    Column("last_location_update_timestamp", "datetime"),
)

SUBSCRIBER_ROUTING = _table(
    "subscriber_routing",
    Column("subscriber_id", "int"),
    Column("apn_id", "int"),
    Column("ip_version", "int", default=0),
    "ip_address",
    unique_together=[("subscriber_id", "apn_id")],
)

IMS_SUBSCRIBER = _table(
    "ims_subscriber",
    Column("msisdn", unique=True),
    "msisdn_list",
    "imsi",
    "ifc_path",
    "pcscf",
    "pcscf_realm",
    "pcscf_active_session",
    Column("pcscf_timestamp", "datetime"),
    "pcscf_peer",
    Column("xcap_profile", "text"),
    Column("sh_profile", "text"),
    "scscf",
    Column("scscf_timestamp", "datetime"),
    "scscf_realm",
    "scscf_peer",
    "sh_template_path",
)

# The last_modified column sits before "value" in this table, as in PyHSS.
SUBSCRIBER_ATTRIBUTES = Table(
    "subscriber_attributes",
    [
        Column("subscriber_attributes_id", "int"),
        Column("subscriber_id", "int", nullable=False),
        Column("key"),
        Column("last_modified"),
        Column("value"),
    ],
)

TABLES = {
    table.name: table for table in (APN, AUC, SUBSCRIBER, SUBSCRIBER_ROUTING, IMS_SUBSCRIBER, SUBSCRIBER_ATTRIBUTES)
}
AUC_SECRETS = ("opc", "ki", "des", "kid", "psk", "adm1")

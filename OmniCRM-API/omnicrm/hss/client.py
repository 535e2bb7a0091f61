"""HssClient: the PyHSS 2.0 REST API as OmniCRM uses it (SPEC D10; integrations.md §3.2).

Several peers (`hss.hss_peers`) hold the same subscribers, each with its own row IDs:
- reads go to the first healthy peer (a peer that failed is skipped for `PEER_RETRY_AFTER` seconds);
- writes go to every peer, addressed by natural keys (IMSI, MSISDN) looked up on each peer. When some peers
  took a write and others did not, HssPartialFailure lists each peer's outcome; `provision_subscriber` reuses
  what a peer already holds, so running it again completes the missing peers.

Secrets: Ki/OPc are sent only in `PUT /auc/`; AUC rows returned by this client never carry key material, and
no request or reply body is logged.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

import requests

from omnicrm.core.config import Settings
from omnicrm.core.errors import AppError, field_error
from omnicrm.core.external import CallBudget, new_session
from omnicrm.hss.errors import HssError, HssNotFound, HssPartialFailure, HssUnavailable, HssWriteNotApplied
from omnicrm.hss.rest import HssPeer

T = TypeVar("T")
PEER_RETRY_AFTER = 30.0
AUC_SECRETS = ("ki", "opc", "des", "kid", "psk", "adm1")
_IMSI = re.compile(r"^\d{6,15}$")
_KEY = re.compile(r"^[0-9A-Fa-f]{32}$")
_MSISDN = re.compile(r"^\+?\d{3,15}$")


@dataclass(frozen=True)
class SimCredentials:
    """What `PUT /auc/` needs. Ki and OPc stay out of repr() so they never reach a log line."""

    imsi: str
    ki: str = field(repr=False)
    opc: str = field(repr=False)
    amf: str = "8000"
    sqn: int = 1
    iccid: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def validate(self) -> None:
        _check_imsi(self.imsi)
        for name in ("ki", "opc"):
            if not _KEY.match(getattr(self, name) or ""):
                raise field_error(name, "must be 32 hexadecimal characters")

    def auc_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {**self.extra, "imsi": self.imsi, "ki": self.ki, "opc": self.opc,
                                "amf": self.amf, "sqn": self.sqn}
        if self.iccid:
            body["iccid"] = self.iccid
        return body

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.ki, self.opc)


def without_key_material(auc: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if auc is None else {key: value for key, value in auc.items() if key not in AUC_SECRETS}


def dormant_msisdn(imsi: str) -> str:
    """The seed's parking MSISDN: `9999` + the last 10 digits of the IMSI."""
    return "9999" + imsi[-10:]


class HssClient:
    def __init__(self, peers: Sequence[str], *, apn_list: str = "1,2,3", timeout_seconds: float = 5.0,
                 provisioning_key: str = "", session: requests.Session | None = None):
        if not peers:
            raise ValueError("hss.hss_peers: at least one peer is required")
        self.session = session or new_session()
        budget = CallBudget(timeout_seconds)
        self.peers = [HssPeer(url, budget, self.session, provisioning_key) for url in peers]
        self.apn_list = ",".join(part.strip() for part in str(apn_list).split(",") if part.strip())
        self._down_until: dict[str, float] = {}
        self._health_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, session: requests.Session | None = None) -> HssClient:
        hss = settings.hss
        return cls(hss.hss_peers, apn_list=hss.apn_list, timeout_seconds=hss.timeout_seconds,
                   provisioning_key=hss.provisioning_key.get_secret_value(), session=session)

    @property
    def default_apn(self) -> int:
        """The first APN of `hss.apn_list`."""
        return int(self.apn_list.split(",")[0])

    # -- health and peer selection ----------------------------------------------------------------------
    def ping(self) -> dict[str, bool]:
        """Each peer's `GET /oam/ping`."""
        result = {}
        for peer in self.peers:
            try:
                result[peer.base_url] = peer.request("ping", "GET", "/oam/ping") is not None
            except AppError:
                result[peer.base_url] = False
        return result

    def _peers_for_reading(self) -> list[HssPeer]:
        now = time.monotonic()
        with self._health_lock:
            healthy = [p for p in self.peers if self._down_until.get(p.base_url, 0) <= now]
        return healthy + [p for p in self.peers if p not in healthy]

    def _mark(self, peer: HssPeer, *, up: bool) -> None:
        with self._health_lock:
            if up:
                self._down_until.pop(peer.base_url, None)
            else:
                self._down_until[peer.base_url] = time.monotonic() + PEER_RETRY_AFTER

    def _read(self, read: Callable[[HssPeer], T]) -> T:
        """`read` on the first healthy peer; an unreachable peer is skipped and the next one asked."""
        failures: list[HssUnavailable] = []
        for peer in self._peers_for_reading():
            try:
                result = read(peer)
            except HssUnavailable as exc:
                self._mark(peer, up=False)
                failures.append(exc)
                continue
            self._mark(peer, up=True)
            return result
        if len(failures) == 1:
            raise failures[0]
        raise HssUnavailable("no HSS peer answered: " + "; ".join(exc.message for exc in failures),
                             peers=[{"peer": p.base_url, "ok": False} for p in self.peers])

    def _write_all(self, operation: str, write: Callable[[HssPeer], T]) -> dict[str, T]:
        """`write` on every peer; {peer URL: result} when all took it, else an error naming each peer."""
        results: dict[str, T] = {}
        failures: dict[str, AppError] = {}
        for peer in self.peers:
            try:
                results[peer.base_url] = write(peer)
            except (HssUnavailable, HssError, HssNotFound) as exc:
                self._mark(peer, up=not isinstance(exc, HssUnavailable))
                failures[peer.base_url] = exc
        if not failures:
            return results
        outcomes = [{"peer": p.base_url, "ok": p.base_url in results,
                     **({"error": failures[p.base_url].message, "code": failures[p.base_url].code}
                        if p.base_url in failures else {})} for p in self.peers]
        if not results:
            first = next(iter(failures.values()))
            if len(self.peers) > 1:
                first.extra["peers"] = outcomes
            raise first
        status = 503 if any(isinstance(exc, HssUnavailable) for exc in failures.values()) else 422
        raise HssPartialFailure(
            f"HSS {operation} applied on {len(results)} of {len(self.peers)} peers; failed on "
            + "; ".join(exc.message for exc in failures.values()), status=status, peers=outcomes)

    # -- AUC --------------------------------------------------------------------------------------------
    def create_auc(self, sim: SimCredentials) -> dict[str, dict[str, Any]]:
        """`PUT /auc/` on every peer; {peer: AUC row without key material}."""
        sim.validate()
        return self._write_all("create_auc", lambda peer: self._create_auc_on(peer, sim))

    def _create_auc_on(self, peer: HssPeer, sim: SimCredentials) -> dict[str, Any]:
        row = peer.request("create_auc", "PUT", "/auc/", sim.auc_body(), secrets=sim.secrets)
        if not row or str(row.get("imsi")) != sim.imsi:
            raise HssWriteNotApplied(f"HSS peer {peer.base_url} did not store the AUC of IMSI {sim.imsi}")
        return without_key_material(row) or {}

    def get_auc_by_imsi(self, imsi: str) -> dict[str, Any] | None:
        _check_imsi(imsi)
        return without_key_material(self._read(lambda peer: self._auc_on(peer, imsi)))

    def _auc_on(self, peer: HssPeer, imsi: str) -> dict[str, Any] | None:
        return peer.request("get_auc_by_imsi", "GET", f"/auc/imsi/{imsi}")

    def delete_auc(self, imsi: str) -> dict[str, bool]:
        """Delete the IMSI's AUC on every peer; {peer: whether there was one}."""
        _check_imsi(imsi)

        def delete_on(peer: HssPeer) -> bool:
            auc = self._auc_on(peer, imsi)
            if auc is None:
                return False
            peer.request("delete_auc", "DELETE", f"/auc/{auc['auc_id']}")
            return True

        return self._write_all("delete_auc", delete_on)

    # -- APN ----------------------------------------------------------------------------------------------
    def get_apn(self, apn_id: int) -> dict[str, Any] | None:
        return self._read(lambda peer: peer.request("get_apn", "GET", f"/apn/{int(apn_id)}"))

    def find_apn(self, name: str) -> dict[str, Any] | None:
        """The APN called `name` (PyHSS has no lookup by name: the list is searched)."""
        rows = self._read(lambda peer: peer.request("list_apn", "GET", "/apn/list?page=0&page_size=0")) or []
        return next((row for row in rows if row.get("apn") == name), None)

    # -- subscribers ------------------------------------------------------------------------------------
    def create_subscriber(self, imsi: str, msisdn: str, *, enabled: bool = True, default_apn: int | None = None,
                          apn_list: str | None = None, **fields: Any) -> dict[str, dict[str, Any]]:
        """`PUT /subscriber/` on every peer, linked to that peer's AUC for the IMSI (create it first)."""
        _check_imsi(imsi)
        _check_msisdn(msisdn)
        body = self._subscriber_body(imsi, msisdn, enabled, default_apn, apn_list, fields)
        return self._write_all("create_subscriber", lambda peer: self._create_subscriber_on(peer, body))

    def _subscriber_body(self, imsi: str, msisdn: str, enabled: bool, default_apn: int | None,
                         apn_list: str | None, fields: Mapping[str, Any]) -> dict[str, Any]:
        return {**fields, "imsi": imsi, "msisdn": msisdn, "enabled": enabled,
                "default_apn": default_apn if default_apn is not None else self.default_apn,
                "apn_list": apn_list or self.apn_list}

    def _create_subscriber_on(self, peer: HssPeer, body: Mapping[str, Any]) -> dict[str, Any]:
        auc = self._auc_on(peer, body["imsi"])
        if auc is None:
            raise HssNotFound(f"HSS peer {peer.base_url} has no AUC for IMSI {body['imsi']}",
                              code="hss_auc_not_found")
        row = peer.request("create_subscriber", "PUT", "/subscriber/", {**body, "auc_id": auc["auc_id"]})
        if not row or str(row.get("imsi")) != body["imsi"]:
            raise HssWriteNotApplied(f"HSS peer {peer.base_url} did not store subscriber {body['imsi']}")
        return row

    def provision_subscriber(self, sim: SimCredentials, msisdn: str, *, enabled: bool = True,
                             default_apn: int | None = None, apn_list: str | None = None,
                             **fields: Any) -> dict[str, dict[str, Any]]:
        """AUC + subscriber on every peer (SPEC D10's `PUT /auc/` → `PUT /subscriber/`). A peer that already
        holds the AUC or subscriber of this IMSI keeps it (the subscriber is patched to the wanted MSISDN, APNs
        and state), so a retry after a partial failure is safe."""
        sim.validate()
        _check_msisdn(msisdn)
        body = self._subscriber_body(sim.imsi, msisdn, enabled, default_apn, apn_list, fields)

        def provision_on(peer: HssPeer) -> dict[str, Any]:
            if self._auc_on(peer, sim.imsi) is None:
                self._create_auc_on(peer, sim)
            existing = self._subscriber_on(peer, sim.imsi)
            if existing is None:
                return self._create_subscriber_on(peer, body)
            wanted = {key: body[key] for key in ("msisdn", "enabled", "default_apn", "apn_list")}
            return self._patch_subscriber_on(peer, existing, wanted)

        return self._write_all("provision_subscriber", provision_on)

    def get_subscriber_by_imsi(self, imsi: str) -> dict[str, Any] | None:
        _check_imsi(imsi)
        return self._read(lambda peer: self._subscriber_on(peer, imsi))

    def get_subscriber_by_msisdn(self, msisdn: str) -> dict[str, Any] | None:
        _check_msisdn(msisdn)
        digits = msisdn.lstrip("+")
        return self._read(lambda peer: peer.request("get_subscriber_by_msisdn", "GET",
                                                    f"/subscriber/msisdn/{quote(digits)}"))

    def _subscriber_on(self, peer: HssPeer, imsi: str) -> dict[str, Any] | None:
        return peer.request("get_subscriber_by_imsi", "GET", f"/subscriber/imsi/{imsi}")

    def update_subscriber(self, imsi: str, changes: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        """`PATCH /subscriber/{id}` on every peer, verified against the returned row."""
        _check_imsi(imsi)
        if not changes:
            raise field_error("changes", "nothing to change")
        if "msisdn" in changes:
            _check_msisdn(str(changes["msisdn"]))

        def patch_on(peer: HssPeer) -> dict[str, Any]:
            existing = self._subscriber_on(peer, imsi)
            if existing is None:
                raise HssNotFound(f"HSS peer {peer.base_url} has no subscriber with IMSI {imsi}",
                                  code="hss_subscriber_not_found")
            return self._patch_subscriber_on(peer, existing, changes)

        return self._write_all("update_subscriber", patch_on)

    def _patch_subscriber_on(self, peer: HssPeer, existing: Mapping[str, Any],
                             changes: Mapping[str, Any]) -> dict[str, Any]:
        subscriber_id = existing["subscriber_id"]
        row = peer.request("update_subscriber", "PATCH", f"/subscriber/{subscriber_id}", dict(changes))
        if row is None:
            raise HssNotFound(f"HSS peer {peer.base_url}: subscriber {subscriber_id} disappeared",
                              code="hss_subscriber_not_found")
        unapplied = [key for key, value in changes.items() if not _same(key, row.get(key), value)]
        if unapplied:
            raise HssWriteNotApplied(f"HSS peer {peer.base_url} answered the PATCH of subscriber {subscriber_id} "
                                     f"but did not change {', '.join(sorted(unapplied))}")
        return row

    def enable_subscriber(self, imsi: str) -> dict[str, dict[str, Any]]:
        return self.update_subscriber(imsi, {"enabled": True})

    def disable_subscriber(self, imsi: str) -> dict[str, dict[str, Any]]:
        """`enabled: false` (PyHSS then sends a Diameter CLR to the serving MME)."""
        return self.update_subscriber(imsi, {"enabled": False})

    def change_msisdn(self, imsi: str, msisdn: str) -> dict[str, dict[str, Any]]:
        return self.update_subscriber(imsi, {"msisdn": msisdn})

    def park_subscriber(self, imsi: str) -> dict[str, dict[str, Any]]:
        """Soft deprovisioning (SPEC D22): keep the SIM in the HSS on the seed's dormant MSISDN."""
        return self.update_subscriber(imsi, {"enabled": True, "msisdn": dormant_msisdn(imsi),
                                             "ue_ambr_dl": 9999999, "ue_ambr_ul": 9999999})

    def delete_subscriber(self, imsi: str) -> dict[str, bool]:
        """Delete the IMSI's subscriber on every peer; {peer: whether there was one}."""
        _check_imsi(imsi)

        def delete_on(peer: HssPeer) -> bool:
            existing = self._subscriber_on(peer, imsi)
            if existing is None:
                return False
            peer.request("delete_subscriber", "DELETE", f"/subscriber/{existing['subscriber_id']}")
            return True

        return self._write_all("delete_subscriber", delete_on)

    # -- IMS subscribers --------------------------------------------------------------------------------
    def create_ims_subscriber(self, msisdn: str, imsi: str, **fields: Any) -> dict[str, dict[str, Any]]:
        _check_msisdn(msisdn)
        _check_imsi(imsi)
        body = {**fields, "msisdn": msisdn, "imsi": imsi}

        def create_on(peer: HssPeer) -> dict[str, Any]:
            row = peer.request("create_ims_subscriber", "PUT", "/ims_subscriber/", body)
            if not row or str(row.get("imsi")) != imsi:
                raise HssWriteNotApplied(f"HSS peer {peer.base_url} did not store IMS subscriber {msisdn}")
            return row

        return self._write_all("create_ims_subscriber", create_on)

    def get_ims_subscriber_by_msisdn(self, msisdn: str) -> dict[str, Any] | None:
        _check_msisdn(msisdn)
        return self._read(lambda peer: self._ims_on(peer, msisdn.lstrip("+")))

    def get_ims_subscriber_by_imsi(self, imsi: str) -> dict[str, Any] | None:
        _check_imsi(imsi)
        return self._read(lambda peer: peer.request("get_ims_subscriber_by_imsi", "GET",
                                                    f"/ims_subscriber/ims_subscriber_imsi/{imsi}"))

    def _ims_on(self, peer: HssPeer, msisdn: str) -> dict[str, Any] | None:
        return peer.request("get_ims_subscriber_by_msisdn", "GET",
                            f"/ims_subscriber/ims_subscriber_msisdn/{quote(msisdn)}")

    def delete_ims_subscriber(self, msisdn: str) -> dict[str, bool]:
        _check_msisdn(msisdn)

        def delete_on(peer: HssPeer) -> bool:
            existing = self._ims_on(peer, msisdn.lstrip("+"))
            if existing is None:
                return False
            peer.request("delete_ims_subscriber", "DELETE", f"/ims_subscriber/{existing['ims_subscriber_id']}")
            return True

        return self._write_all("delete_ims_subscriber", delete_on)


def _check_imsi(imsi: str) -> None:
    if not isinstance(imsi, str) or not _IMSI.match(imsi):
        raise field_error("imsi", "must be 6 to 15 digits")


def _check_msisdn(msisdn: str) -> None:
    if not isinstance(msisdn, str) or not _MSISDN.match(msisdn):
        raise field_error("msisdn", "must be 3 to 15 digits, optionally with a leading +")


def _same(key: str, stored: Any, sent: Any) -> bool:
    """Whether a returned column shows the value sent (PyHSS strips '+' from MSISDNs; SQLite casts)."""
    if key in ("msisdn", "msisdn_list") and isinstance(sent, str):
        sent = sent.replace("+", "")
    if isinstance(sent, bool) or isinstance(stored, bool):
        return bool(stored) == bool(sent) and stored is not None
    return str(stored) == str(sent)

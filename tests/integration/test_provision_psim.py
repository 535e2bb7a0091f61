"""play_psim_only run by real ansible-runner in the job worker against the CGRateS and PyHSS fakes and a live
server of the application (SQLite and MariaDB): provision, roll back on every failure, deprovision."""

import threading

import pytest
import requests

from omnicrm.billing import service as billing
from omnicrm.communications.models import Communication
from omnicrm.core.errors import BusinessRule
from omnicrm.provisioning.runner import FAILURE_TEMPLATE
from tests.conftest import make_settings
from tests.support.provisioning import FAILURE_LIST, provisioning_system

pytestmark = pytest.mark.slow
TENANT = "mnc380.mcc313.3gppnetwork.org"  # crm_config.yaml ocs.ocsTenant


@pytest.fixture
def system(committed_db, fake_cgrates, fake_pyhss_peers):
    url = committed_db.engine.url.render_as_string(hide_password=False)
    with provisioning_system(url, committed_db, make_settings, cgrates=fake_cgrates,
                             hss_peers=fake_pyhss_peers) as built:
        yield built


def account_ids(fake_cgrates):
    return sorted(key.split(":", 1)[1] for key in fake_cgrates.state.accounts)


def failure_mails(system):
    with system.db.transaction() as session:
        return [(c.recipient, c.variables) for c in session.query(Communication).filter(
            Communication.template_key == FAILURE_TEMPLATE).order_by(Communication.communication_id)]


def failures(job):
    return job["error"], [(e["event_name"], e["provisioning_result_json"][:3000])
                          for e in job["provisioning_result_json"] if e["provisioning_status"] == 2]


def test_provisioning_a_sim_sets_up_ocs_hss_and_crm(system, fake_cgrates, fake_pyhss_peers):
    provision_id = system.provision_sim(0)
    assert system.run_jobs() >= 1
    job = system.job(provision_id)
    assert job["provisioning_status"] == 0, failures(job)
    events = job["provisioning_result_json"]
    assert events and all(e["provisioning_status"] in (0, 3) for e in events)
    assert job["tasks_done"] == len(events) and job["playbook_description"] == "OmniCore Service Provisioning 2024"
    assert "465B5CE8" not in str(events).upper() and "pjt_" not in str(events)  # keys and the token redacted

    [service] = system.services()
    uuid = service["service_uuid"]
    assert uuid.startswith("Mobile_SIM_") and service["service_status"] == "Active"
    # OCS: account, balances, attribute profile
    assert account_ids(fake_cgrates) == [uuid]
    data = fake_cgrates.balances(uuid, "*data", TENANT)
    assert [b["ID"] for b in data] == [f"Data__{20 * 1024 ** 3}"] and data[0]["Value"] == 20 * 1024 ** 3
    profile = fake_cgrates.state.attribute_profiles[(TENANT, f"ATTR_ACCOUNT_{uuid}")]
    assert profile["FilterIDs"] == ["*string:~*req.Account:001010000000001"]
    # HSS: AUC and subscriber on both peers
    for peer in fake_pyhss_peers:
        [auc] = peer.rows("auc")
        [subscriber] = peer.rows("subscriber")
        assert subscriber["imsi"] == auc["imsi"] == "001010000000001" and subscriber["auc_id"] == auc["auc_id"]
        assert subscriber["msisdn"] == "61400000001" and subscriber["default_apn"] == 1
    # CRM: items assigned to the service, setup transaction recorded
    for inventory_id in (system.sims[0], system.numbers[0]):
        item = system.item(inventory_id)
        assert item["item_state"] == "Assigned" and item["service_id"] == service["service_id"]
    transactions = system.call("get", f"/crm/transaction/customer_id/{system.customer_id}")["data"]
    assert [t["retail_cost"] for t in transactions] == [10] and transactions[0]["service_id"] == service["service_id"]


@pytest.mark.parametrize("target, fake", [
    ("APIerSv2.SetAccount", "cgrates"), ("APIerSv1.SetBalance", "cgrates"), ("PUT /auc/", "hss"),
    ("PUT /subscriber/", "hss"), ("APIerSv1.SetAttributeProfile", "cgrates"),
])
def test_a_failure_at_any_external_step_rolls_everything_back(system, fake_cgrates, fake_pyhss_peers, target,
                                                              fake):
    if fake == "cgrates":
        fake_cgrates.fail(target, error="SERVER_ERROR: injected")
    else:
        fake_pyhss_peers[1].fail(target, status=500)
    provision_id = system.provision_sim(0)
    system.run_jobs()
    job = system.job(provision_id)
    assert job["provisioning_status"] == 2 and job["error"], job
    assert account_ids(fake_cgrates) == []
    assert not fake_cgrates.state.attribute_profiles
    for peer in fake_pyhss_peers:
        assert peer.rows("subscriber") == [] and peer.rows("auc") == []
    assert system.services() == []
    for inventory_id in (system.sims[0], system.numbers[0]):
        item = system.item(inventory_id)
        assert item["item_state"] == "In Stock" and item["customer_id"] is None
    mails = failure_mails(system)
    assert [to for to, _ in mails] == FAILURE_LIST
    assert mails[0][1]["provision_id"] == provision_id and mails[0][1]["failed_task"]


def test_a_crm_failure_after_the_service_exists_rolls_back_too(system, fake_cgrates, fake_pyhss_peers, monkeypatch):
    def refuse(*args, **kwargs):
        raise BusinessRule("ledger closed for maintenance", code="ledger_closed")

    monkeypatch.setattr(billing, "create_transaction", refuse)  # the live CRM refuses the setup-cost transaction
    provision_id = system.provision_sim(0)
    system.run_jobs()
    job = system.job(provision_id)
    assert job["provisioning_status"] == 2 and "Record the setup cost" in job["error"]
    assert system.services() == [] and account_ids(fake_cgrates) == []
    assert all(peer.rows("subscriber") == [] for peer in fake_pyhss_peers)
    assert system.item(system.sims[0])["item_state"] == "In Stock"


def test_a_failed_step_under_ignore_errors_is_status_3_and_the_job_succeeds(system, fake_cgrates):
    fake_cgrates.fail("CacheSv1.ReloadCache", error="SERVER_ERROR: cache busy")
    provision_id = system.provision_sim(0)
    system.run_jobs()
    job = system.job(provision_id)
    assert job["provisioning_status"] == 0
    assert [e["provisioning_status"] for e in job["provisioning_result_json"]][-1] == 3


def test_deprovision_soft_parks_the_subscriber_and_hard_deletes_it(system, fake_cgrates, fake_pyhss_peers):
    for n in (0, 1, 2):
        system.provision_sim(n)
    system.run_jobs()
    soft, hard, seed_flag = sorted(system.services(), key=lambda s: s["service_id"])
    system.call("post", "/crm/provision/run_playbook", json={"service_id": soft["service_id"], "mode": "soft"})
    system.call("post", "/crm/provision/run_playbook", json={"service_id": hard["service_id"],
                                                             "action": "deprovision"})  # mode hard by default
    system.call("post", "/crm/provision/run_playbook", json={"service_id": seed_flag["service_id"],
                                                             "deprovision_subscriber": True})  # the seed's flag
    system.run_jobs()
    assert [p.provisioning_status for p in system.provisions()] == [0] * 6
    # SPEC D22: soft keeps the OCS account, disabled; hard removes it
    assert account_ids(fake_cgrates) == [soft["service_uuid"]]
    assert fake_cgrates.account(soft["service_uuid"], TENANT)["Disabled"] is True
    for peer in fake_pyhss_peers:
        [parked] = peer.rows("subscriber")
        assert parked["imsi"] == "001010000000001" and parked["msisdn"].startswith("9999")
        assert [a["imsi"] for a in peer.rows("auc")] == ["001010000000001"]
    statuses = {s["service_id"]: s["service_status"] for s in system.services()}
    assert set(statuses.values()) == {"Deactivated"}
    assert system.item(system.sims[0])["item_state"] == "Used"
    assert system.item(system.numbers[0])["item_state"] == "In Stock"


STOP_STEP = "Stop here when deprovisioning (the rescue tears the service down)"


def test_a_successful_deprovision_keeps_its_deliberate_stop_as_handled_not_failed(system):
    system.provision_sim(0)
    system.run_jobs()
    [service] = system.services()
    queued = system.call("post", "/crm/provision/run_playbook", json={"service_id": service["service_id"],
                                                                     "action": "deprovision"})
    system.run_jobs()
    job = system.job(queued["provision_id"])
    events = job["provisioning_result_json"]
    assert job["provisioning_status"] == 0, failures(job)
    assert [e["provisioning_status"] for e in events if e["event_name"] == STOP_STEP] == [3]
    assert all(e["provisioning_status"] != 2 for e in events)
    assert job["task_count"] == len(events) == job["tasks_done"]  # the teardown path, counted in advance
    skipped = {e["event_name"]: e["skipped"] for e in events}
    # a deprovision deactivates the service; deleting it is the rollback's step, skipped here
    assert skipped["Delete the service created by this run"] is True
    assert skipped["Deactivate the service"] is False and skipped[STOP_STEP] is False


def test_a_failed_provision_keeps_its_failing_step_at_2(system, fake_cgrates):
    fake_cgrates.fail("APIerSv2.SetAccount", error="SERVER_ERROR: injected")
    provision_id = system.provision_sim(0)
    system.run_jobs()
    job = system.job(provision_id)
    statuses = {e["event_name"]: e["provisioning_status"] for e in job["provisioning_result_json"]}
    assert job["provisioning_status"] == 2
    assert statuses["Create account in OCS"] == 2 and statuses[STOP_STEP] == 0


def test_two_concurrent_jobs_for_one_sim_one_is_refused(system):
    barrier = threading.Barrier(2)
    answers = []

    def request(number):
        body = {"product_id": system.products["sim"], "customer_id": system.customer_id,
                "SIM Card": system.sims[0], "Mobile Number": system.numbers[number]}
        barrier.wait()
        answers.append(requests.put(f"{system.url}/crm/provision/", json=body, headers=system.admin, timeout=30))

    threads = [threading.Thread(target=request, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    assert len(system.provisions()) == 1
    # the refused request reserved nothing: one number is taken, the other still free
    states = sorted(system.item(number)["item_state"] for number in system.numbers[:2])
    assert states == ["Assigned", "In Stock"]

"""Balance and ActionPlan enrichment, checked against the seed's worked examples
(seed-extract-2 §4.6, §7.3-7.4; seed-extract-4 §11.4-11.5; seed-extract-3 §9-10)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from omnicrm.ocs.balances import (
    DisplaySettings,
    balance_totals,
    enrich_account,
    enrich_action_plans,
    enrich_balance,
    human_until,
    money_from_ocs,
    money_to_ocs,
    parse_balance_id,
    parse_go_time,
    split_action_plan_id,
)

GB = 1024**3
MINUTE_NS = 60 * 10**9
NOW = datetime(2025, 1, 10, 0, 0, tzinfo=UTC)
AUD = DisplaySettings(currency="AUD", monetary_scale=100, now=NOW)


def data(balance_id, value, **extra):
    return enrich_balance({"ID": balance_id, "Value": value, **extra}, "*data", AUD)


def test_the_seed_balance_example_is_enriched_field_for_field():
    balance = data("AU_Data_Domestic__107374182400", 53687091200, ExpiryTime="2025-01-25T23:59:59Z", Weight=1200)

    assert balance["ID_hr"] == "AU Data Domestic"
    assert balance["OriginalValue"] == 107374182400
    assert balance["OriginalValue_hr"] == "100 GB"
    assert balance["Value_hr"] == "50 GB"
    assert balance["Remaining_hr"] == "50 GB of 100 GB"
    assert balance["PercentUsed"] == 50
    assert balance["ExpiryTime"] == "2025-01-25T23:59:59Z"
    assert balance["ExpiryTime_hr"] == "Jan 25, 2025 23:59 UTC"
    assert balance["Value"] == 53687091200 and balance["Weight"] == 1200  # raw fields kept


def test_a_topup_onto_a_balance_with_units_left_rolls_over_and_shows_6_gb_of_5_gb():
    balance = data("Data_5days__5368709120", 6 * GB)

    assert balance["Value_hr"] == "6 GB"
    assert balance["Remaining_hr"] == "6 GB of 5 GB (1 GB rolled over)"
    assert balance["PercentUsed"] == -20


def test_rollover_percent_used_goes_negative_as_in_the_seed_4_plus_5_gb_example():
    assert data("Data__5368709120", 9 * GB)["PercentUsed"] == -80


def test_a_topup_reset_to_the_full_size_is_zero_percent_used():
    balance = data("Data__5368709120", 5 * GB)
    assert balance["PercentUsed"] == 0
    assert balance["Remaining_hr"] == "5 GB of 5 GB"


def test_unlimited_voice_uses_the_seed_sentinel_999999999():
    balance = enrich_balance({"ID": "VOICE_Unlimited", "Value": 999999999}, "*voice", AUD)

    assert balance["Unlimited"] is True
    assert balance["Value_hr"] == "Unlimited"
    assert balance["Remaining_hr"] == "Unlimited minutes"
    assert balance["PercentUsed"] == 0


def test_a_large_but_finite_voice_allowance_in_nanoseconds_is_not_unlimited():
    balance = enrich_balance({"ID": "AU_Voice_Domestic__180000000000000", "Value": 3000 * MINUTE_NS},
                             "*voice", AUD)

    assert balance["Unlimited"] is False
    assert balance["OriginalValue_hr"] == "3000 min"
    assert balance["Remaining_hr"] == "3000 min of 3000 min"


@pytest.mark.parametrize(("balance_type", "value", "expected"), [
    ("*data", 13421772800, "12.5 GB"),
    ("*voice", 7500000000000, "125 min"),
    ("*sms", 250, "250 msgs"),
    ("*monetary", 1550, "$15.50"),
])
def test_the_usage_view_units_of_seed_extract_4(balance_type, value, expected):
    assert enrich_balance({"ID": "x", "Value": value}, balance_type, AUD)["Value_hr"] == expected


def test_sms_sizes_come_from_the_balance_id():
    balance = enrich_balance({"ID": "AU_SMS_Domestic__3000", "Value": 3000}, "*sms", AUD)
    assert (balance["ID_hr"], balance["OriginalValue_hr"]) == ("AU SMS Domestic", "3000 msgs")


def test_monetary_values_use_the_configured_scale_and_currency_with_decimal_rounding():
    gbp_per_mille = DisplaySettings(currency="GBP", monetary_scale=1000, now=NOW)

    assert enrich_balance({"ID": "PAYG", "Value": 50000}, "*monetary", gbp_per_mille)["Value_hr"] == "£50.00"
    assert money_from_ocs(1234.5, AUD) == Decimal("12.35")  # half up, exact
    assert money_from_ocs(-500, AUD) == Decimal("-5.00")
    assert enrich_balance({"ID": "PAYG", "Value": -500}, "*monetary", AUD)["Value_hr"] == "-$5.00"
    assert money_to_ocs(Decimal("50.00"), 100) == 5000


def test_a_monetary_balance_without_a_size_reads_as_credit():
    balance = enrich_balance({"ID": "PAYG_Monetary_Balance", "Value": 5000}, "*monetary", AUD)

    assert balance["OriginalValue"] is None
    assert balance["Remaining_hr"] == "$50.00 credit"
    assert balance["PercentUsed"] is None


def test_a_balance_id_without_the_size_convention_cannot_say_x_of_y():
    balance = data("AU_Data_Domestic", 5 * GB)
    assert (balance["OriginalValue"], balance["Remaining_hr"], balance["PercentUsed"]) == (None, "5 GB remaining", None)


def test_the_unique_per_purchase_suffix_after_the_size_is_ignored():
    assert parse_balance_id("Data_5days__5368709120_ab12cd34") == ("Data 5days", 5368709120)
    assert parse_balance_id("AU_Data_Domestic_100GB") == ("AU Data Domestic 100GB", None)


def test_expiry_handles_go_zero_time_nanoseconds_and_offsets():
    never = data("x", 1, ExpirationDate="0001-01-01T00:00:00Z")
    assert (never["ExpiryTime"], never["ExpiryTime_hr"]) == (None, "No expiry")

    assert parse_go_time("2025-02-25T23:59:59.123456789+01:00") == datetime(2025, 2, 25, 22, 59, 59, 123456,
                                                                              tzinfo=UTC)


def test_totals_per_type_add_up_the_active_balances_of_the_usage_view_example():
    balance_map = {"*data": [
        {"ID": "monthly_data_20GB", "Value": 13421772800, "ExpiryTime": "2025-01-25T23:59:59Z", "Weight": 10},
        {"ID": "boost_5GB", "Value": 5 * GB, "ExpiryTime": "2025-01-31T23:59:59Z", "Weight": 20},
        {"ID": "old_3GB", "Value": 0, "ExpiryTime": "2025-01-18T23:59:59Z", "Weight": 30},
        {"ID": "expired__1073741824", "Value": GB, "ExpiryTime": "2025-01-01T00:00:00Z"},
        {"ID": "disabled_bonus", "Value": GB, "Disabled": True},
    ]}

    totals = balance_totals(balance_map, AUD)["*data"]

    assert totals["Value_hr"] == "17.5 GB"
    assert totals["Count"] == 3
    assert totals["OriginalValue"] is None  # not every balance has a size


def test_totals_say_x_of_y_when_every_balance_has_a_size():
    balance_map = {"*data": [{"ID": "a__10737418240", "Value": 5 * GB}, {"ID": "b__5368709120", "Value": 5 * GB}]}
    totals = balance_totals(balance_map, AUD)["*data"]
    assert (totals["Remaining_hr"], totals["PercentUsed"]) == ("10 GB of 15 GB", 33.33)


def test_an_unlimited_balance_makes_the_total_unlimited():
    balance_map = {"*voice": [{"ID": "VOICE_Unlimited", "Value": 999999999}, {"ID": "x", "Value": MINUTE_NS}]}
    assert balance_totals(balance_map, AUD)["*voice"]["Remaining_hr"] == "Unlimited minutes"


def test_enrich_account_orders_balances_heaviest_first_and_reports_the_flags():
    account = {"BalanceMap": {"*data": [{"ID": "light", "Value": 1, "Weight": 10},
                                        {"ID": "heavy", "Value": 1, "Weight": 1200}]},
               "Disabled": True}

    enriched = enrich_account(account, AUD)

    assert [b["ID"] for b in enriched["BalanceMap"]["*data"]] == ["heavy", "light"]
    assert enriched["Disabled"] is True and enriched["AllowNegative"] is False
    assert enriched["BalanceTotals"]["*data"]["Count"] == 2


def test_action_plan_ids_of_the_crm_convention_are_split():
    assert split_action_plan_id("ServiceID_abc-123-def__ProductID_456__CustomerID_789__MonthlyRenewal") == {
        "ServiceID": "abc-123-def", "ProductID": 456, "CustomerID": 789, "Suffix": "MonthlyRenewal"}
    # the seed's auto-renew playbook leaves the customer out
    assert split_action_plan_id("ServiceID_Mobile_SIM_c2880638__ProductID_12__MonthlyRenewal") == {
        "ServiceID": "Mobile_SIM_c2880638", "ProductID": 12, "Suffix": "MonthlyRenewal"}
    assert split_action_plan_id("ActionPlan_Monthly_100GB") is None


def test_action_plans_get_the_next_run_in_iso_and_in_words_soonest_first():
    rows = [
        {"ActionPlanId": "ServiceID_s1__ProductID_1__CustomerID_2", "ActionsId": "Action_a",
         "NextExecTime": "2025-02-01T00:00:00Z"},
        {"ActionPlanId": "ActionPlan_shared", "ActionsId": "Action_b", "NextExecTime": "0001-01-01T00:00:00Z"},
        {"ActionPlanId": "ServiceID_s1__ProductID_3__CustomerID_2", "ActionsId": "Action_c",
         "NextExecTime": "2025-01-21T00:00:00+00:00"},
    ]

    plans = enrich_action_plans(rows, NOW)

    assert [p["ActionsId"] for p in plans] == ["Action_c", "Action_a", "Action_b"]
    assert plans[0]["custom_NextExecTime_hr"] == "in 11 days"
    assert plans[1]["custom_NextExecTime_hr"] == "in 22 days"
    assert plans[1]["NextExecTime"] == "2025-02-01T00:00:00Z"
    assert plans[1]["ActionPlanId_split_dict"] == {"ServiceID": "s1", "ProductID": 1, "CustomerID": 2}
    assert (plans[2]["NextExecTime"], plans[2]["custom_NextExecTime_hr"]) == (None, "Not scheduled")
    assert plans[2]["ActionPlanId_split_dict"] is None


@pytest.mark.parametrize(("moment", "expected"), [
    (datetime(2025, 1, 11, 0, 0, tzinfo=UTC), "in 1 day"),
    (datetime(2025, 1, 10, 5, 30, tzinfo=UTC), "in 5 hours"),
    (datetime(2025, 1, 10, 0, 1, 30, tzinfo=UTC), "in 1 minute"),
    (datetime(2025, 1, 10, 0, 0, 20, tzinfo=UTC), "now"),
    (datetime(2025, 1, 7, 0, 0, tzinfo=UTC), "3 days ago"),
])
def test_human_until(moment, expected):
    assert human_until(moment, NOW) == expected

"""The Go argument structs of the implemented methods, field for field (names and types decide how a request
decodes). Embedded structs are flattened the way encoding/json promotes their fields."""

from __future__ import annotations

from .gojson import ANY, BOOL, FLOAT64, INT, INT64, STRING, TIME, Map, Ptr, Slice, Struct

STRINGS = Slice(STRING)
PAGINATOR = [("Limit", Ptr(INT)), ("Offset", Ptr(INT))]

# -- accounts ----------------------------------------------------------------------------------------------
ATTR_SET_ACCOUNT_V1 = Struct("utils.AttrSetAccount", [
    ("Tenant", STRING), ("Account", STRING), ("ActionPlanID", STRING), ("ActionTriggersID", STRING),
    ("ExtraOptions", Map(BOOL)), ("ReloadScheduler", BOOL),
])  # fmt: skip
ATTR_SET_ACCOUNT_V2 = Struct("engine.AttrSetAccount", [
    ("Tenant", STRING), ("Account", STRING), ("ActionPlanIDs", STRINGS), ("ActionPlansOverwrite", BOOL),
    ("ActionTriggerIDs", STRINGS), ("ActionTriggerOverwrite", BOOL), ("ExtraOptions", Map(BOOL)),
    ("ReloadScheduler", BOOL),
])  # fmt: skip
ATTR_GET_ACCOUNT = Struct("utils.AttrGetAccount", [("Tenant", STRING), ("Account", STRING)])
ATTR_GET_ACCOUNTS = Struct("utils.AttrGetAccounts", [
    ("Tenant", STRING), ("AccountIDs", STRINGS), ("Offset", INT), ("Limit", INT), ("Filter", Map(BOOL)),
])  # fmt: skip
TENANT_WITH_OPTS = Struct("utils.TenantWithAPIOpts", [("Tenant", STRING), ("APIOpts", Map(ANY))])
ATTR_GET_ACCOUNTS_COUNT = Struct("utils.AttrGetAccountsCount", [("Tenant", STRING)])
PAGINATOR_WITH_TENANT = Struct("utils.PaginatorWithTenant", [("Tenant", STRING), ("Search", STRING), *PAGINATOR])
ATTR_REMOVE_ACCOUNT = Struct("utils.AttrRemoveAccount", [
    ("Tenant", STRING), ("Account", STRING), ("ReloadScheduler", BOOL),
])  # fmt: skip
TENANT_ACCOUNT = Struct("utils.TenantAccount", [("Tenant", STRING), ("Account", STRING)])
ATTR_RESET_TRIGGERS = Struct("v1.AttrResetAccountActionTriggers", [
    ("Tenant", STRING), ("Account", STRING), ("GroupID", STRING), ("UniqueID", STRING), ("Executed", BOOL),
])  # fmt: skip

# -- balances ----------------------------------------------------------------------------------------------
ATTR_ADD_BALANCE = Struct("v1.AttrAddBalance", [
    ("Tenant", STRING), ("Account", STRING), ("BalanceType", STRING), ("Value", FLOAT64),
    ("Balance", Map(ANY)), ("ActionExtraData", Ptr(Map(ANY))), ("Overwrite", BOOL), ("Cdrlog", BOOL),
])  # fmt: skip
ATTR_SET_BALANCE = Struct("utils.AttrSetBalance", [
    ("Tenant", STRING), ("Account", STRING), ("BalanceType", STRING), ("Value", FLOAT64),
    ("Balance", Map(ANY)), ("ActionExtraData", Ptr(Map(ANY))), ("Cdrlog", BOOL),
])  # fmt: skip
ATTR_BALANCE = Struct("utils.AttrBalance", [
    ("BalanceType", STRING), ("Value", FLOAT64), ("Balance", Map(ANY)), ("ActionExtraData", Ptr(Map(ANY))),
    ("Cdrlog", BOOL),
])  # fmt: skip
ATTR_SET_BALANCES = Struct("utils.AttrSetBalances", [
    ("Tenant", STRING), ("Account", STRING), ("Balances", Slice(Ptr(ATTR_BALANCE))),
])  # fmt: skip

# -- actions -----------------------------------------------------------------------------------------------
V1_TP_ACTION = Struct("v1.V1TPAction", [
    ("Identifier", STRING), ("BalanceId", STRING), ("BalanceUuid", STRING), ("BalanceType", STRING),
    ("Units", FLOAT64), ("ExpiryTime", STRING), ("Filters", STRINGS), ("TimingTags", STRING),
    ("DestinationIds", STRING), ("RatingSubject", STRING), ("Categories", STRING), ("SharedGroups", STRING),
    ("BalanceWeight", Ptr(FLOAT64)), ("ExtraParameters", STRING), ("BalanceBlocker", STRING),
    ("BalanceDisabled", STRING), ("Weight", FLOAT64),
])  # fmt: skip
V1_ATTR_SET_ACTIONS = Struct("v1.V1AttrSetActions", [
    ("ActionsId", STRING), ("Overwrite", BOOL), ("Actions", Slice(Ptr(V1_TP_ACTION))),
])  # fmt: skip
TP_ACTION = Struct("utils.TPAction", [
    ("Identifier", STRING), ("BalanceId", STRING), ("BalanceUuid", STRING), ("BalanceType", STRING),
    ("Units", STRING), ("ExpiryTime", STRING), ("Filters", STRING), ("TimingTags", STRING),
    ("DestinationIds", STRING), ("RatingSubject", STRING), ("Categories", STRING), ("SharedGroups", STRING),
    ("BalanceWeight", STRING), ("ExtraParameters", STRING), ("BalanceBlocker", STRING),
    ("BalanceDisabled", STRING), ("Weight", FLOAT64),
])  # fmt: skip
ATTR_SET_ACTIONS_V2 = Struct("utils.AttrSetActions", [
    ("ActionsId", STRING), ("Overwrite", BOOL), ("Actions", Slice(Ptr(TP_ACTION))),
])  # fmt: skip
ATTR_GET_ACTIONS_V2 = Struct("v2.AttrGetActions", [("ActionIDs", STRINGS), ("Offset", INT), ("Limit", INT)])
ATTR_REMOVE_ACTIONS = Struct("v1.AttrRemoveActions", [("ActionIDs", STRINGS)])
ATTR_EXECUTE_ACTION = Struct("utils.AttrExecuteAction", [
    ("Tenant", STRING), ("Account", STRING), ("ActionsId", STRING),
])  # fmt: skip

# -- action plans and the scheduler --------------------------------------------------------------------------
ATTR_ACTION_PLAN = Struct("engine.AttrActionPlan", [
    ("ActionsId", STRING), ("TimingID", STRING), ("Years", STRING), ("Months", STRING), ("MonthDays", STRING),
    ("WeekDays", STRING), ("Time", STRING), ("Weight", FLOAT64),
])  # fmt: skip
ATTR_SET_ACTION_PLAN = Struct("engine.AttrSetActionPlan", [
    ("Id", STRING), ("ActionPlan", Slice(Ptr(ATTR_ACTION_PLAN))), ("Overwrite", BOOL),
    ("ReloadScheduler", BOOL),
])  # fmt: skip
ATTR_GET_ACTION_PLAN = Struct("v1.AttrGetActionPlan", [("ID", STRING)])
ATTR_REMOVE_ACTION_TIMING = Struct("v1.AttrRemoveActionTiming", [
    ("ActionPlanId", STRING), ("ActionTimingId", STRING), ("Tenant", STRING), ("Account", STRING),
    ("ReloadScheduler", BOOL),
])  # fmt: skip
ARGS_GET_SCHEDULED_ACTIONS = Struct("scheduler.ArgsGetScheduledActions", [
    ("Tenant", Ptr(STRING)), ("Account", Ptr(STRING)), ("TimeStart", Ptr(TIME)), ("TimeEnd", Ptr(TIME)),
    *PAGINATOR,
])  # fmt: skip
ATTRS_EXECUTE_ACTIONS = Struct("utils.AttrsExecuteActions", [
    ("ActionPlanID", STRING), ("TimeStart", TIME), ("TimeEnd", TIME),
])  # fmt: skip
CGR_EVENT = Struct("utils.CGREvent", [
    ("Tenant", STRING), ("ID", STRING), ("Time", Ptr(TIME)), ("Event", Map(ANY)), ("APIOpts", Map(ANY)),
])  # fmt: skip

# -- caches --------------------------------------------------------------------------------------------------
_CACHE_ID_FIELDS = (
    "DestinationIDs", "ReverseDestinationIDs", "RatingPlanIDs", "RatingProfileIDs", "ActionIDs",
    "ActionPlanIDs", "AccountActionPlanIDs", "ActionTriggerIDs", "SharedGroupIDs", "ResourceProfileIDs",
    "ResourceIDs", "StatsQueueIDs", "StatsQueueProfileIDs", "ThresholdIDs", "ThresholdProfileIDs",
    "FilterIDs", "RouteProfileIDs", "AttributeProfileIDs", "ChargerProfileIDs", "DispatcherProfileIDs",
    "DispatcherHostIDs", "TimingIDs", "AttributeFilterIndexIDs",
)  # fmt: skip
ATTR_RELOAD_CACHE = Struct(
    "utils.AttrReloadCacheWithAPIOpts",
    [("APIOpts", Map(ANY)), ("Tenant", STRING), *((name, STRINGS) for name in _CACHE_ID_FIELDS)],
)

# -- CDRs ----------------------------------------------------------------------------------------------------
_CDR_FILTER_LISTS = (
    "CGRIDs", "NotCGRIDs", "RunIDs", "NotRunIDs", "OriginIDs", "NotOriginIDs", "OriginHosts",
    "NotOriginHosts",
    "Sources", "NotSources", "ToRs", "NotToRs", "RequestTypes", "NotRequestTypes", "Tenants", "NotTenants",
    "Categories", "NotCategories", "Accounts", "NotAccounts", "Subjects", "NotSubjects",
    "DestinationPrefixes", "NotDestinationPrefixes",
)  # fmt: skip
_CDR_FILTER_TIMES = (
    "SetupTimeStart", "SetupTimeEnd", "AnswerTimeStart", "AnswerTimeEnd", "CreatedAtStart", "CreatedAtEnd",
    "UpdatedAtStart", "UpdatedAtEnd", "MinUsage", "MaxUsage", "OrderBy",
)  # fmt: skip
_RPC_CDRS_FILTER_FIELDS = [
    *((name, STRINGS) for name in _CDR_FILTER_LISTS),
    ("Costs", Slice(FLOAT64)), ("NotCosts", Slice(FLOAT64)),
    ("ExtraFields", Map(STRING)), ("NotExtraFields", Map(STRING)),
    *((name, STRING) for name in _CDR_FILTER_TIMES),
    ("ExtraArgs", Map(ANY)), *PAGINATOR,
]  # fmt: skip
RPC_CDRS_FILTER = Struct("utils.RPCCDRsFilter", list(_RPC_CDRS_FILTER_FIELDS))
RPC_CDRS_FILTER_WITH_OPTS = Struct(
    "utils.RPCCDRsFilterWithAPIOpts", [*_RPC_CDRS_FILTER_FIELDS, ("APIOpts", Map(ANY)), ("Tenant", STRING)]
)
ATTR_GET_CDRS = Struct("utils.AttrGetCdrs", [
    ("CgrIds", STRINGS), ("MediationRunIds", STRINGS), ("TORs", STRINGS), ("CdrHosts", STRINGS),
    ("CdrSources", STRINGS), ("ReqTypes", STRINGS), ("Tenants", STRINGS), ("Categories", STRINGS),
    ("Accounts", STRINGS), ("Subjects", STRINGS), ("DestinationPrefixes", STRINGS),
    ("RatedAccounts", STRINGS),
    ("RatedSubjects", STRINGS), ("OrderIdStart", Ptr(INT64)), ("OrderIdEnd", Ptr(INT64)),
    ("TimeStart", STRING), ("TimeEnd", STRING), ("SkipErrors", BOOL), ("SkipRated", BOOL),
    ("OrderBy", STRING), *PAGINATOR,
])  # fmt: skip
CDR = Struct("engine.CDR", [
    ("CGRID", STRING), ("RunID", STRING), ("OrderID", INT64), ("OriginHost", STRING), ("Source", STRING),
    ("OriginID", STRING), ("ToR", STRING), ("RequestType", STRING), ("Tenant", STRING), ("Category", STRING),
    ("Account", STRING), ("Subject", STRING), ("Destination", STRING), ("SetupTime", TIME),
    ("AnswerTime", TIME), ("Usage", INT64), ("ExtraFields", Map(STRING)), ("ExtraInfo", STRING),
    ("Partial", BOOL), ("PreRated", BOOL), ("CostSource", STRING), ("Cost", FLOAT64),
    ("CostDetails", ANY),
])  # fmt: skip
CDR_WITH_OPTS = Struct("engine.CDRWithAPIOpts", [*CDR.fields, ("APIOpts", Map(ANY))])
ARG_V1_PROCESS_EVENT = Struct("engine.ArgV1ProcessEvent", [
    ("Flags", STRINGS), ("Tenant", STRING), ("ID", STRING), ("Time", Ptr(TIME)), ("Event", Map(ANY)),
    ("APIOpts", Map(ANY)),
])  # fmt: skip

# -- attribute profiles and filters -------------------------------------------------------------------------
ACTIVATION_INTERVAL = Struct("utils.ActivationInterval", [("ActivationTime", TIME), ("ExpiryTime", TIME)])
RSR_PARSER = Struct("config.RSRParser", [("Rules", STRING)])
ATTRIBUTE = Struct("engine.Attribute", [
    ("FilterIDs", STRINGS), ("Path", STRING), ("Type", STRING),
    ("Value", Slice(Ptr(RSR_PARSER), "config.RSRParsers")),
])  # fmt: skip
ATTRIBUTE_PROFILE_WITH_OPTS = Struct("engine.AttributeProfileWithAPIOpts", [
    ("Tenant", STRING), ("ID", STRING), ("Contexts", STRINGS), ("FilterIDs", STRINGS),
    ("ActivationInterval", Ptr(ACTIVATION_INTERVAL)), ("Attributes", Slice(Ptr(ATTRIBUTE))),
    ("Blocker", BOOL), ("Weight", FLOAT64), ("APIOpts", Map(ANY)),
])  # fmt: skip
TENANT_ID = Struct("utils.TenantID", [("Tenant", STRING), ("ID", STRING)])
TENANT_ID_WITH_OPTS = Struct("utils.TenantIDWithAPIOpts", [("Tenant", STRING), ("ID", STRING), ("APIOpts", Map(ANY))])
FILTER_RULE = Struct("engine.FilterRule", [("Type", STRING), ("Element", STRING), ("Values", STRINGS)])
FILTER_WITH_OPTS = Struct("engine.FilterWithAPIOpts", [
    ("Tenant", STRING), ("ID", STRING), ("Rules", Slice(Ptr(FILTER_RULE))),
    ("ActivationInterval", Ptr(ACTIVATION_INTERVAL)), ("APIOpts", Map(ANY)),
])  # fmt: skip

# -- tariff plans (StorDB) -----------------------------------------------------------------------------------
TP_DESTINATION = Struct("utils.TPDestination", [("TPid", STRING), ("ID", STRING), ("Prefixes", STRINGS)])
ATTR_GET_TP_DESTINATION_V1 = Struct("v1.AttrGetTPDestination", [("TPid", STRING), ("ID", STRING)])
ATTR_GET_TP_DESTINATION_V2 = Struct("v2.AttrGetTPDestination", [("TPid", STRING), ("Tag", STRING)])
ATTR_GET_TP_IDS = Struct("v1.AttrGetTPIds", [("TPid", STRING), ("Search", STRING), *PAGINATOR])
RATE_SLOT = Struct("utils.RateSlot", [
    ("ConnectFee", FLOAT64), ("Rate", FLOAT64), ("RateUnit", STRING), ("RateIncrement", STRING),
    ("GroupIntervalStart", STRING),
])  # fmt: skip
TP_RATE = Struct("utils.TPRateRALs", [("TPid", STRING), ("ID", STRING), ("RateSlots", Slice(Ptr(RATE_SLOT)))])
DESTINATION_RATE = Struct("utils.DestinationRate", [
    ("DestinationId", STRING), ("RateId", STRING), ("Rate", ANY), ("RoundingMethod", STRING),
    ("RoundingDecimals", INT), ("MaxCost", FLOAT64), ("MaxCostStrategy", STRING),
])  # fmt: skip
TP_DESTINATION_RATE = Struct("utils.TPDestinationRate", [
    ("TPid", STRING), ("ID", STRING), ("DestinationRates", Slice(Ptr(DESTINATION_RATE))),
])  # fmt: skip
RATING_PLAN_BINDING = Struct("utils.TPRatingPlanBinding", [
    ("DestinationRatesId", STRING), ("TimingId", STRING), ("Weight", FLOAT64),
])  # fmt: skip
TP_RATING_PLAN = Struct("utils.TPRatingPlan", [
    ("TPid", STRING), ("ID", STRING), ("RatingPlanBindings", Slice(Ptr(RATING_PLAN_BINDING))),
])  # fmt: skip
RATING_PLAN_ACTIVATION = Struct("utils.TPRatingActivation", [
    ("ActivationTime", STRING), ("RatingPlanId", STRING), ("FallbackSubjects", STRING),
])  # fmt: skip
TP_RATING_PROFILE = Struct("utils.TPRatingProfile", [
    ("TPid", STRING), ("LoadId", STRING), ("Tenant", STRING), ("Category", STRING), ("Subject", STRING),
    ("RatingPlanActivations", Slice(Ptr(RATING_PLAN_ACTIVATION))),
])  # fmt: skip
ATTR_LOAD_TP_FROM_STORDB = Struct("v1.AttrLoadTpFromStorDb", [
    ("TPid", STRING), ("DryRun", BOOL), ("Validate", BOOL), ("APIOpts", Map(ANY)), ("Caching", Ptr(STRING)),
])  # fmt: skip
ATTR_GET_DESTINATIONS_V2 = Struct("v2.AttrGetDestinations", [("DestinationIDs", STRINGS)])

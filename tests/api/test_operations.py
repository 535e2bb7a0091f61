"""Health, metrics and the generated OpenAPI document."""

from omnicrm.app import create_app
from omnicrm.core.db import Database
from tests.conftest import make_settings


def test_health_reports_database_round_trip(client):
    response = client.get("/crm/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["database"] == "ok"


def test_health_is_503_when_the_database_is_down():
    settings = make_settings("mysql+pymysql://nobody:x@127.0.0.1:1/omnicrm?connect_timeout=1")
    app = create_app(settings, db=Database.from_url(settings.sqlalchemy_url), configure_logs=False)
    response = app.test_client().get("/crm/health")
    assert response.status_code == 503
    assert response.json["code"] == "database_unavailable"


def test_metrics_expose_the_catalogue_and_http_metrics(client):
    client.get("/crm/health")
    client.get("/crm/nope")
    text = client.get("/crm/metrics").get_data(as_text=True)
    for name in ("omnicrm_provision_jobs_total", "omnicrm_provision_job_duration_seconds",
                 "omnicrm_db_pool_size", "omnicrm_db_pool_overflow", "omnicrm_db_pool_connections_checked_out",
                 "omnicrm_ocs_api_calls_total", "omnicrm_stripe_api_calls_total", "omnicrm_mailjet_api_calls_total",
                 "omnicrm_background_jobs_total", "omnicrm_api_auth_failures_total",
                 "omnicrm_db_query_duration_seconds",
                 "flask_http_request_duration_seconds", "flask_http_request_total"):
        assert f"# TYPE {name}" in text, name
    assert 'omnicrm_api_info{environment="test"' in text
    assert 'error_type="not_found",status_code="404"}' in text
    assert 'omnicrm_db_query_duration_seconds_count{operation="SELECT"' in text


def test_openapi_document_covers_every_operation(app, client):
    spec = client.get("/crm/docs/apispec.json").json
    assert spec["openapi"].startswith("3.")
    assert "/crm/auth/login" in spec["paths"] and "/auth/login" in spec["paths"]
    login = spec["paths"]["/crm/auth/login"]["post"]
    assert login["security"] == []
    body_ref = login["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body_ref.split("/")[-1] in spec["components"]["schemas"]
    operation_ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    assert client.get("/crm/docs/openapi.json").json == spec


def test_a_bare_array_response_refers_to_component_schemas(client):
    """list[Model] answers share the model's component, nested models included (no dangling inline $defs)."""
    spec = client.get("/crm/docs/apispec.json").json
    listed = spec["paths"]["/crm/service/service_id/{service_id}/addons"]["get"]
    schema = listed["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"type": "array", "items": {"$ref": "#/components/schemas/AddonOut"}}
    items = spec["components"]["schemas"]["AddonOut"]["properties"]["inventory"]["items"]
    assert items["$ref"].split("/")[-1] in spec["components"]["schemas"]


def test_swagger_ui_is_served(client):
    page = client.get("/crm/docs/")
    assert page.status_code == 200
    assert b"swagger" in page.data.lower()

"""Contacts (phone/e-mail validation, E.164 kept beside the raw value) and sites (coordinates, proximity)."""

import pytest
from sqlalchemy import func, select

from omnicrm.customers.models import Contact, Site


@pytest.fixture
def headers(identities):
    return identities.headers(
        "view_customer", "create_customer", "view_customer_contact", "create_customer_contact",
        "update_customer_contact", "delete_customer_contact", "view_customer_site", "create_customer_site",
        "update_customer_site", "delete_customer_site")


@pytest.fixture
def customer_id(client, headers):
    return client.put("/crm/customer/", json={"customer_name": "Contact Holder"}, headers=headers).json["customer_id"]


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


# --------------------------------------------------------------------------------------------------
# Contacts


def test_create_normalises_phone_to_e164_and_keeps_the_raw_value(client, headers, customer_id):
    response = client.put("/crm/contact/", json={
        "customer_id": customer_id, "contact_firstname": "Jane", "contact_lastname": "Citizen",
        "contact_email": "jane@Example.COM", "contact_phone": "0412 345 678", "contact_types": "primary, Billing"},
        headers=headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["contact_phone"] == "0412 345 678"
    assert body["contact_phone_e164"] == "+61412345678"  # crm.default_country AU reads the national form
    assert body["contact_email"] == "jane@example.com"
    assert body["contact_types"] == ["primary", "billing"]


def test_international_numbers_keep_their_country(client, headers, customer_id):
    body = client.post("/crm/contact/", json={"customer_id": customer_id, "contact_firstname": "Ann",
                                              "contact_phone": "+44 7700 900123"}, headers=headers).json
    assert body["contact_phone_e164"] == "+447700900123"


@pytest.mark.parametrize(("fields", "field"), [
    ({"contact_phone": "12"}, "contact_phone"),
    ({"contact_phone": "call me maybe"}, "contact_phone"),
    ({"contact_phone": "+44 7700 900123 999"}, "contact_phone"),
    ({"contact_email": "jane@@example.com"}, "contact_email"),
    ({"contact_email": "no-at-sign"}, "contact_email"),
    ({"contact_types": ["billing", "astrologer"]}, "contact_types"),
    ({"contact_firstname": "x" * 101}, "contact_firstname"),
    ({"contact_types": ["billing"]}, "body"),  # nothing identifies the contact
])
def test_bad_contacts_are_422_naming_the_field(client, headers, customer_id, session, fields, field):
    before = count(session, Contact)
    body = {"customer_id": customer_id, **({"contact_firstname": "A"} if field != "body" else {}), **fields}
    if field == "contact_firstname":
        body["contact_firstname"] = fields["contact_firstname"]
    response = client.put("/crm/contact/", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert field in {e["field"] for e in response.json["errors"]}
    assert count(session, Contact) == before


def test_contact_for_unknown_customer_is_404(client, headers):
    response = client.put("/crm/contact/", json={"customer_id": 987654, "contact_firstname": "A"}, headers=headers)
    assert response.status_code == 404 and response.json["code"] == "customer_not_found"


def test_contact_read_update_delete_and_bare_array_per_customer(client, headers, customer_id):
    made = client.put("/crm/contact/", json={"customer_id": customer_id, "contact_firstname": "A",
                                             "contact_phone": "+61 412 345 678"}, headers=headers).json
    cid = made["contact_id"]
    assert client.get(f"/crm/contact/contact_id/{cid}", headers=headers).json["contact_firstname"] == "A"
    patched = client.patch(f"/crm/contact/contact_id/{cid}", json={"contact_phone": "+44 20 7946 0958"},
                           headers=headers).json
    assert (patched["contact_phone"], patched["contact_phone_e164"]) == ("+44 20 7946 0958", "+442079460958")
    cleared = client.patch(f"/crm/contact/contact_id/{cid}", json={"contact_phone": None}, headers=headers).json
    assert cleared["contact_phone"] is None and cleared["contact_phone_e164"] is None
    listed = client.get(f"/crm/contact/customer_id/{customer_id}", headers=headers).json
    assert isinstance(listed, list) and [c["contact_id"] for c in listed] == [cid]
    assert client.delete(f"/crm/contact/contact_id/{cid}", headers=headers).json["success"] is True
    assert client.get(f"/crm/contact/contact_id/{cid}", headers=headers).status_code == 404
    assert client.get(f"/crm/contact/customer_id/{customer_id}", headers=headers).json == []


def test_patch_cannot_leave_a_contact_without_name_email_or_phone(client, headers, customer_id):
    cid = client.put("/crm/contact/", json={"customer_id": customer_id, "contact_firstname": "A"},
                     headers=headers).json["contact_id"]
    response = client.patch(f"/crm/contact/contact_id/{cid}", json={"contact_firstname": None}, headers=headers)
    assert response.status_code == 422
    assert client.get(f"/crm/contact/contact_id/{cid}", headers=headers).json["contact_firstname"] == "A"


def test_contacts_list_with_search_and_customer_filter(client, headers, customer_id):
    for first, email in (("Zed", "zed@one.example"), ("Yolanda", "yo@two.example")):
        client.put("/crm/contact/", json={"customer_id": customer_id, "contact_firstname": first,
                                          "contact_email": email}, headers=headers)
    found = client.get("/crm/contact/?search=olan", headers=headers).json["data"]
    assert [c["contact_firstname"] for c in found] == ["Yolanda"]
    filtered = client.get("/crm/contact/", query_string={"filters": f'{{"customer_id": [{customer_id}]}}'},
                          headers=headers).json
    assert filtered["pagination"]["total_items"] == 2


def test_customer_read_embeds_contact_emails_for_playbooks(client, headers, customer_id):
    client.put("/crm/contact/", json={"customer_id": customer_id, "contact_email": "ops@example.com"},
               headers=headers)
    customer = client.get(f"/crm/customer/customer_id/{customer_id}", headers=headers).json
    assert customer["contacts"][0]["contact_email"] == "ops@example.com"


# --------------------------------------------------------------------------------------------------
# Sites

LONDON = {"site_name": "London Office", "address_line_1": "123 Main Street", "city": "London",
          "state": "Greater London", "zip_code": "SW1A 1AA", "country": "United Kingdom", "latitude": 51.5074,
          "longitude": -0.1278, "plus_code": "9c3xgphc+3q", "google_maps_place_id": "ChIJdd4hrwug2EcRmSrV3Vo6III"}


def test_site_create_read_and_bare_array(client, headers, customer_id):
    made = client.put("/crm/site/", json={"customer_id": customer_id, **LONDON}, headers=headers)
    assert made.status_code == 200, made.json
    assert made.json["plus_code"] == "9C3XGPHC+3Q"
    listed = client.get(f"/crm/site/customer_id/{customer_id}", headers=headers).json
    assert isinstance(listed, list)
    assert (listed[0]["address_line_1"], listed[0]["city"], listed[0]["latitude"]) == ("123 Main Street", "London",
                                                                                       51.5074)


@pytest.mark.parametrize(("fields", "field"), [
    ({"latitude": 90.5, "longitude": 0}, "latitude"),
    ({"latitude": 0, "longitude": -180.01}, "longitude"),
    ({"latitude": 10}, "body"),
    ({"plus_code": "not a code"}, "plus_code"),
    ({"google_maps_place_id": "has spaces in it"}, "google_maps_place_id"),
    ({"zip_code": "1" * 21}, "zip_code"),
    ({"site_name": None, "address_line_1": None}, "body"),
])
def test_bad_sites_are_422(client, headers, customer_id, session, fields, field):
    before = count(session, Site)
    response = client.put("/crm/site/", json={"customer_id": customer_id, "site_name": "S", **fields},
                          headers=headers)
    assert response.status_code == 422, response.json
    assert field in {e["field"] for e in response.json["errors"]}
    assert count(session, Site) == before


def test_site_patch_keeps_coordinates_paired(client, headers, customer_id):
    sid = client.put("/crm/site/", json={"customer_id": customer_id, **LONDON}, headers=headers).json["site_id"]
    refused = client.patch(f"/crm/site/site_id/{sid}", json={"latitude": None}, headers=headers)
    assert refused.status_code == 422
    moved = client.patch(f"/crm/site/site_id/{sid}", json={"latitude": 48.8566, "longitude": 2.3522},
                         headers=headers).json
    assert (moved["latitude"], moved["longitude"]) == (48.8566, 2.3522)
    assert client.delete(f"/crm/site/site_id/{sid}", headers=headers).status_code == 200
    assert client.get(f"/crm/site/site_id/{sid}", headers=headers).status_code == 404


def test_sites_near_are_within_range_nearest_first_with_distance(client, headers, customer_id):
    places = {"Westminster": (51.5007, -0.1246), "Greenwich": (51.4769, -0.0005), "Oxford": (51.7520, -1.2577),
              "Paris": (48.8566, 2.3522)}
    for name, (lat, lng) in places.items():
        client.put("/crm/site/", json={"customer_id": customer_id, "site_name": name, "latitude": lat,
                                       "longitude": lng}, headers=headers)
    near = client.get("/crm/site/near?lat=51.5074&lng=-0.1278&km=20", headers=headers).json
    assert [s["site_name"] for s in near["data"]] == ["Westminster", "Greenwich"]
    assert near["data"][0]["distance_km"] < near["data"][1]["distance_km"] < 20
    wider = client.get("/crm/site/near?lat=51.5074&lng=-0.1278&km=400", headers=headers).json
    assert [s["site_name"] for s in wider["data"]] == ["Westminster", "Greenwich", "Oxford", "Paris"]
    assert wider["pagination"]["total_items"] == 4


def test_sites_near_across_the_antimeridian(client, headers, customer_id):
    for name, lng in (("Fiji east", 179.9), ("Fiji west", -179.9), ("Far", 170.0)):
        client.put("/crm/site/", json={"customer_id": customer_id, "site_name": name, "latitude": -17.0,
                                       "longitude": lng}, headers=headers)
    near = client.get("/crm/site/near?lat=-17&lng=179.95&km=50", headers=headers).json
    assert {s["site_name"] for s in near["data"]} == {"Fiji east", "Fiji west"}


@pytest.mark.parametrize("query", ["lat=95&lng=0&km=5", "lat=0&lng=0&km=0", "lat=0&lng=0&km=5000", "lng=0&km=1",
                                   "lat=nan&lng=0&km=1"])
def test_sites_near_validates_its_query(client, headers, query):
    assert client.get(f"/crm/site/near?{query}", headers=headers).status_code == 422


def test_self_care_only_reaches_its_own_contacts_and_sites(client, headers, identities, customer_id):
    other = client.put("/crm/customer/", json={"customer_name": "Other"}, headers=headers).json["customer_id"]
    theirs = client.put("/crm/contact/", json={"customer_id": other, "contact_firstname": "T"},
                        headers=headers).json["contact_id"]
    mine = client.put("/crm/contact/", json={"customer_id": customer_id, "contact_firstname": "M"},
                      headers=headers).json["contact_id"]
    client.put("/crm/site/", json={"customer_id": other, "site_name": "Theirs", "latitude": 1, "longitude": 1},
               headers=headers)
    me = identities.headers_for(identities.user(roles=["Customer"], customer_id=customer_id))
    assert client.get(f"/crm/contact/contact_id/{theirs}", headers=me).status_code == 404
    assert client.patch(f"/crm/contact/contact_id/{theirs}", json={"contact_firstname": "X"},
                        headers=me).status_code == 404
    assert client.patch(f"/crm/contact/contact_id/{mine}", json={"contact_firstname": "Me"},
                        headers=me).status_code == 200
    assert client.get(f"/crm/contact/customer_id/{other}", headers=me).status_code == 404
    assert client.get(f"/crm/site/customer_id/{other}", headers=me).status_code == 404
    assert client.get("/crm/site/near?lat=1&lng=1&km=10", headers=me).json["data"] == []
    assert [c["contact_id"] for c in client.get("/crm/contact/", headers=me).json["data"]] == [mine]

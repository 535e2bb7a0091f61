"""The substring index behind global search: terms, query parsing, maintenance on every flush, ranking."""

import pytest
from sqlalchemy import select

from omnicrm.customers.models import Contact, Customer
from omnicrm.utilities import search
from omnicrm.utilities.search import INNER, TOKEN, WHOLE, Scope, SearchDocument, SearchTerm


def test_normalise_folds_case_accents_and_spaces():
    assert search.normalise("  José   ZOË\tMüller ") == "jose zoe muller"
    assert search.normalise(None) == ""


def test_terms_are_the_fields_suffixes_starting_at_letters_or_digits():
    terms = search.terms_of(["john smith"])
    assert (WHOLE, "john smith") in terms
    assert {(TOKEN, "john smith"), (TOKEN, "smith")} <= terms  # suffixes at word starts
    assert {(INNER, "ohn smith"), (INNER, "hn smith"), (INNER, "mith"), (INNER, "th")} <= terms
    assert not [t for k, t in terms if t.startswith(" ")]  # none starts at a space
    assert (INNER, "h") not in terms  # at least 2 characters


def test_phone_numbers_written_with_punctuation_are_also_indexed_as_digits():
    terms = search.terms_of(["mobile - +44 7700 900123"])
    assert (TOKEN, "447700900123") in terms
    assert (INNER, "7700900123") in terms
    assert not [t for k, t in search.terms_of(["123 main street"]) if t.startswith("123main")]


def test_suffixes_are_cut_to_24_characters_and_whole_fields_kept_up_to_64():
    field = "a" * 20 + "b" * 30
    terms = search.terms_of([field])
    assert (TOKEN, field[:24]) in terms
    assert max(len(t) for k, t in terms if k != WHOLE) == 24
    assert (WHOLE, field) in terms


def test_phone_like_queries_become_digits_without_the_trunk_prefix():
    query = search.parse_query("07700 900123")
    assert query.phone and query.key == "7700900123"
    assert {"07700 900123", "07700900123", "7700900123"} == set(query.exact_terms)
    assert search.parse_query("+44 (7700) 900-123").key == "447700900123"


def test_text_queries_are_normalised_phrases_that_need_two_characters():
    query = search.parse_query("  Acme   Corp. ")
    assert not query.phone and query.key == "acme corp" and query.exact_terms == ("acme corp",)
    assert search.parse_query("@example.com").key == "example.com"
    with pytest.raises(search.QueryTooShort):
        search.parse_query("a")
    with pytest.raises(search.QueryTooShort):
        search.parse_query(" - ")


def test_successor_bounds_every_string_with_the_prefix():
    assert search.successor("ab") == "ac"
    assert "ab" <= "abzzz" < search.successor("ab")
    assert search.successor("a\ud7ff"[:1] + "\ud7ff") == "a\ue000"


def test_source_type_codes_cannot_clash():
    with pytest.raises(ValueError):
        search.register_source("imposter", 1, object, lambda obj: None, permission="admin")


# --------------------------------------------------------------------------------------------------
# Maintenance on flush


def stored_terms(session, doc_id):
    return {(k, t) for k, t in session.execute(select(SearchTerm.kind, SearchTerm.term)
                                               .where(SearchTerm.doc_id == doc_id))}


def doc_of(session, entity_type, entity_id):
    source = {s.entity_type: s for s in search.sources()}[entity_type]
    return session.get(SearchDocument, source.doc_id(entity_id))


def test_creating_updating_and_deleting_keeps_the_index_exact(session):
    customer = Customer(customer_name="Zebra Stripes")
    contact = Contact(contact_firstname="Zoë", contact_lastname="Zed", contact_phone="+61 412 345 678",
                      contact_phone_e164="+61412345678")
    customer.contacts.append(contact)
    session.add(customer)
    session.flush()
    doc = doc_of(session, "contact", contact.contact_id)
    assert (doc.name, doc.customer_id, doc.closed) == ("Zoë Zed", customer.customer_id, False)
    assert stored_terms(session, doc.doc_id) == search.terms_of(doc.search_text.split("\n"))
    assert (TOKEN, "412345678") in stored_terms(session, doc.doc_id)  # national significant number
    assert (INNER, "oe zed") in stored_terms(session, doc.doc_id)

    contact.contact_lastname = "Quagga"
    session.flush()
    session.refresh(doc)
    terms = stored_terms(session, doc.doc_id)
    assert (TOKEN, "quagga") in terms and (TOKEN, "zed") not in terms and (INNER, "oe zed") not in terms
    assert terms == search.terms_of(doc.search_text.split("\n"))

    doc_id = doc.doc_id
    session.delete(contact)
    session.flush()
    session.expunge_all()
    assert session.get(SearchDocument, doc_id) is None
    assert stored_terms(session, doc_id) == set()


def test_a_closed_customer_hides_everything_it_owns_and_reopening_shows_it_again(session):
    customer = Customer(customer_name="Closing Co")
    contact = Contact(contact_firstname="Owned")
    customer.contacts.append(contact)
    session.add(customer)
    session.flush()
    customer.customer_status = "Closed"
    session.flush()
    assert doc_of(session, "customer", customer.customer_id).closed is True
    assert doc_of(session, "contact", contact.contact_id).closed is True
    late = Contact(contact_firstname="Late", customer_id=customer.customer_id)
    session.add(late)
    session.flush()
    assert doc_of(session, "contact", late.contact_id).closed is True  # inherits from the stored customer doc
    customer.customer_status = "Open"
    session.flush()
    session.expire_all()
    assert {doc_of(session, "contact", c).closed for c in (contact.contact_id, late.contact_id)} == {False}


def test_rebuild_reproduces_the_maintained_index(session):
    customer = Customer(customer_name="Rebuilt Pty")
    customer.contacts.append(Contact(contact_email="ops@rebuilt.example"))
    session.add(customer)
    session.flush()
    snapshot = set(session.execute(select(SearchTerm.kind, SearchTerm.term, SearchTerm.doc_id)))
    assert search.rebuild(session, ["customer", "contact"]) >= 2
    assert set(session.execute(select(SearchTerm.kind, SearchTerm.term, SearchTerm.doc_id))) == snapshot


def test_results_rank_exact_then_prefix_then_substring(session):
    for name in ("Tomato Farms", "Tom", "Atom Energy"):
        session.add(Customer(customer_name=name))
    session.flush()
    hits = search.search(session, search.parse_query("tom"), Scope(entity_types=("customer",))).hits
    names = [session.get(SearchDocument, h.doc_id).name for h in hits]
    assert names == ["Tom", "Tomato Farms", "Atom Energy"]
    assert [h.match for h in hits] == ["exact", "prefix", "substring"]


def test_several_words_match_as_a_phrase_like_the_seeds_like(session):
    for name in ("Acme Corporation", "Acme Widgets", "Widget Corporation"):
        session.add(Customer(customer_name=name))
    session.flush()
    hits = search.search(session, search.parse_query("ACME corp"), Scope()).hits
    assert [(session.get(SearchDocument, h.doc_id).name, h.match) for h in hits] == [("Acme Corporation", "prefix")]
    inner = search.search(session, search.parse_query("me corp"), Scope()).hits
    assert [(session.get(SearchDocument, h.doc_id).name, h.match) for h in inner] == [
        ("Acme Corporation", "substring")]
    assert search.search(session, search.parse_query("corp acme"), Scope()).hits == []


def test_queries_longer_than_the_suffixes_are_verified_on_the_text(session):
    for name in ("Northern Harbour Telecommunications Pty Ltd", "Northern Harbour Telecommunications Group"):
        session.add(Customer(customer_name=name))
    session.flush()
    query = search.parse_query("harbour telecommunications group")
    hits = search.search(session, query, Scope()).hits
    assert [session.get(SearchDocument, h.doc_id).name for h in hits] == ["Northern Harbour Telecommunications Group"]


def test_the_index_is_used_for_substring_search(session):
    """The query plan seeks the term index; it never scans the customer table with LIKE."""
    session.add(Customer(customer_name="Planned"))
    session.flush()
    stmt = search._statement("substring", False, 0, None)
    params = {"lo": "lann", "hi": search.successor("lann"), "lim": 10}
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect)
    bound = compiled.construct_params(params)
    args = tuple(bound[name] for name in compiled.positiontup) if compiled.positional else bound
    sqlite = connection.dialect.name == "sqlite"
    plan = [tuple(row) for row in connection.exec_driver_sql(
        ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + str(compiled), args)]
    if sqlite:
        assert any("SEARCH search_term USING PRIMARY KEY" in str(row[-1]) for row in plan), plan
    else:
        assert any("search_term" in row and "PRIMARY" in row for row in plan), plan
    assert list(connection.execute(stmt, params).scalars()) != []


def test_slices_follow_the_ranking_across_stages_and_totals_are_capped(session, monkeypatch):
    names = ["Kiwi", *(f"Kiwifruit {i}" for i in range(4)), *(f"Tamakiwi {i}" for i in range(4))]
    for name in names:
        session.add(Customer(customer_name=name))
    session.flush()
    query, scope = search.parse_query("kiwi"), Scope(entity_types=("customer",))
    everything = search.search(session, query, scope)
    assert everything.total == 9
    assert [h.match for h in everything.hits] == ["exact"] + ["prefix"] * 4 + ["substring"] * 4
    pages = [search.search(session, query, scope, offset=start, limit=3).hits for start in (0, 3, 6)]
    assert [h.doc_id for page in pages for h in page] == [h.doc_id for h in everything.hits]
    monkeypatch.setattr(search, "MAX_RESULTS", 5)
    capped = search.search(session, query, scope, offset=0, limit=3)
    assert capped.total == 5 and len(capped.hits) == 3

"""Product catalogue endpoints (SPEC D1/D2: the seed's paths, bare arrays where its scripts expect them)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app

from omnicrm.catalog import service
from omnicrm.catalog.schemas import (
    AvailabilityQuery,
    AvailableProductsOut,
    PlaysOut,
    ProductBareListQuery,
    ProductCreate,
    ProductListQuery,
    ProductOut,
    ProductPatch,
    ServiceTypesOut,
)
from omnicrm.core import facts
from omnicrm.core.api import db_session, operation
from omnicrm.core.auth import current_principal, require
from omnicrm.core.config import Settings

bp = Blueprint("catalog", __name__)
TAGS = ["catalogue"]


def _settings() -> Settings:
    return current_app.extensions["omnicrm"].settings  # type: ignore[no-any-return]


def _view(product: Any) -> dict[str, Any]:
    return service.product_view(product, current_principal())


@bp.get("/crm/product")
@bp.get("/crm/product/")
@require("view_product")
@operation(query=ProductBareListQuery, response=list[ProductOut], tags=TAGS,
           summary="Every product as a bare array (disabled ones only with include_disabled=true)")
def list_products(query: ProductBareListQuery) -> list[dict[str, Any]]:
    products = service.list_products(db_session(), current_principal(), include_disabled=query.include_disabled)
    return [_view(p) for p in products]


@bp.get("/crm/product/paginated")
@require("view_product")
@operation(query=ProductListQuery, tags=TAGS, summary="Products, paginated, sortable, filterable and searchable")
def page_products(query: ProductListQuery) -> dict[str, Any]:
    page = service.page_products(db_session(), current_principal(), query, include_disabled=query.include_disabled)
    return page.as_dict(_view)


@bp.put("/crm/product")
@bp.put("/crm/product/")
@bp.post("/crm/product")
@bp.post("/crm/product/")
@require("create_product")
@operation(body=ProductCreate, response=ProductOut, tags=TAGS, summary="Create a product")
def create_product(body: ProductCreate) -> dict[str, Any]:
    product = service.create_product(db_session(), current_principal(), _settings(), body.model_dump())
    return _view(product)


@bp.get("/crm/product/available")
@require("view_product")
@operation(query=AvailabilityQuery, response=AvailableProductsOut, tags=TAGS,
           summary="Products on offer to a customer (add-ons for service_id); explain=true lists the others "
                   "with the rules they fail")
def available_products(query: AvailabilityQuery) -> dict[str, Any]:
    available, excluded = service.available_products(
        db_session(), current_principal(), customer_id=query.customer_id, service_id=query.service_id,
        channel=query.channel)
    body: dict[str, Any] = {"data": [_view(p) for p in available]}
    if query.explain and not current_principal().is_self_care:
        body["excluded"] = [{"product_id": p.product_id, "product_slug": p.product_slug, "reasons": reasons}
                            for p, reasons in excluded]
    return body


@bp.get("/crm/product/plays")
@require("view_product")
@operation(response=PlaysOut, tags=TAGS,
           summary="The provisioning playbooks a product may name (play_*.yaml in provisioning.plays_directory)")
def list_plays() -> dict[str, Any]:
    return {"data": service.plays_on_offer(current_principal(), _settings())}


@bp.get("/crm/product/service_types")
@require("view_product")
@operation(response=ServiceTypesOut, tags=TAGS, summary="The configured service types a product may have")
def list_service_types() -> dict[str, Any]:
    return {"data": list(_settings().service_types)}


@bp.get("/crm/product/product_id/<int:product_id>")
@require("view_product")
@operation(response=ProductOut, tags=TAGS, summary="One product")
def get_product(product_id: int) -> dict[str, Any]:
    return _view(service.get_product(db_session(), current_principal(), product_id))


@bp.get("/crm/product/slug/<string:slug>")
@require("view_product")
@operation(response=ProductOut, tags=TAGS, summary="One product by its slug")
def get_product_by_slug(slug: str) -> dict[str, Any]:
    return _view(service.get_product_by_slug(db_session(), current_principal(), slug))


@bp.patch("/crm/product/product_id/<int:product_id>")
@bp.patch("/crm/product/<int:product_id>")
@require("update_product")
@operation(body=ProductPatch, response=ProductOut, tags=TAGS, summary="Change a product (only the fields sent)")
def update_product(product_id: int, body: Any) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    product = service.update_product(db_session(), current_principal(), _settings(), product_id, changes)
    return _view(product)


@bp.delete("/crm/product/product_id/<int:product_id>")
@require("delete_product")
@operation(tags=TAGS, summary="Delete a product (409 while services or other products depend on it)")
def delete_product(product_id: int) -> dict[str, Any]:
    service.delete_product(db_session(), current_principal(), product_id)
    return {"success": True, "message": f"Product {product_id} deleted"}


@bp.post("/crm/product/product_id/<int:product_id>/clone")
@require("create_product")
@operation(response=ProductOut, tags=TAGS, summary="Copy a product (name and slug get _clone; the copy is disabled)")
def clone_product(product_id: int) -> dict[str, Any]:
    return _view(service.clone_product(db_session(), current_principal(), product_id))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    facts.provide(app, facts.PRODUCTS_USING_INVENTORY_TYPE, service.products_using_inventory_type)

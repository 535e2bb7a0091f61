"""GET /utilities/search_everything: one search box over customers, contacts, sites, inventory and services."""

from __future__ import annotations

from typing import Any, Literal

from flask import Blueprint, Flask
from pydantic import Field

from omnicrm.core.api import db_session, operation
from omnicrm.core.auth import current_principal, require
from omnicrm.core.types import OutSchema, Paginated, Schema, StrList
from omnicrm.utilities import search

bp = Blueprint("search", __name__)


class SearchQuery(Schema):
    search: str = Field(min_length=1, max_length=200)
    page: int = Field(1, ge=1)
    per_page: int = Field(10, ge=1, le=100)
    search_closed_records: bool = Field(False, description="also match records of non-Open customers")
    types: StrList | None = Field(None, description="only these types, e.g. customer,contact")


class SearchHitOut(OutSchema):
    id: int
    name: str
    customer_id: int | None
    type: str  # customer | contact | site | inventory | service, or a type another domain registered
    match: Literal["exact", "prefix", "substring"]


@bp.get("/utilities/search_everything")
@require("view_customer")
@operation(query=SearchQuery, response=Paginated[SearchHitOut],
           summary="Search customers, contacts, sites, inventory and services (exact, then prefix, then substring "
                   f"matches; at most {search.MAX_RESULTS})", tags=["search"])
def search_everything(query: SearchQuery) -> Any:
    page = search.search_everything(db_session(), current_principal(), query.search, page=query.page,
                                    per_page=query.per_page, include_closed=query.search_closed_records,
                                    types=query.types)
    return page.as_dict()


def register(app: Flask) -> None:
    app.register_blueprint(bp)

"""What the API answers, as pydantic schemas: they are the OpenAPI document too.

Money is an object of a string of pounds with two decimals ("50000.00", never a float) and its
currency (GBP); dates are ISO 8601, times ISO 8601 with their offset."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Path, Schema
from pydantic import Field

MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"


class Money(Schema):
    amount: str = Field(pattern=MONEY_PATTERN, examples=["50000.00"])
    currency: str = Field("GBP", pattern="^GBP$")


def money(value: Decimal | None) -> dict | None:
    """{"amount": "50000.00", "currency": "GBP"}: a plain dict, validated once with the answer."""
    if value is None:
        return None
    return {"amount": f"{Decimal(value).quantize(Decimal('0.01')):f}", "currency": "GBP"}


class Error(Schema):
    detail: str = Field(examples=["Unauthorized"])


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


class Organisation(Schema):
    id: int
    code: str | None = Field(description="Three-letter code; none for a funder or public body without one")
    name: str


class Me(Schema):
    id: int
    email: str
    token_name: str
    token_expires_at: datetime


class Programme(Schema):
    id: int
    name: str
    code: str
    slug: str
    description: str
    funder: Organisation
    created_at: datetime
    updated_at: datetime


class Round(Schema):
    id: int
    slug: str
    name: str
    programme_id: int
    status: str = Field(examples=["open"])
    financial_year: int
    opens_at: datetime
    closes_at: datetime
    budget: Money
    min_award: Money
    max_award: Money
    updated_at: datetime


class Bid(Schema):
    id: int
    reference: str | None
    title: str
    round_id: int
    lead: Organisation
    status: str = Field(examples=["submitted"])
    stage: str
    amount_requested: Money
    match_funding: Money
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime


class PaymentsSummary(Schema):
    """The award's money as its pages show it (grants.awards.selectors.figures)."""

    awarded: Money
    paid: Money
    returned: Money
    net: Money
    outstanding: Money


class Award(Schema):
    id: int
    reference: str
    title: str
    round_id: int
    bid_id: int | None
    lead: Organisation
    status: str = Field(examples=["active"])
    amount: Money
    match_funding: Money
    award_date: date
    planned_start: date | None
    planned_end: date | None
    payments: PaymentsSummary
    updated_at: datetime


class Payment(Schema):
    id: int
    award_id: int
    number: int
    amount: Money
    status: str = Field(examples=["paid"])
    due_on: date | None
    paid_on: date | None
    updated_at: datetime


class Period(Schema):
    title: str
    period_start: date
    period_end: date
    due_on: date


class Output(Schema):
    output_id: int
    name: str
    unit: str
    value: str = Field(pattern=MONEY_PATTERN, examples=["12.00"])


class Return(Schema):
    id: int
    award_id: int
    period: Period
    status: str = Field(examples=["accepted"])
    rag: str = Field(examples=["green"])
    submitted_at: datetime | None
    outputs: list[Output]
    updated_at: datetime


def page_of(item: type[Schema]) -> type[Schema]:
    """The list answer: the page's items in id order, and how many match in all."""
    return type(
        f"{item.__name__}Page",
        (Schema,),
        {
            "__annotations__": {"count": int, "page": int, "page_size": int, "results": list[item]},
            "__doc__": f"One page of {item.__name__.lower()} items, ordered by id.",
            "__module__": __name__,  # not ninja's "abc", where type() would place it
        },
    )


# Each list's answer: the endpoints declare it, and validate a kept page against it (endpoints._kept).
ProgrammePage, RoundPage, BidPage = page_of(Programme), page_of(Round), page_of(Bid)
AwardPage, PaymentPage, ReturnPage = page_of(Award), page_of(Payment), page_of(Return)


# An object's id in a path: a 64-bit database key, so a larger number is a 422, not a 500.
PathId = Path(..., ge=1, le=2**63 - 1, description="The object's id")

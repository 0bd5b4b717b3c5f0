"""/api/v1/: programmes, rounds, bids, awards, payments and returns, read only (issue 18).

Every list and detail starts from the owning app's selector of what this person may see
(`grants.selectors.programmes_for_user`, `rounds_for_user`, `applications.selectors.bids_for_user`,
`grants.awards.selectors.awards_for_user`): the API adds no rule of its own, so a token sees what
its owner's pages show and no more, and an object outside that answers 404. Each list page costs
a fixed number of queries whatever its size (tests/api/test_queries.py)."""

from datetime import UTC, datetime

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Router
from ninja.errors import AuthenticationError, ValidationError
from pydantic import AwareDatetime, Field

from applications.models import Bid
from applications.selectors import bids_for_user
from grants.awards.models import Award, MonitoringReturn, OutputValue, PaymentTranche
from grants.awards.selectors import awards_for_user, paid_and_returned
from grants.core import datacache
from grants.models import Programme, Round
from grants.selectors import programmes_for_user, rounds_for_user

from . import present
from . import schemas as s
from .auth import TokenAuth, TokenThrottle

api = NinjaAPI(
    title="Grantbench API",
    version="1",
    description=(
        "Read-only access to what your account may see: programmes, rounds, bids, awards, payments "
        "and returns. Authenticate with a personal API token (`Authorization: Bearer gb_...`)."
    ),
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    urls_namespace="api_v1",
    docs_url=None,  # the GOV.UK docs page (grants/api/views.py) serves instead: the CSP forbids a CDN
    openapi_url="/openapi.json",
)

ERRORS = {401: s.Error, 404: s.Error, 422: s.ValidationErrorOut, 429: s.Error}
LIST_ERRORS = {401: s.Error, 422: s.ValidationErrorOut, 429: s.Error}
MAX_PAGE = 10_000


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError):
    response = api.create_response(
        request, {"detail": "Give a valid API token: Authorization: Bearer gb_..."}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


class ListParams(s.Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1")
    page_size: int = Field(50, ge=1, le=100, description="Items a page, at most 100")
    updated_since: AwareDatetime | None = Field(
        None, description="Only items changed at or after this moment (ISO 8601 with an offset)"
    )


def _since(value: datetime | None) -> datetime | None:
    """The moment in UTC; one that falls outside the calendar in UTC is a 422, not a 500."""
    if value is None:
        return None
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError(
            [
                {
                    "loc": ["query", "updated_since"],
                    "msg": "Give a date and time between the years 1 and 9999",
                    "type": "value_error",
                }
            ]
        ) from None


def _page(qs: QuerySet, params: ListParams, build) -> dict:
    """Filter by updated_since, order by id, slice: a count and the page's ids, then `build`
    loads those rows with whatever they show (a fixed number of queries)."""
    if since := _since(params.updated_since):
        qs = qs.filter(updated_at__gte=since)
    qs = qs.order_by("pk")
    start = (params.page - 1) * params.page_size
    ids = list(qs.values_list("pk", flat=True)[start : start + params.page_size])
    count = qs.count() if ids or params.page > 1 else 0
    return {"count": count, "page": params.page, "page_size": params.page_size, "results": build(ids)}


def _kept(
    request: HttpRequest, name: str, page: type[s.Schema], params: ListParams, qs: QuerySet, build
) -> HttpResponse:
    """A list's page (`_page`) as JSON, validated against its schema and written out by ninja's
    own renderer once, then kept until the data changes (`grants.core.datacache`). Issue 19: on
    the awards list, working out 100 awards and validating them took ten times the token's
    trivial call, and a kept schema object still cost its unpickling and writing out. The key
    names whose reach (the token's owner) and which page; the rest is data. Not for rounds,
    whose status moves with the clock."""

    def body() -> bytes:
        data = page.model_validate(_page(qs, params, build)).model_dump()
        return api.create_response(request, data, status=200).content

    parts = (request.user.pk, params.page, params.page_size, params.updated_since)
    return HttpResponse(datacache.cached(f"api_{name}", parts, body), content_type=api.get_content_type())


def _in_order(rows, ids: list[int]) -> list:
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


v1 = Router()


@v1.get("/me", response={200: s.Me, 401: s.Error, 429: s.Error}, url_name="me")
def me(request: HttpRequest):
    """Who this token acts for, and when it expires."""
    token = request.auth
    return {
        "id": token.user.pk,
        "email": token.user.email,
        "token_name": token.name,
        "token_expires_at": token.expires_at,
    }


# Programmes --------------------------------------------------------------------------------------
def _programmes(user) -> QuerySet[Programme]:
    return programmes_for_user(user=user).select_related("funder").order_by()


@v1.get("/programmes", response={200: s.ProgrammePage, **LIST_ERRORS}, url_name="programmes")
def programmes(request: HttpRequest, params: Query[ListParams]):
    """The programmes you work on (staff: those you manage, or all with a global view)."""
    qs = _programmes(request.user)
    return _kept(
        request,
        "programmes",
        s.ProgrammePage,
        params,
        qs,
        lambda ids: [present.programme(p) for p in _in_order(qs.filter(pk__in=ids), ids)],
    )


@v1.get("/programmes/{pk}", response={200: s.Programme, **ERRORS}, url_name="programme")
def programme(request: HttpRequest, pk: int = s.PathId):
    return present.programme(get_object_or_404(_programmes(request.user), pk=pk))


# Rounds ------------------------------------------------------------------------------------------
def _rounds(user) -> QuerySet[Round]:
    return rounds_for_user(user=user).order_by()


@v1.get("/rounds", response={200: s.RoundPage, **LIST_ERRORS}, url_name="rounds")
def rounds(request: HttpRequest, params: Query[ListParams]):
    """Published rounds, and every round of the programmes you work on."""
    qs = _rounds(request.user)
    return _page(qs, params, lambda ids: [present.round(r) for r in _in_order(qs.filter(pk__in=ids), ids)])


@v1.get("/rounds/{pk}", response={200: s.Round, **ERRORS}, url_name="round")
def round_detail(request: HttpRequest, pk: int = s.PathId):
    return present.round(get_object_or_404(_rounds(request.user), pk=pk))


# Bids --------------------------------------------------------------------------------------------
def _bids(user) -> QuerySet[Bid]:
    return bids_for_user(user=user).select_related("lead").order_by()


@v1.get("/bids", response={200: s.BidPage, **LIST_ERRORS}, url_name="bids")
def bids(request: HttpRequest, params: Query[ListParams]):
    """Your council's bids (as lead or partner) and, for staff, the bids of your programmes."""
    qs = _bids(request.user)
    return _kept(
        request,
        "bids",
        s.BidPage,
        params,
        qs,
        lambda ids: [present.bid(b) for b in _in_order(qs.filter(pk__in=ids), ids)],
    )


@v1.get("/bids/{pk}", response={200: s.Bid, **ERRORS}, url_name="bid")
def bid(request: HttpRequest, pk: int = s.PathId):
    return present.bid(get_object_or_404(_bids(request.user), pk=pk))


# Awards ------------------------------------------------------------------------------------------
def _awards(user):
    return awards_for_user(user=user).order_by()


def _award_rows(ids: list[int]) -> list:
    """The page's awards with their lead council and money paid and returned (the award pages'
    own annotations, `paid_and_returned`): one query, no more columns than the API shows."""
    rows = Award.objects.filter(pk__in=ids).select_related("lead").annotate(**paid_and_returned())
    return _in_order(rows, ids)


@v1.get("/awards", response={200: s.AwardPage, **LIST_ERRORS}, url_name="awards")
def awards(request: HttpRequest, params: Query[ListParams]):
    """Your council's awards (as lead or partner) and, for staff, the awards of your programmes,
    each with its payments summary."""
    return _kept(
        request,
        "awards",
        s.AwardPage,
        params,
        _awards(request.user),
        lambda ids: [present.award(a) for a in _award_rows(ids)],
    )


@v1.get("/awards/{pk}", response={200: s.Award, **ERRORS}, url_name="award")
def award(request: HttpRequest, pk: int = s.PathId):
    get_object_or_404(_awards(request.user), pk=pk)
    return present.award(_award_rows([pk])[0])


# Payments ----------------------------------------------------------------------------------------
def _payments(user) -> QuerySet[PaymentTranche]:
    return PaymentTranche.objects.filter(award__in=_awards(user).values("pk")).order_by()


@v1.get("/payments", response={200: s.PaymentPage, **LIST_ERRORS}, url_name="payments")
def payments(request: HttpRequest, params: Query[ListParams]):
    """The payment tranches (planned and paid) of the awards you may see."""
    qs = _payments(request.user)
    return _kept(
        request,
        "payments",
        s.PaymentPage,
        params,
        qs,
        lambda ids: [present.payment(p) for p in _in_order(PaymentTranche.objects.filter(pk__in=ids), ids)],
    )


@v1.get("/payments/{pk}", response={200: s.Payment, **ERRORS}, url_name="payment")
def payment(request: HttpRequest, pk: int = s.PathId):
    return present.payment(get_object_or_404(_payments(request.user), pk=pk))


# Returns -----------------------------------------------------------------------------------------
def _returns(user) -> QuerySet[MonitoringReturn]:
    return MonitoringReturn.objects.filter(award__in=_awards(user).values("pk")).order_by()


def _return_rows(ids: list[int]) -> list:
    """The page's returns with their period and output values (two queries)."""
    values = Prefetch(
        "values", queryset=OutputValue.objects.select_related("output").order_by("output__order", "output_id")
    )
    rows = MonitoringReturn.objects.filter(pk__in=ids).select_related("period").prefetch_related(values)
    return _in_order(rows, ids)


@v1.get("/returns", response={200: s.ReturnPage, **LIST_ERRORS}, url_name="returns")
def returns(request: HttpRequest, params: Query[ListParams]):
    """The monitoring returns of the awards you may see, with the outputs each reported."""
    return _kept(
        request,
        "returns",
        s.ReturnPage,
        params,
        _returns(request.user),
        lambda ids: [present.mreturn(r) for r in _return_rows(ids)],
    )


@v1.get("/returns/{pk}", response={200: s.Return, **ERRORS}, url_name="return")
def return_detail(request: HttpRequest, pk: int = s.PathId):
    get_object_or_404(_returns(request.user), pk=pk)
    return present.mreturn(_return_rows([pk])[0])


api.add_router("/", v1)

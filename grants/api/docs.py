"""The docs page's content, read from the OpenAPI document so the two cannot disagree."""

import json

from django.conf import settings

from .endpoints import api

EXAMPLE_PAGE = {
    "count": 1,
    "page": 1,
    "page_size": 50,
    "results": [
        {
            "id": 42,
            "reference": "BI4-AW-0042",
            "title": "Digital inclusion hubs",
            "status": "active",
            "amount": {"amount": "50000.00", "currency": "GBP"},
            "payments": {"paid": {"amount": "25000.00", "currency": "GBP"}, "...": "..."},
            "updated_at": "2026-04-01T09:30:00+01:00",
        }
    ],
}


def _fields(schema: dict, components: dict) -> list[str]:
    ref = schema.get("$ref", "")
    if ref:
        schema = components.get(ref.rsplit("/", 1)[-1], {})
    return list(schema.get("properties", {}))


def context() -> dict:
    document = api.get_openapi_schema(path_prefix="/api/v1")
    components = document.get("components", {}).get("schemas", {})
    operations = []
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            responses = op["responses"]
            # ninja keys responses by the number until the document is written out as JSON
            ok = (
                (responses.get(200) or responses.get("200") or {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            fields = _fields(ok, components)
            if fields == ["count", "page", "page_size", "results"]:
                item = _fields(components[ok["$ref"].rsplit("/", 1)[-1]]["properties"]["results"]["items"], components)
                fields = [*fields, *(f"results[].{name}" for name in item)]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [p["name"] for p in op.get("parameters", [])],
                    "fields": fields,
                }
            )
    return {
        "operations": operations,
        "title": document["info"]["title"],
        "rate_limit": settings.API_RATE_LIMIT,
        "example": json.dumps(EXAMPLE_PAGE, indent=2),
    }

"""The API's audit actions: a person's tokens made and revoked (found by autodiscover_modules).
Read by staff only, like the other actions about people."""

from grants.core.audit import STAFF, declare_many

declare_many(
    {
        "api_token.create": "API token created",
        "api_token.revoke": "API token revoked",
    },
    audience=STAFF,
)

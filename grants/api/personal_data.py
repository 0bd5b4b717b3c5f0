"""The personal data the API holds (grants.core.personal_data): a person's tokens."""

from grants.core.personal_data import declare

declare(
    "api.ApiToken",
    fields=["user", "name", "prefix", "created_at", "last_used_at"],
    purpose="To let a system you choose read, through the API, what you may see in the service",
    basis="public_task",
    about=["everyone"],
    retention="account",
    person=["user"],
    secret=["secret_hash"],
    on_erasure="delete",
)

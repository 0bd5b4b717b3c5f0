"""`updated_at` that a partial save keeps true (issue 18, the API's `updated_since`).

Django fills an auto_now field on every save but writes it only when it is among
`update_fields`; the services save status changes and edits with `update_fields`, so without
this a changed row would keep its old `updated_at` and a client syncing by `updated_since`
would miss the change. (A queryset `.update()` bypasses save: set `updated_at` there yourself.)"""


class SavesUpdatedAt:
    """First base of a model with `updated_at = DateTimeField(auto_now=True)`."""

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and "updated_at" not in update_fields:
            update_fields = [*update_fields, "updated_at"]
        return super().save(*args, update_fields=update_fields, **kwargs)

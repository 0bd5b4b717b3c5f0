"""Counts in words: `counted(1, "bid")` is "1 bid", `counted(3, "bid")` "3 bids".

A message that writes the count before a fixed "bids" reads "1 bids" the day n is 1; this goes through Django's
ngettext, so a translation could give the right form, and the count through `money.number`, so
"1,200 bids" is grouped as every other number. Templates use `{{ n }} bid{{ n|pluralize }}`."""

from django.utils.translation import ngettext

from grants.core.money import number


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """The count and the noun in the form the count needs; `plural` for irregular nouns
    ("criterion", "criteria"), otherwise the singular with an "s"."""
    word = ngettext(singular, plural or f"{singular}s", n)
    return f"{number(n)} {word}"

"""Joining an organisation: the email domains it owns, and people's requests to join it.

An officer who signs up with a work address at one of a council's domains asks to join it
automatically; the council's signatory (or the programme team, when it has none) decides.
Until then the person has no organisation link, so every existing check keeps them out.
"""

from django.conf import settings
from django.db import models


class OrganisationDomain(models.Model):
    """An email domain an organisation owns, such as kent.gov.uk (subdomains count too)."""

    organisation = models.ForeignKey("grants.Organisation", on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class MembershipRequest(models.Model):
    """Someone asking to join an organisation as a council officer.

    `matched_domain` is the domain of theirs the organisation owns; empty when they chose the
    organisation from a search, which proves nothing, so only the programme team decides those.
    """

    TRANSITIONS = {
        MembershipStatus.PENDING: (MembershipStatus.APPROVED, MembershipStatus.DECLINED),
        MembershipStatus.APPROVED: (),
        MembershipStatus.DECLINED: (),
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_requests")
    organisation = models.ForeignKey(
        "grants.Organisation", on_delete=models.CASCADE, related_name="membership_requests"
    )
    requested_role = models.CharField(max_length=20, default="officer")
    matched_domain = models.CharField(max_length=253, blank=True)
    status = models.CharField(max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "request to join"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="membership_one_pending_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} to join {self.organisation}"

    @property
    def by_domain(self) -> bool:
        return bool(self.matched_domain)

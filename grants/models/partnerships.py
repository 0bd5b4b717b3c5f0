"""Standing partnerships of councils (the One Public Estate shape): a named group with a lead
council and members over time, which receives awards across a programme's phases.

Membership is dated: a council is a member on a day when it had joined by then and had not yet
left (`left_on` is the first day it is no longer a member). Who counts on a date is asked of
`PartnershipMember.objects.on(day)`, the one owner of that rule.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse


class Partnership(models.Model):
    programme = models.ForeignKey("grants.Programme", on_delete=models.PROTECT, related_name="partnerships")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=20, blank=True, help_text="The funder's own code, for example OPE-KM")
    lead = models.ForeignKey("grants.Organisation", on_delete=models.PROTECT, related_name="partnerships_led")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="partnership_name_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("awards:partnership", args=[self.pk])


class MemberQuerySet(models.QuerySet):
    def on(self, day: date):
        """Memberships in force on `day`: joined by then and not yet left."""
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "grants.Organisation", on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True, help_text="The first day the council is no longer a member")

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                name="partnership_member_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(left_on__isnull=True),
                name="partnership_member_one_open",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "joined_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"

    def is_member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)

"""People: every user signs in by email and may belong to one organisation."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class OrgRole(models.TextChoices):
    OFFICER = "officer", "Council officer"
    SIGNATORY = "signatory", "Authorised signatory"
    # Issue 17: the s151 officer or their delegate, who certifies monitoring returns.
    CERTIFIER = "certifier", "Section 151 officer or delegate (certifies returns)"


class User(AbstractUser):
    """A person. `is_staff` keeps its Django meaning (may use the Django admin)."""

    username = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        "grants.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    org_role = models.CharField(max_length=20, choices=OrgRole.choices, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class StaffRole(models.Model):
    """A funder-side role. Programme managers hold it per programme; the rest are global.

    Panel membership lives in scoring (per panel) because assessment owns panels.
    """

    class Role(models.TextChoices):
        PROGRAMME_MANAGER = "programme_manager", "Programme manager"
        FINANCE_OFFICER = "finance_officer", "Finance officer"
        BOARD_VIEWER = "board_viewer", "Board viewer"
        ADMINISTRATOR = "administrator", "Administrator"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(max_length=30, choices=Role.choices)
    programme = models.ForeignKey(
        "grants.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="staff_roles"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "programme"], name="staffrole_unique"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(programme__isnull=True), name="staffrole_unique_global"
            ),
            models.CheckConstraint(
                condition=models.Q(role="programme_manager", programme__isnull=False)
                | (~models.Q(role="programme_manager") & models.Q(programme__isnull=True)),
                name="staffrole_programme_only_for_managers",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.programme})" if self.programme_id else ""
        return f"{self.user}: {self.get_role_display()}{suffix}"

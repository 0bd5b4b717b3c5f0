"""Organisations: every English council (from mySociety's register) and other public bodies."""

from django.db import models
from django.db.models.functions import Lower


class OrgKind(models.TextChoices):
    COUNTY = "county", "County council"
    DISTRICT = "district", "District council"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN = "metropolitan", "Metropolitan district"
    LONDON_BOROUGH = "london_borough", "London borough"
    CITY_OF_LONDON = "city_of_london", "City of London"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    STRATEGIC_AUTHORITY = "strategic_authority", "Strategic regional authority"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue service"
    POLICE = "police", "Police force"
    CENTRAL_GOVERNMENT = "central_government", "Central government"
    OTHER = "other", "Other public body"

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence ("open to county councils, London boroughs" reads wrong as
        "london borough"): lower case, but proper nouns keep their capitals."""
        label = str(self.label)
        return label if label.startswith(PROPER_NOUN_KINDS) else label[0].lower() + label[1:]


# Labels that begin with a proper noun, which keeps its capital inside a sentence.
PROPER_NOUN_KINDS = ("London", "City of London")


# The register's type codes, and 360Giving's geoCodeType for each council kind.
REGISTER_TYPE_TO_KIND = {
    "CTY": OrgKind.COUNTY,
    "NMD": OrgKind.DISTRICT,
    "UA": OrgKind.UNITARY,
    "MD": OrgKind.METROPOLITAN,
    "LBO": OrgKind.LONDON_BOROUGH,
    "CC": OrgKind.CITY_OF_LONDON,
    "COMB": OrgKind.COMBINED_AUTHORITY,
    "SRA": OrgKind.STRATEGIC_AUTHORITY,
}
KIND_TO_GEOCODE_TYPE = {
    OrgKind.COUNTY: "CTY",
    OrgKind.DISTRICT: "NMD",
    OrgKind.UNITARY: "UA",
    OrgKind.METROPOLITAN: "MD",
    OrgKind.LONDON_BOROUGH: "LONB",
    OrgKind.CITY_OF_LONDON: "LONB",
}
COUNCIL_KINDS = tuple(KIND_TO_GEOCODE_TYPE)

REGIONS = [
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
]


class OrganisationQuerySet(models.QuerySet):
    def councils(self):
        return self.filter(kind__in=COUNCIL_KINDS)

    def current(self):
        return self.filter(end_date__isnull=True)


class Organisation(models.Model):
    name = models.CharField("official name", max_length=200)
    short_name = models.CharField(max_length=120)
    code = models.CharField(
        "three-letter code",
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        help_text="The council's code in the local authority register, for example KEN",
    )
    gss_code = models.CharField("GSS code", max_length=9, blank=True, db_index=True)
    kind = models.CharField(max_length=30, choices=OrgKind.choices)
    region = models.CharField(max_length=40, blank=True)
    nation = models.CharField(max_length=20, default="England")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    replaced_by = models.CharField(max_length=60, blank=True)
    former_gss_codes = models.CharField(max_length=200, blank=True)
    other_identifier = models.CharField(
        max_length=80,
        blank=True,
        help_text="An org-id.guide identifier for bodies without a council code, for example GB-GOR-PC000123",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["short_name"]
        indexes = [models.Index(Lower("short_name"), name="org_short_name_lower")]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_council(self) -> bool:
        return self.kind in COUNCIL_KINDS

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def org_id_360(self) -> str:
        """The 360Giving organisation id: GB-LAE-<code> for English councils."""
        if self.code and self.nation == "England":
            return f"GB-LAE-{self.code}"
        return self.other_identifier

    @property
    def geocode_type(self) -> str:
        return KIND_TO_GEOCODE_TYPE.get(self.kind, "")


class OrganisationAlias(models.Model):
    """A former or alternative name, so people find a council by the name they know."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="alias_unique")]

    def __str__(self) -> str:
        return self.name

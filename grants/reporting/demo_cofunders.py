"""Demo co-funders (issue 18, item 4): the bodies shared/domain.md names beside the LGA on each
programme, declared so the demo's 360Giving file lists them after the funder.

- Cyber Security: the Cabinet Office (its National Cyber Security Programme).
- One Public Estate: the Cabinet Office and MHCLG.
- Behavioural Insights: the Behavioural Insights Team.
- Design in the Public Sector: the Design Council; Social Care Digital Innovation: NHS Digital
  (each only if the demo has a programme of that name: co-funders are set per programme).

Organisation ids, from the retired UK Government Organisation Register (org-id.guide list GB-GOR)
unless said otherwise: Cabinet Office D2; the Health and Social Care Information Centre (NHS
Digital) OT538; the Behavioural Insights Team OT520 (its entry ends in 2014, when the team left
government; replace it with its company's GB-COH id once checked); the Design Council is a charity,
GB-CHC-272099 (not checked against the register: edit it on the organisation page). A body that
already has an id keeps it (MHCLG's comes from grants.demo).

Idempotent: bodies are found by name, an id is written only where there is none, and co-funders
are added (never removed), so running it twice changes nothing.
"""

from grants.models import Organisation, OrgKind, Programme
from grants.services import co_funder_errors

# (official name, short name, org-id to use when it has none)
BODIES = {
    "cabinet-office": ("Cabinet Office", "Cabinet Office", "GB-GOR-D2"),
    "mhclg": ("Ministry of Housing, Communities and Local Government", "MHCLG", "GB-GOR-D4"),
    "bit": ("The Behavioural Insights Team", "Behavioural Insights Team", "GB-GOR-OT520"),
    "nhs-digital": ("NHS Digital", "NHS Digital", "GB-GOR-OT538"),
    "design-council": ("Design Council", "Design Council", "GB-CHC-272099"),
}
# programme (its slug, or its name for programmes another seed may add) -> co-funders
CO_FUNDERS = {
    "cyber-security": ["cabinet-office"],
    "one-public-estate": ["cabinet-office", "mhclg"],
    "behavioural-insights": ["bit"],
    "Design in the Public Sector": ["design-council"],
    "Social Care Digital Innovation": ["nhs-digital"],
}


def _body(key: str) -> Organisation:
    name, short, org_id = BODIES[key]
    org = Organisation.objects.filter(name=name, code=None).first()
    if org is None:
        org = Organisation.objects.create(name=name, short_name=short, kind=OrgKind.CENTRAL_GOVERNMENT)
    if not org.other_identifier:
        org.other_identifier = org_id
        org.save(update_fields=["other_identifier"])
    return org


def seed(stdout=None, context=None) -> dict:
    """Set the co-funders of every demo programme domain.md names with one."""
    done = []
    for key, bodies in CO_FUNDERS.items():
        programme = Programme.objects.filter(slug=key).first() or Programme.objects.filter(name__iexact=key).first()
        if programme is None:
            continue
        orgs = [_body(b) for b in bodies]
        if error := co_funder_errors(funder=programme.funder, co_funders=orgs):
            raise ValueError(f"Demo co-funders of {programme.name}: {error}")
        programme.co_funders.add(*orgs)
        done.append(programme.name)
    if stdout:
        stdout.write(f"Co-funders demo: {', '.join(done) or 'no programme'} co-funded")
    return context or {}

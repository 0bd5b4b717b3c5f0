"""A change link on check your answers comes back to check your answers after saving."""

from .factories import PDF, upload
from .test_services import DETAILS, start


def test_change_links_return_to_check_your_answers(personas, client_for, form):
    bid = start(personas)
    client = client_for(personas.lead_officer)
    check = client.get(f"/bids/{bid.pk}/check/").content.decode()
    section_url = f"/bids/{bid.pk}/sections/{form['about'].pk}/?return=check"
    assert f'href="{section_url}#q_{form["aim"].pk}"' in check
    assert f'href="/bids/{bid.pk}/details/?return=check"' in check
    assert f'href="/bids/{bid.pk}/partners/?return=check"' in check

    page = client.get(section_url).content.decode()
    assert f'href="/bids/{bid.pk}/check/"' in page and "Back to check your answers" in page
    saved = client.post(section_url, {f"q_{form['aim'].pk}": "Changed aim", f"q_{form['people'].pk}": "3"})
    assert saved.status_code == 302 and saved["Location"] == f"/bids/{bid.pk}/check/"
    # Uploading stays on the section, still on its way back to check.
    evidence_url = f"/bids/{bid.pk}/sections/{form['evidence'].pk}/?return=check"
    uploaded = client.post(evidence_url, {f"file_{form['plan'].pk}": upload("p.pdf", PDF), "action": "upload"})
    assert uploaded["Location"] == evidence_url

    details = {**DETAILS, "title": "Renamed"}
    data = {k: str(v) for k, v in details.items() if not k.startswith("planned")}
    for key in ("planned_start", "planned_end"):
        data.update(
            {f"{key}_0": str(details[key].day), f"{key}_1": str(details[key].month), f"{key}_2": str(details[key].year)}
        )
    response = client.post(f"/bids/{bid.pk}/details/?return=check", data)
    assert response.status_code == 302 and response["Location"] == f"/bids/{bid.pk}/check/", response.content[:3000]
    # From the task list, saving goes back to the task list as before.
    again = client.post(
        f"/bids/{bid.pk}/sections/{form['about'].pk}/", {f"q_{form['aim'].pk}": "Aim", f"q_{form['people'].pk}": "3"}
    )
    assert again["Location"] == f"/bids/{bid.pk}/"
    partners = client.get(f"/bids/{bid.pk}/partners/?return=check").content.decode()
    assert f'<a class="govuk-button" href="/bids/{bid.pk}/check/">Continue</a>' in partners

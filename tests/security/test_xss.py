"""User text is rendered escaped everywhere.

The world is built with hostile text in every free-text field the services and factories reach
(bid title, summary, answers, declaration, organisation names, round name and prospectus,
questions, criteria, justifications, interests, award title, milestones, return commentary,
variation reason, notification subjects). Every HTML page of every URL is then read by every
persona the access matrix lets in (200), since each sees a different page (a chair's moderation
view, a signatory's acceptance form), and the raw payload must never appear.
"""

from .observe import clients, isolated
from .test_url_matrix import EXPECTED
from .urlwalk import patterns, url_for
from .world import build_world

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + IMG


def test_hostile_text_is_escaped_on_every_page(personas):
    world = build_world(personas, text=PAYLOAD)
    by_persona = clients(personas)
    pages, unescaped = 0, []
    for pattern in patterns():
        url = url_for(pattern, world)
        readers = [who for who, status in EXPECTED.get(pattern.name, {}).items() if status == 200]
        for who in readers:
            response = isolated(by_persona[who], "get", url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            pages += 1
            body = response.content.decode()
            for raw in (SCRIPT, "<img src=x onerror"):
                if raw in body:
                    unescaped.append(f"{pattern.name} {url} as {who} contains {raw!r}")
    assert not unescaped, "\n".join(unescaped)
    assert pages > 300  # the walk really read the pages (347 HTML pages when this was written)


def test_escaped_payload_is_shown(personas, client_for):
    """Control: the payload does reach the pages, escaped (so the test above can fail)."""
    world = build_world(personas, text=PAYLOAD)
    body = client_for(personas.lead_officer).get(f"/bids/{world.bid.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

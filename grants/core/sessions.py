"""Sessions that slide forward on use without a database write on every request.

A session lasts SESSION_COOKIE_AGE after it was last used. Django's SESSION_SAVE_EVERY_REQUEST
keeps that exact by saving the session (an UPDATE and a commit) on every page, which a profile of
the 317-council deadline surge showed as a write per request on the busiest day: a few per cent of
all the time the app servers spent. Renewing at most once every SESSION_RENEW_SECONDS moves the
expiry on just as well, the session ending at most that much earlier than "8 hours after you last
used the service".
"""

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware

RENEWED = "_renewed_at"


class RenewingSessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        # Only a session this request already read (a signed-in page reads it for the user) and
        # that exists: reading or creating one here would make every anonymous visitor a row.
        if session is not None and session.accessed and session.session_key and not session.is_empty():
            now = int(time.time())
            if session.modified or now - int(session.get(RENEWED) or 0) >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED] = now  # modified: the parent saves it and sends the cookie again
        return super().process_response(request, response)


def stamp_on_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in saves the session anyway: count it as renewed, so the next page writes nothing
    (connected to user_logged_in in grants/apps.py)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[RENEWED] = int(time.time())

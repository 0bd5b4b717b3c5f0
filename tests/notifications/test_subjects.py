"""Email subjects are whole, however long the names in them, and in sentence case."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.services import notify, render_email

from ..factories import CouncilOfficerFactory

pytestmark = pytest.mark.django_db


def test_a_long_subject_is_not_cut():
    officer = CouncilOfficerFactory()
    partner, title = "Tunbridge Wells Borough Council " * 6, "Reusing online housing forms across Kent " * 5
    row = notify(
        recipient=officer,
        event="partner_responded",
        context={
            "reference": "DH1-000001",
            "round_name": "Digital Housing 2018/19",
            "title": title.strip(),
            "partner_name": partner.strip(),
            "response": "confirmed",
        },
        dedupe_key="long-subject",
    )
    row.refresh_from_db()
    expected = f"{partner.strip()} has confirmed its part in {title.strip()}"
    assert len(expected) > 255
    assert row.subject == expected
    assert render_email(row)[0] == expected


def test_account_email_subjects_are_in_sentence_case(db):
    Client().post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    (message,) = mail.outbox
    assert message.subject == "Grantbench: There is no account with this email address"

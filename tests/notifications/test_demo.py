import io

import pytest
from django.core import mail

from grants import demo as grants_demo
from notifications import demo
from notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db


def test_demo_adds_in_app_notifications_once():
    context = grants_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO(), context=context)
    first = Notification.objects.count()
    demo.seed(stdout=io.StringIO(), context=context)
    assert Notification.objects.count() == first >= 2
    assert set(Notification.objects.values_list("channel", flat=True)) == {Channel.IN_APP}
    kent = Notification.objects.get(recipient__email="council.officer@kent.example.com")
    # Kent's officer is told of the open round, by its real name and address, and has not read it yet.
    assert kent.read_at is None and kent.url == context["rounds"]["digital-inclusion"].get_absolute_url()
    assert context["rounds"]["digital-inclusion"].name in kent.subject
    assert mail.outbox == []

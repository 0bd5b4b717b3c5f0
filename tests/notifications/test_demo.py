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
    assert Notification.objects.count() == first >= 4
    assert set(Notification.objects.values_list("channel", flat=True)) == {Channel.IN_APP}
    kent = Notification.objects.filter(recipient__email="council.officer@kent.example.com")
    assert kent.filter(read_at__isnull=True).count() == 1
    assert kent.filter(url__startswith="/rounds/").count() == 2
    assert mail.outbox == []

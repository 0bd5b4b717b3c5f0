import factory

from notifications.models import Channel, Notification, Status
from tests.factories import UserFactory


class InAppNotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    channel = Channel.IN_APP
    event = "bid_submitted"
    subject = factory.Sequence(lambda n: f"We have received bid T-{n:06d}")
    url = "/rounds/"
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    status = Status.SENT


class FailedEmailFactory(InAppNotificationFactory):
    channel = Channel.EMAIL
    status = Status.FAILED
    attempts = 5
    last_error = "SMTPServerDisconnected: Connection unexpectedly closed"

"""The data goes back the way the request came: email to email, WA to WA, forum to forum, a walk-in in
person on the medium asked for."""

import pytest

from models import Channel, DeliveryChannel
from pstdesktop.services.delivery import default_channel
from pstdesktop.services.requests import MEDIA


@pytest.mark.parametrize(("via", "expected"), [("email", (DeliveryChannel.EMAIL, "email")),
                                               ("wa", (DeliveryChannel.WA, "wa")),
                                               ("forum", (DeliveryChannel.FORUM, "forum"))])
def test_an_online_request_is_answered_by_its_own_channel(via, expected):
    assert default_channel(Channel.ONLINE, via, ("forum",)) == expected
    assert expected[1] in MEDIA


def test_a_walk_in_is_handed_over_in_person_on_the_medium_asked_for():
    assert default_channel(Channel.WALK_IN, "") == (DeliveryChannel.IN_PERSON, "flashdisk")
    assert default_channel(Channel.WALK_IN, "", ("dvd",)) == (DeliveryChannel.IN_PERSON, "dvd")
    assert default_channel(Channel.WALK_IN, "", ("email",)) == (DeliveryChannel.IN_PERSON, "flashdisk")

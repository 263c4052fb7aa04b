"""An invite link survives sign-up and sign-in, and says where it leads on the way.

Issue 15: a signed-out invitee saw the plain sign-in page with no word of the
challenge, and "Create an account" dropped the invite and landed on "Open your
first portfolio". Here a newcomer follows the link, reads "You're invited to
Friends cup" on sign-in and on sign-up, creates an account and lands on the
challenge to join it; an existing player goes to sign-up and back to sign-in and
lands there too.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import VIEWPORTS, screenshot
from tests.e2e.flows import (
    PASSWORD,
    create_private_challenge,
    expect_,
    open_first_portfolio,
    sign_up,
)

pytestmark = pytest.mark.browser


def register(base_url: str, name: str) -> str:
    """Create an account through the API; return its username."""
    username = f"{name}{uuid.uuid4().hex[:8]}"
    body = json.dumps({"email": f"{username}@example.com", "username": username,
                       "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{base_url}/api/v1/auth/register", data=body,  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        assert response.status == 201
    return username


def sees_invitation(page: Any, heading: str) -> None:
    """The auth page shows its heading and the challenge the link invites to."""
    expect = expect_()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("status", name="Invitation")).to_contain_text("You're invited to Friends cup.")


def test_an_invite_link_survives_sign_up_and_sign_in(live_server: str, new_page: Any, console: Any) -> None:
    expect = expect_()
    owner = new_page("desktop")
    sign_up(owner, live_server, "fay")
    open_first_portfolio(owner)
    number, code = create_private_challenge(owner)
    link = f"{live_server}/challenges/{number}?invite={code}"

    newcomer = new_page("desktop")
    newcomer.goto(link)
    sees_invitation(newcomer, "Sign in")
    for viewport in ("desktop", "phone"):
        newcomer.set_viewport_size(VIEWPORTS[viewport])
        screenshot(newcomer, f"sign-in-invited-{viewport}")
    newcomer.set_viewport_size(VIEWPORTS["desktop"])
    newcomer.get_by_role("link", name="Create an account").click()
    sees_invitation(newcomer, "Create your account")
    screenshot(newcomer, "sign-up-invited-desktop")
    tag = uuid.uuid4().hex[:8]
    newcomer.get_by_label("Email").fill(f"gus-{tag}@example.com")
    newcomer.get_by_label("Username").fill(f"gus{tag}")
    newcomer.get_by_label("Password").fill(PASSWORD)
    newcomer.get_by_role("button", name="Create account").click()
    expect(newcomer.get_by_role("heading", name="Friends cup", level=1)).to_be_visible()
    newcomer.get_by_role("button", name="Join this challenge").click()
    expect(newcomer.get_by_text("You're in.")).to_be_visible()

    username = register(live_server, "hal")
    player = new_page("phone")
    player.goto(link)
    sees_invitation(player, "Sign in")
    player.get_by_role("link", name="Create an account").click()
    sees_invitation(player, "Create your account")
    player.get_by_role("link", name="Sign in").click()
    sees_invitation(player, "Sign in")
    player.get_by_label("Email or username").fill(username)
    player.get_by_label("Password").fill(PASSWORD)
    player.get_by_role("button", name="Sign in").click()
    expect(player.get_by_role("heading", name="Friends cup", level=1)).to_be_visible()
    expect(player.get_by_role("button", name="Join this challenge")).to_be_visible()

    stale = new_page("desktop")
    stale.goto(f"{live_server}/challenges/{number}?invite=not-the-code")
    expect(stale.get_by_role("status")).to_contain_text("This invite link doesn't work any more")
    assert [e for e in console.errors if "status of 404" not in e] == []

"""Email rendering: every kind has both parts, the company's name and an absolute link; user text is escaped."""

import pytest

from backend.email.render import EMAIL_KINDS, absolute_url, render_email

PUBLIC_WEB_URL = "http://testserver.local"
CONTEXT = {
    "company_name": "Acme & Sons",
    "inviter_name": "Olivia Owner",
    "recipient_name": "Bob",
    "job_title": "Logo design",
    "role_name": "an Admin",
    "link": "/somewhere/abc",
}


@pytest.mark.parametrize("kind", sorted(EMAIL_KINDS))
def test_render_email_has_company_name_and_absolute_link(kind):
    email = render_email(kind, **CONTEXT)

    link = f"{PUBLIC_WEB_URL}/somewhere/abc"
    assert email.kind == kind
    assert email.subject and "\n" not in email.subject
    assert "Acme & Sons" in email.text and link in email.text
    assert "Acme &amp; Sons" in email.html and f'href="{link}"' in email.html
    assert EMAIL_KINDS[kind].link_label in email.html
    assert email.html.lstrip().startswith("<!DOCTYPE html>")


def test_render_invitation_escapes_the_message_and_keeps_its_lines():
    message = "Hello <b>Bob</b>,\n<a href='http://evil.example'>click</a>\n\nThanks"
    email = render_email("invitation", **CONTEXT, message=message)

    assert "<b>Bob</b>" not in email.html and "evil.example'>" not in email.html
    assert "Hello &lt;b&gt;Bob&lt;/b&gt;,<br>\n&lt;a href=" in email.html
    assert "<br>\n<br>\nThanks" in email.html
    assert message in email.text
    assert "Accept invitation" in email.html and "Olivia Owner" in email.subject


def test_render_invitation_without_message_leaves_no_message_block():
    email = render_email("invitation", **CONTEXT)
    assert "Message from" not in email.text and "blockquote" not in email.html


def test_render_email_keeps_absolute_links():
    email = render_email("job_offer", **{**CONTEXT, "link": "https://jobs.example/offer/7"})
    assert "https://jobs.example/offer/7" in email.text


@pytest.mark.parametrize(
    ("kind", "context"),
    [
        ("no_such_kind", CONTEXT),
        ("invitation", {"company_name": "Acme", "link": "/x"}),
        ("job_offer", {"company_name": "Acme", "link": "/x"}),
        ("invitation", {**CONTEXT, "link": "javascript:alert(1)"}),
    ],
)
def test_render_email_bad_input_is_refused(kind, context):
    with pytest.raises(ValueError):
        render_email(kind, **context)


def test_absolute_url_joins_paths_to_the_public_web_url():
    assert absolute_url("/invite/x") == f"{PUBLIC_WEB_URL}/invite/x"
    assert absolute_url("http://other.example/y") == "http://other.example/y"

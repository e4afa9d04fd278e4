"""Account names from e-mail addresses: one spelling per mailbox, nothing invisible, only internet domains."""

import pytest

from accounts.emails import EmailRefused, email_normalize


@pytest.mark.parametrize(("typed", "name"), [
    ("anna@buyer.example", "anna@buyer.example"),
    ("  ANNA@Buyer.Example ", "anna@buyer.example"),
    ("user@bücher.example", "user@xn--bcher-kva.example"),
    ("user@BÜCHER.example", "user@xn--bcher-kva.example"),
    ("user@xn--bcher-kva.example", "user@xn--bcher-kva.example"),
    ("user@example.com.", "user@example.com"),
    ("ａｎｎａ@buyer.example", "anna@buyer.example"),  # full-width letters are the same letters (NFKC)
    ("anna@ｂｕｙｅｒ.example", "anna@buyer.example"),
    ("first.last+shop@mail.example.co.uk", "first.last+shop@mail.example.co.uk"),
])
def test_each_mailbox_has_one_spelling(typed, name):
    assert email_normalize(typed) == name


@pytest.mark.parametrize(("typed", "why"), [
    ("kenji@buyer.example\u200b", "invisible"),  # zero-width space
    ("ken\u200bji@buyer.example", "invisible"),
    ("kenji@buyer\u00ad.example", "invisible"),  # soft hyphen
    ("kenji@buyer.example\u2060", "invisible"),  # word joiner
    ("\u202ekenji@buyer.example", "invisible"),  # right-to-left override
    ("ken ji@buyer.example", "invisible"),
    ("kenji@buyer.example\n", None),  # surrounding whitespace is trimmed, not refused
    ("a@localhost", "internet domain"),
    ("a@intranet", "internet domain"),
    ("user@[127.0.0.1]", "IP address"),
    ("user@[IPv6:::1]", "IP address"),
    ("user@127.0.0.1", "IP address"),
    ("user@example.123", "internet domain"),
    ("user@-bad-.example", "not a valid domain"),
    ("user@exa_mple.com", "not a valid domain"),
    ("nobody", "valid email"),
    ("@example.com", "valid email"),
    ("ü@example.com", "valid email"),
    ("a" * 140 + "@example.com", "longer than 150"),
])
def test_look_alikes_and_non_internet_addresses_are_refused(typed, why):
    if why is None:
        assert email_normalize(typed) == "kenji@buyer.example"
        return
    with pytest.raises(EmailRefused, match=why):
        email_normalize(typed)

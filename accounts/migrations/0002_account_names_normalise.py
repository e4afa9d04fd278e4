"""Accounts registered before addresses were normalised get the one spelling sign-in now looks up
(accounts/emails.py: NFKC, lower case, the domain in IDNA), so `user@bücher.example` can still sign in.
An account whose normalised name another account already holds, or whose address is refused (invisible
characters, `localhost`, an IP address), keeps its name: it can no longer sign in with a password
through the API, and an operator decides what becomes of it."""

import unicodedata

import idna
from django.conf import settings
from django.db import migrations

# A frozen copy of the normalisation this migration was written with, so later changes to it do not
# change what this migration did.
_REFUSED_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Cs", "Zs", "Zl", "Zp"})


def _normalised(name: str) -> str | None:
    address = unicodedata.normalize("NFKC", name.strip())
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in address):
        return None
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or domain.startswith("["):
        return None
    try:
        domain = idna.encode(domain.removesuffix("."), uts46=True).decode("ascii")
    except idna.IDNAError:
        return None
    normalised = f"{local.lower()}@{domain}"
    return normalised if "." in domain and len(normalised) <= 150 else None


def normalise_account_names(apps, schema_editor):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    # Buyers (registration always lower-cased) whose name can differ from its normal form: anything outside
    # printable ASCII, or a final dot. Staff sign in to the admin by their name as it is.
    candidates = user_model.objects.filter(is_staff=False, username__contains="@", username__regex=r"[^ -~]|\.$")
    for user in candidates.order_by("pk"):
        name = _normalised(user.username)
        if name is None or name == user.username or user_model.objects.filter(username=name).exists():
            continue
        email = name if user.email == user.username else user.email
        user_model.objects.filter(pk=user.pk).update(username=name, email=email)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(normalise_account_names, migrations.RunPython.noop, elidable=True),
    ]

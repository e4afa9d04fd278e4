"""Requests and answers of the sign-in, profile and address endpoints."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import PREFERRED_SIZE_SYSTEMS
from shop.models import Language

LANGUAGE_HELP = "The catalog's language when a request names none (`lang`): one of the catalog's languages."
SIZE_SYSTEM_HELP = "The size system size recommendations answer in when a request names none (`system`)."


class RegisterInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=150)
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    preferred_currency = serializers.CharField(required=False, max_length=3)
    language = serializers.ChoiceField(choices=Language.choices, required=False, default=Language.EN,
                                       help_text=LANGUAGE_HELP)



class LoginInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=150)
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})



class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)



class PasswordChangeInputSerializer(serializers.Serializer):
    old_password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    new_password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})



class PasswordResetRequestInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=150)



class PasswordResetConfirmInputSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64, help_text="From the reset link.")
    token = serializers.CharField(max_length=128, help_text="From the reset link.")
    new_password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})



class NoticeOutputSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="What happens next, for the person who asked.")



class TokenOutputSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Send as `Authorization: Bearer <access>`.")
    refresh = serializers.CharField(help_text="Good for one refresh; keep the one each refresh answers.")



class ProfileOutputSerializer(serializers.Serializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField()
    preferred_currency = serializers.CharField()
    language = serializers.ChoiceField(choices=Language.choices, help_text=LANGUAGE_HELP)
    size_system = serializers.ChoiceField(choices=PREFERRED_SIZE_SYSTEMS, help_text=SIZE_SYSTEM_HELP)



class ProfileUpdateInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    preferred_currency = serializers.CharField(required=False, max_length=3)
    language = serializers.ChoiceField(choices=Language.choices, required=False, help_text=LANGUAGE_HELP)
    size_system = serializers.ChoiceField(choices=PREFERRED_SIZE_SYSTEMS, required=False, help_text=SIZE_SYSTEM_HELP)



class AddressInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=12)
    country = serializers.CharField(min_length=2, max_length=2, help_text="ISO 3166-1 alpha-2, e.g. DE.")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")



class AddressUpdateInputSerializer(AddressInputSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if hasattr(field, "default"):
                field.default = serializers.empty



class AddressOutputSerializer(AddressInputSerializer):
    id = serializers.IntegerField()


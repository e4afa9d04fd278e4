"""Buyer accounts: register, sign in, refresh and revoke tokens, passwords, profile and shipping addresses."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors
from accounts.serializers import (
    AddressInputSerializer,
    AddressOutputSerializer,
    AddressUpdateInputSerializer,
    LoginInputSerializer,
    NoticeOutputSerializer,
    PasswordChangeInputSerializer,
    PasswordResetConfirmInputSerializer,
    PasswordResetRequestInputSerializer,
    ProfileOutputSerializer,
    ProfileUpdateInputSerializer,
    RefreshInputSerializer,
    RegisterInputSerializer,
    TokenOutputSerializer,
)
from accounts.services import buyers, passwords, sign_in, tokens
from config.client import client_address
from config.schema import error_response
from config.throttling import ClientRateThrottle

REGISTERED = "Thank you. Log in with this email address and your password; we have also sent you an e-mail."
RESET_REQUESTED = "If this address has an account, we have sent it a link to choose a new password."


class _AuthApi(APIView):
    """Anonymous endpoints that hand out credentials: no authentication, rate limited per client."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ClientRateThrottle]
    throttle_scope = "auth-login"



class RegisterApi(_AuthApi):
    throttle_scope = "auth-register"

    @extend_schema(request=RegisterInputSerializer, responses={202: NoticeOutputSerializer},
                   summary="Register a buyer account, then log in",
                   description="Answers the same whether or not the address already has an account, so nobody "
                               "learns which addresses do: a new account is created and sent a welcome e-mail; an "
                               "existing one is left as it is and sent a note that someone tried. Either way the "
                               "client then logs in with `/auth/login/`.",
                   tags=["auth"])
    def post(self, request: Request) -> Response:
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        buyers.buyer_register(**data.validated_data)
        return Response({"message": REGISTERED}, status=status.HTTP_202_ACCEPTED)



class LoginApi(_AuthApi):

    @extend_schema(request=LoginInputSerializer, responses={200: TokenOutputSerializer,
                   401: error_response("Email or password is wrong."),
                   429: error_response("Too many attempts from this client (`throttled`), or too many failed "
                                       "passwords for this account from this client (`login_throttled`); "
                                       "Retry-After says how long to wait.")},
                   summary="Log in; returns an access and a refresh token", tags=["auth"])
    def post(self, request: Request) -> Response:
        data = LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(sign_in.buyer_login(**data.validated_data, client=client_address(request)))



class RefreshApi(_AuthApi):
    throttle_scope = "auth-token"

    @extend_schema(request=RefreshInputSerializer, responses={200: TokenOutputSerializer,
                   401: error_response("The refresh token is invalid, expired, already used or revoked.")},
                   summary="Exchange a refresh token for a new pair; the token sent stops working",
                   description="Each refresh token works once: keep the new one. Using one twice is refused.",
                   tags=["auth"])
    def post(self, request: Request) -> Response:
        data = RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(tokens.token_refresh(**data.validated_data))



class LogoutApi(_AuthApi):
    throttle_scope = "auth-token"

    @extend_schema(request=RefreshInputSerializer, responses={
                   204: OpenApiResponse(description="The refresh token no longer works (also if it already did not)."),
                   401: error_response("Not a refresh token we issued, or it has expired.")},
                   summary="Log out: revoke a refresh token", tags=["auth"])
    def post(self, request: Request) -> Response:
        data = RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tokens.token_revoke(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)



class PasswordResetRequestApi(_AuthApi):
    throttle_scope = "auth-password-reset"

    @extend_schema(request=PasswordResetRequestInputSerializer, responses={202: NoticeOutputSerializer},
                   summary="Ask for a password reset link by e-mail",
                   description="Answers the same whether or not the address has an account; an account gets an "
                               "e-mail with a link holding `uid` and `token` (at most one per 5 minutes).",
                   tags=["auth"])
    def post(self, request: Request) -> Response:
        data = PasswordResetRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        passwords.password_reset_request(**data.validated_data)
        return Response({"message": RESET_REQUESTED}, status=status.HTTP_202_ACCEPTED)



class PasswordResetConfirmApi(_AuthApi):
    throttle_scope = "auth-password-reset"

    @extend_schema(request=PasswordResetConfirmInputSerializer, responses={
                   204: OpenApiResponse(description="The new password is set; every refresh token of the account "
                                                    "stopped working. Log in with the new password."),
                   400: error_response("The link is invalid, used or expired (`password_reset_invalid`), or the "
                                       "new password is too weak (`invalid`).")},
                   summary="Set a new password with the reset link's uid and token", tags=["auth"])
    def post(self, request: Request) -> Response:
        data = PasswordResetConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        passwords.password_reset_confirm(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)



class PasswordChangeApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ClientRateThrottle]
    throttle_scope = "auth-login"

    @extend_schema(request=PasswordChangeInputSerializer, responses={200: TokenOutputSerializer,
                   400: error_response("The current password is wrong (`password_incorrect`), or the new one is too "
                                       "weak (`invalid`)."),
                   429: error_response("Too many attempts from this client, or too many wrong passwords for this "
                                       "account from it; Retry-After says how long to wait.")},
                   summary="Change my password; signs out every device and answers a new pair for this one",
                   tags=["buyer"])
    def post(self, request: Request) -> Response:
        data = PasswordChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(passwords.password_change(user=request.user, **data.validated_data,
                                                  client=client_address(request)))



class ProfileApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProfileOutputSerializer, summary="My profile", tags=["buyer"])
    def get(self, request: Request) -> Response:
        return Response(ProfileOutputSerializer(buyers.buyer_profile_get(user=request.user)).data)

    @extend_schema(request=ProfileUpdateInputSerializer, responses={
                   200: ProfileOutputSerializer,
                   400: error_response("A currency we do not price in (`unsupported_currency`), or a language or size "
                                       "system that is not one of the choices (`invalid`).")},
                   summary="Change my name, preferred currency, language or size system", tags=["buyer"])
    def patch(self, request: Request) -> Response:
        data = ProfileUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = buyers.buyer_profile_update(user=request.user, **data.validated_data)
        return Response(ProfileOutputSerializer(profile).data)



class AddressListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AddressOutputSerializer(many=True), summary="My shipping addresses", tags=["buyer"])
    def get(self, request: Request) -> Response:
        addresses = selectors.address_list(buyer=request.user)
        return Response(AddressOutputSerializer(addresses, many=True).data)

    @extend_schema(request=AddressInputSerializer, responses={201: AddressOutputSerializer},
                   summary="Add a shipping address (postal code checked for the country)", tags=["buyer"])
    def post(self, request: Request) -> Response:
        data = AddressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = buyers.address_create(buyer=request.user, **data.validated_data)
        return Response(AddressOutputSerializer(address).data, status=status.HTTP_201_CREATED)



class AddressDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AddressUpdateInputSerializer, responses=AddressOutputSerializer,
                   summary="Change a shipping address", tags=["buyer"])
    def patch(self, request: Request, address_id: int) -> Response:
        data = AddressUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = buyers.address_update(buyer=request.user, address_id=address_id, **data.validated_data)
        return Response(AddressOutputSerializer(address).data)

    @extend_schema(responses={204: None}, summary="Delete a shipping address", tags=["buyer"])
    def delete(self, request: Request, address_id: int) -> Response:
        buyers.address_delete(buyer=request.user, address_id=address_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


"""Buyer accounts: register, sign in, refresh a token, profile and shipping addresses."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import selectors
from accounts.errors import InvalidToken
from accounts.serializers import (
    AddressInputSerializer,
    AddressOutputSerializer,
    AddressUpdateInputSerializer,
    LoginInputSerializer,
    NoticeOutputSerializer,
    ProfileOutputSerializer,
    ProfileUpdateInputSerializer,
    RefreshInputSerializer,
    RegisterInputSerializer,
    TokenOutputSerializer,
)
from accounts.services import buyers, sign_in
from config.client import client_address
from config.schema import error_response
from config.throttling import ClientRateThrottle

REGISTERED = "Thank you. Log in with this email address and your password; we have also sent you an e-mail."


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

    @extend_schema(request=RefreshInputSerializer, responses={200: TokenOutputSerializer,
                   401: error_response("The refresh token is invalid or expired.")},
                   summary="Exchange a refresh token for a new access token", tags=["auth"])
    def post(self, request: Request) -> Response:
        data = RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            refresh = RefreshToken(data.validated_data["refresh"])
        except TokenError as exc:
            raise InvalidToken() from exc
        return Response({"access": str(refresh.access_token)})



class ProfileApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProfileOutputSerializer, summary="My profile", tags=["buyer"])
    def get(self, request: Request) -> Response:
        return Response(ProfileOutputSerializer(buyers.buyer_profile_get(user=request.user)).data)

    @extend_schema(request=ProfileUpdateInputSerializer, responses=ProfileOutputSerializer,
                   summary="Change my name, preferred currency or language", tags=["buyer"])
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


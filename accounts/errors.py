"""Errors of buyer accounts and sign-in."""

from config.errors import ApplicationError, InvalidInput


class AddressInvalid(InvalidInput):
    code = "address_invalid"
    default_message = "The address is not valid for its country."



class LoginThrottled(ApplicationError):
    """Too many failed passwords for this account from this client; other clients are not held back."""

    code = "login_throttled"
    status_code = 429
    default_message = "Too many failed sign-ins for this account from your network; wait a moment and try again."



class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    status_code = 401
    default_message = "Email or password is wrong."



class InvalidToken(ApplicationError):
    code = "invalid_token"
    status_code = 401
    default_message = "The refresh token is invalid, expired, already used or revoked; log in again."



class PasswordIncorrect(InvalidInput):
    code = "password_incorrect"
    default_message = "The current password is wrong."



class PasswordResetInvalid(InvalidInput):
    code = "password_reset_invalid"
    default_message = "This password reset link is invalid, used or expired; ask for a new one."

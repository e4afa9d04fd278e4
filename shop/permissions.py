"""Who may use the operator API."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from .selectors import manufacturer_for_user


class IsOperator(BasePermission):
    """Operators run the marketplace: staff who work for no manufacturer. A manufacturer's staff are
    staff too (they sign in to the admin, scoped to their own rows), but refunds, scheduling and
    festival figures across manufacturers are not theirs."""

    message = "Only operators can do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff and manufacturer_for_user(user=user) is None)

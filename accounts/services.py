"""Account services: what follows from a password change, a reset or a deactivation."""

from rest_framework.authtoken.models import Token


def revoke_api_tokens(user) -> int:
    """Delete the user's API tokens: a changed password or a deactivated account must not leave
    a token working that was issued under the old credentials. Returns how many were deleted."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


def require_password_change(user) -> None:
    """Mark an initial or reset password as one the user must replace at the next login
    (enforced by accounts.middleware when settings.FORCE_PASSWORD_CHANGE is on)."""
    user.must_change_password = True

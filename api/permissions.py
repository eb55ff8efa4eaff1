"""The browser's permissions (accounts/rules.py), asked of the API's requests.

Reading needs the view's read permission on the object (the queryset is already narrowed by
accounts.access.scope, so what lies outside is 404 before this is asked); writing needs the
permission the view names for the action: `kaohe.change_records` for records, `kaohe.submit_report`
for a village's own dispute report, `kaohe.manage_assessment` for periods.
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.permissions import BasePermission


class RecordPermission(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return view.may_read_kind(user)
        if getattr(view, "detail", False) or view.action is None:
            return True  # decided on the object
        perm = view.perm_for_action()
        return perm is None or user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = view.read_perm if request.method in SAFE_METHODS else view.perm_for_action()
        return perm is None or request.user.has_perm(perm, obj)

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import services
from .models import User


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """Django's form with its warning in Chinese (Django appends it in English, outside its catalog)."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        auth_forms.SetUnusablePasswordMixin.usable_password_help_text,
        _("If you disable it, this user's current password is lost."),
    )


def _county_admin(request):
    """The role question, safe for a signed-out visitor (an AnonymousUser has no role properties)."""
    return request.user.is_authenticated and request.user.is_county_admin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts are kept by the county administrator; every change goes through an audited service."""

    change_password_form = AdminPasswordChangeForm
    list_display = ("username", "full_name", "role", "township", "is_active", "last_login")
    list_filter = ("role", "township", "is_active")
    search_fields = ("username", "full_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email")}),
        (_("Role"), {"fields": ("role", "township", "must_change_password", "is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "role", "township", "password1", "password2")}),
    )

    # The county administrator role manages accounts without being a superuser.
    def has_view_permission(self, request, obj=None):
        return _county_admin(request)

    def has_add_permission(self, request):
        return _county_admin(request)

    def has_change_permission(self, request, obj=None):
        return _county_admin(request)

    def has_delete_permission(self, request, obj=None):
        return _county_admin(request) and (obj is None or obj.pk != request.user.pk)

    def has_module_permission(self, request):
        return _county_admin(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            # Only a superuser makes superusers: a county administrator cannot raise anyone above the role.
            readonly.append("is_superuser")
        return readonly

    def save_model(self, request, obj, form, change):
        services.user_admin_save(actor=request.user, user=obj, created=not change)

    def delete_model(self, request, obj):
        services.user_admin_delete(actor=request.user, user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.user_admin_delete(actor=request.user, user=user)

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            # Success is the redirect to the account's change page (a refused form re-renders or redirects to itself).
            if request.method == "POST" and isinstance(response, HttpResponseRedirect):
                user = self.get_object(request, id)
                if response.url == reverse("admin:accounts_user_change", args=(user.pk,)):
                    services.user_admin_password_set(actor=request.user, user=user)
        return response

    # Second factor: a lost phone. The devices go, the user's sessions end, the next sign-in enrols again.
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the second factor (the user enrols again at next sign-in)"))
    def reset_second_factor(self, request, queryset):
        from django.contrib import messages

        from .second_factor.services import device_reset

        for user in queryset:
            device_reset(actor=request.user, user=user)
        self.message_user(
            request, _("The second factor was reset for %(count)s users.") % {"count": len(queryset)}, messages.SUCCESS
        )

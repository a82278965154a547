from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        # A signed-in user who opens the page is sent home; a sign-in form they post is processed, so that
        # signing in as someone else never silently keeps the first person signed in.
        if request.method == "POST":
            self.redirect_authenticated_user = False
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        current = self.request.user
        if current.is_authenticated and current.pk != form.get_user().pk:
            # The first person's session ends (flushed, audited as a sign-out) before the second one's begins.
            services.logout_record(user=current)
            logout(self.request)
        response = super().form_valid(form)
        services.login_record(user=form.get_user(), success=True)
        return response

    def form_invalid(self, form):
        services.login_record(user=None, success=False, username=form.data.get("username", ""))
        return super().form_invalid(form)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.logout_record(user=request.user)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@login_required
@require_POST
def logout_everywhere_view(request):
    services.logout_everywhere(request=request, user=request.user)
    messages.info(request, _("You have signed out on every device; your API token no longer works."))
    return redirect("accounts:login")


@login_required
def password_change_view(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(request=request, user=request.user, new_password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password has been changed. Other sessions have been signed out."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": request.user.must_change_password})

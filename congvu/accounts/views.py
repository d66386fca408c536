from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congvu.accounts import selectors, services


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "staff": selectors.own_staff(user=request.user),
            "assignments": selectors.role_assignments_of(
                user=request.user, day=timezone.localdate()
            ),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page; a new password also revokes the login's API tokens (audited)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.tokens_revoke_all(
            actor=self.request.user, user=self.request.user, reason="password_change"
        )
        return response


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The login's own API tokens: when made and last used; revoke one."""
    if request.method == "POST":
        token = selectors.api_token_of(user=request.user, pk=request.POST.get("khoa", ""))
        if token is None:
            raise Http404
        services.token_revoke(actor=request.user, token=token)
        messages.success(request, _("Đã thu hồi khóa API %(prefix)s…") % {"prefix": token.prefix})
        return redirect("api_tokens")
    return render(
        request, "accounts/api_tokens.html", {"tokens": selectors.api_tokens_of(user=request.user)}
    )

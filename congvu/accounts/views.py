from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from congvu.accounts import selectors


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

"""URLs of emulation's council pages (included by ``emulation.urls``): sessions and the secret
ballot, award decisions, certificates and revocation."""

from django.urls import path

from congvu.emulation import views_council as views

urlpatterns: list = [
    path("hoi-dong/", views.council_session_list, name="council_session_list"),
    path("hoi-dong/tao/", views.council_session_create, name="council_session_create"),
    path("hoi-dong/<int:pk>/", views.council_session_detail, name="council_session_detail"),
    path("hoi-dong/<int:pk>/them/", views.council_session_add, name="council_session_add"),
    path(
        "hoi-dong/<int:pk>/bo/<int:item>/",
        views.council_session_remove,
        name="council_session_remove",
    ),
    path("hoi-dong/<int:pk>/mo/", views.council_session_open, name="council_session_open"),
    path("hoi-dong/<int:pk>/ket-thuc/", views.council_session_close, name="council_session_close"),
    path("hoi-dong/<int:pk>/phieu/", views.council_ballot, name="council_ballot"),
    path("hoi-dong/<int:pk>/bien-ban.docx", views.council_minutes, name="council_minutes"),
    path("quyet-dinh/", views.decision_list, name="decision_list"),
    path("quyet-dinh/lap/", views.decision_create, name="decision_create"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/ban-hanh/", views.decision_issue, name="decision_issue"),
    path("quyet-dinh/<int:pk>/quyet-dinh.docx", views.decision_docx, name="decision_docx"),
    path("quyet-dinh/<int:pk>/danh-sach.xlsx", views.decision_xlsx, name="decision_xlsx"),
    path(
        "quyet-dinh/<int:pk>/bang-khen/", views.decision_certificates, name="decision_certificates"
    ),
    path(
        "khen-thuong/<int:pk>/bang-khen/",
        views.achievement_certificate,
        name="achievement_certificate",
    ),
    path("khen-thuong/<int:pk>/huy-bo/", views.achievement_revoke, name="achievement_revoke"),
]

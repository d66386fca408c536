from django.urls import path

from congvu.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("ke-hoach/moi/", views.plan_create, name="plan_create"),
    path("moi/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/doan/", views.team_set, name="team_set"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/chuyen/", views.inspection_move, name="inspection_move"),
    path("<int:pk>/phieu/", views.checklist, name="checklist"),
    path("<int:pk>/muc/<int:item_pk>/", views.answer_post, name="answer_post"),
    path("<int:pk>/muc/<int:item_pk>/anh/", views.photo_post, name="photo_post"),
    path("<int:pk>/bien-ban.docx", views.bien_ban, name="bien_ban"),
    path("anh/<int:pk>/", views.photo_download, name="photo_download"),
]

"""URLs of emulation's board pages (included by ``emulation.urls``): the public honour board
(no login) and the good models' pages."""

from django.urls import path

from congvu.emulation import views_board

urlpatterns = [
    path("bang-vang/", views_board.board, name="board"),
    path("bang-vang/mo-hinh-hay/", views_board.board_models, name="board_models"),
    path("mo-hinh-hay/", views_board.goodmodel_list, name="goodmodel_list"),
    path("mo-hinh-hay/moi/", views_board.goodmodel_create, name="goodmodel_create"),
    path("mo-hinh-hay/<int:pk>/", views_board.goodmodel_detail, name="goodmodel_detail"),
    path("mo-hinh-hay/<int:pk>/cong-bo/", views_board.goodmodel_publish, name="goodmodel_publish"),
    path("mo-hinh-hay/<int:pk>/go/", views_board.goodmodel_withdraw, name="goodmodel_withdraw"),
]

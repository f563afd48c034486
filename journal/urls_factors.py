from django.urls import path

from journal.views import factors

urlpatterns = [
    path("", factors.factor_list, name="factors"),
    path("add/", factors.factor_add, name="factor_add"),
    path("<int:pk>/edit/", factors.factor_edit, name="factor_edit"),
    path("<int:pk>/archive/", factors.factor_archive, name="factor_archive"),
    path("<int:pk>/delete/", factors.factor_delete, name="factor_delete"),
]

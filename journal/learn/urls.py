"""Learn: included under /learn/ by journal/urls.py."""

from django.urls import path

from journal.learn import views

urlpatterns = [
    path("", views.index, name="learn"),
    path("checklist/", views.red_flag_checklist, name="red_flag_checklist"),
    path("sources/", views.sources, name="learn_sources"),
    path("<slug:section>/", views.section, name="learn_section"),
]

from django.urls import path

from journal.views import medications

urlpatterns = [
    path("", medications.medication_list, name="medications"),
    path("add/", medications.medication_add, name="medication_add"),
    path("<int:pk>/edit/", medications.medication_edit, name="medication_edit"),
    path("<int:pk>/stop/", medications.medication_stop, name="medication_stop"),
    path("<int:pk>/delete/", medications.medication_delete, name="medication_delete"),
    path("<int:pk>/doses/", medications.dose_add, name="dose_add"),
    path("doses/<int:pk>/delete/", medications.dose_delete, name="dose_delete"),
]

from django.urls import path

from journal.views import data

urlpatterns = [
    path("", data.data_page, name="data"),
    path("export/csv/", data.export, {"kind": "csv"}, name="data_export_csv"),
    path("export/json/", data.export, {"kind": "json"}, name="data_export_json"),
    path("export/fhir/", data.export, {"kind": "fhir"}, name="data_export_fhir"),
    path("import/", data.import_page, name="data_import"),
    path("delete/", data.account_delete, name="account_delete"),
]

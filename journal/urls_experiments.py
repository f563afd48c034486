from django.urls import path

from journal.views import experiments

urlpatterns = [
    path("", experiments.experiments, name="experiments"),
    path("try/<slug:change>/", experiments.experiment_new, name="experiment_new"),
    path(
        "try/own/<int:factor_pk>/",
        experiments.experiment_new,
        {"change": "custom"},
        name="experiment_new_own",
    ),
    path("<int:pk>/", experiments.experiment_detail, name="experiment_detail"),
    path("<int:pk>/<slug:action>/", experiments.experiment_action, name="experiment_action"),
]

from django.urls import include, path, register_converter

from journal.converters import IsoDateConverter
from journal.views import accounts, checkin, cramps, health, offline, patterns, push, summary

register_converter(IsoDateConverter, "date")

urlpatterns = [
    path("", cramps.home, name="home"),
    path("healthz/", health.healthz, name="healthz"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline_shell, name="offline_shell"),
    path("cramps/sync/", offline.cramp_sync, name="cramp_sync"),
    path("cramps/now/", cramps.cramp_now, name="cramp_now"),
    path("cramps/<int:pk>/", cramps.episode_edit, name="episode_edit"),
    path("cramps/<int:pk>/delete/", cramps.episode_delete, name="episode_delete"),
    path("cramps/<int:pk>/undo/", cramps.cramp_undo, name="cramp_undo"),
    path("cramps/<int:pk>/timer/stop/", cramps.cramp_timer_stop, name="cramp_timer_stop"),
    path("nights/<date:night_date>/cramps/add/", cramps.episode_add, name="episode_add"),
    path("checkin/", checkin.checkin, name="checkin"),
    path("checkin/<date:night_date>/", checkin.checkin, name="checkin_for"),
    path("checkin/<date:night_date>/metrics/", checkin.checkin_metrics, name="checkin_metrics"),
    path("days/", checkin.day_list, name="day_list"),
    path("days/<date:night_date>/", checkin.day_detail, name="day_detail"),
    path("month/", patterns.month, name="month"),
    path("month/<int:year>/<int:month>/", patterns.month, name="month_of"),
    path("trends/", patterns.trends, name="trends"),
    path("trends/factors/", patterns.factor_analysis, name="factor_analysis"),
    path("summary/", summary.summary, name="summary"),
    path("summary/print/", summary.summary_print, name="summary_print"),
    path("summary/pdf/", summary.summary_pdf, name="summary_pdf"),
    path("summary/share/", summary.share_create, name="share_create"),
    path("summary/share/<int:pk>/revoke/", summary.share_revoke, name="share_revoke"),
    path("shared/<str:token>/", summary.shared_summary, name="shared_summary"),
    path("shared/<str:token>/pdf/", summary.shared_summary_pdf, name="shared_summary_pdf"),
    path("learn/", include("journal.learn.urls")),
    path("signup/", accounts.signup, name="signup"),
    path("logout/", accounts.log_out, name="logout"),
    path("account/", accounts.account, name="account"),
    path("account/theme/", accounts.account_theme, name="account_theme"),
    path("account/push/", push.push_subscribe, name="push_subscribe"),
    path("account/push/<int:pk>/remove/", push.push_remove, name="push_remove"),
    path("medications/", include("journal.urls_medications")),
    path("factors/", include("journal.urls_factors")),
    path("data/", include("journal.urls_data")),
    path("", include("django.contrib.auth.urls")),
]

from django.urls import include, path

from journal.views import accounts, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("month/", pages.not_built_yet, {"title": "Month"}, name="month"),
    path("trends/", pages.not_built_yet, {"title": "Trends"}, name="trends"),
    path("summary/", pages.not_built_yet, {"title": "Doctor summary"}, name="summary"),
    path("learn/", pages.learn, name="learn"),
    path("signup/", accounts.signup, name="signup"),
    path("account/", accounts.account, name="account"),
    path("account/theme/", accounts.switch_theme, name="switch_theme"),
    path("medications/", include("journal.urls_medications")),
    path("factors/", include("journal.urls_factors")),
    path("", include("django.contrib.auth.urls")),
]

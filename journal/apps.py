from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Cramp Journal"

    def ready(self) -> None:
        from journal import checks  # noqa: F401  (registers the deployment checks)

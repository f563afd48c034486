from datetime import date


class IsoDateConverter:
    """`<date:night>` in URLs: an ISO date such as 2026-11-05. Impossible dates give 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)

    def to_url(self, value: date) -> str:
        return value.isoformat()

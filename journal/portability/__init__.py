"""Data portability and leaving: the exports, the import, and account deletion.

- `csv_export`: a zip of CSV files with a README, for spreadsheets.
- `json_export` and `json_import`: the complete export, and its import into an empty account.
- `fhir`: a FHIR R4 Bundle for other health records.
- `deletion`: deleting an account and every record of it.
- `records`: what is exported, and one reader of the whole journal for all the exports.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from journal.models import User
from journal.portability.csv_export import csv_zip
from journal.portability.fhir import fhir_json
from journal.portability.json_export import journal_json


@dataclass(frozen=True)
class Download:
    extension: str
    content_type: str
    build: Callable[[User, datetime], bytes]

    def filename(self, user: User, now: datetime) -> str:
        """cramp-journal-2026-03-05.zip, dated by the user's own calendar."""
        return f"cramp-journal-{now.astimezone(user.tzinfo):%Y-%m-%d}.{self.extension}"


DOWNLOADS = {
    "csv": Download("zip", "application/zip", csv_zip),
    "json": Download("json", "application/json", journal_json),
    "fhir": Download("fhir.json", "application/fhir+json; fhirVersion=4.0", fhir_json),
}

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from journal.learn.content import CONTENT_DIR, ContentError, load_content, section_counts


class Command(BaseCommand):
    help = (
        "Check the Learn content files (content/learn/): every item well-formed, with a known "
        "section, evidence label and sources. Lists every problem, naming file and item."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dir", dest="directory", type=Path, default=CONTENT_DIR, help="the directory to check"
        )

    def handle(self, *args, directory: Path, **options) -> None:
        try:
            content = load_content(directory)
        except ContentError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{len(content.items)} items in {len(content.sections)} sections:")
        titles = {section.slug: section.title for section in content.sections}
        for slug, count in section_counts(content).items():
            self.stdout.write(f"  {titles[slug]}: {count}")
        self.stdout.write(self.style.SUCCESS("The Learn content is valid."))

"""Sharing at the top of the summary page: a new link shows at once, with its address to copy
and a QR code drawn on the server that decodes to that address."""

import re
import subprocess
from pathlib import Path

import pytest
import segno
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from journal.models import ShareLink
from journal.qr import QUIET_ZONE
from tests.test_summary import journal  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def create_link(client, months=1, days=30):
    """Create a link as the form does; the clock is stopped, so find it by the id sent back."""
    response = client.post(reverse("share_create"), {"months": months, "days": days})
    return response, ShareLink.objects.get(pk=response["Location"].rpartition("new=")[2])


def qr_svgs(html: str) -> list[str]:
    return re.findall(r'<svg role="img" viewBox="[^"]+" class="share-qr">.*?</svg>', html, re.S)


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of segno's SVG, read back from its one path of horizontal strokes
    ("M4 4.5h7m2 0h1...": each stroke runs along the middle of a row of modules)."""
    match = re.search(r'<path stroke="#000" d="([^"]+)"', svg)
    assert match is not None, "no path in the SVG"
    path = match.group(1)
    x = y = 0.0
    modules: set[tuple[int, int]] = set()
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            length = int(float(first))
            modules.update((int(x) + step, int(y)) for step in range(length))
            x += length
    return modules


def expected_modules(address: str) -> set[tuple[int, int]]:
    matrix = segno.make(address, error="m", boost_error=False).matrix
    return {
        (column + QUIET_ZONE, row + QUIET_ZONE)
        for row, cells in enumerate(matrix)
        for column, dark in enumerate(cells)
        if dark
    }


def decode(modules: set[tuple[int, int]], tmp_path: Path) -> str:
    """What zbar reads from a picture of the modules (8 pixels each, with the quiet zone)."""
    size = max(max(x, y) for x, y in modules) + 1 + QUIET_ZONE
    picture = Image.new("1", (size, size), 1)
    for x, y in modules:
        picture.putpixel((x, y), 0)
    file = tmp_path / "qr.png"
    picture.resize((size * 8, size * 8), Image.Resampling.NEAREST).save(file)
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(file)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_a_new_link_shows_at_the_top_with_its_address_and_qr_code(
    alice_client,
    journal,  # noqa: F811
    tmp_path,
):
    response, link = create_link(alice_client)
    assert response["Location"] == f"{reverse('summary')}?months=1&new={link.pk}"
    html = alice_client.get(response["Location"]).content.decode()
    address = f"http://testserver/shared/{link.token}/"
    # Sharing comes before the summary itself, the new link first of all.
    assert html.index("Your new link") < html.index('id="sharing"') + 400
    assert html.index('id="sharing"') < html.index('class="summary-document"')
    # The address to select by hand; the Copy button is hidden until the script shows it.
    assert re.search(rf'<input type="text" id="link-{link.pk}" readonly value="{address}"', html)
    assert re.search(rf'<button type="button" [^>]*data-copy-link="link-{link.pk}" hidden>', html)
    [svg] = qr_svgs(html)  # the new link's, shown once (the list does not repeat it)
    assert "style" not in svg and "script" not in svg and "<title>" in svg
    assert dark_modules(svg) == expected_modules(address)  # segno drew this very address
    assert decode(dark_modules(svg), tmp_path) == address  # and a reader gets it back


def test_every_working_link_has_its_qr_code_and_expired_ones_none(
    alice_client,
    journal,  # noqa: F811
    tmp_path,
):
    _, first = create_link(alice_client)
    _, revoked = create_link(alice_client)
    revoked.revoked_at = timezone.now()
    revoked.save()
    html = alice_client.get(reverse("summary"), {"months": 1}).content.decode()
    assert "Your new link" not in html
    assert "Your links: 1 working, 2 in all" in html
    [svg] = qr_svgs(html)
    assert decode(dark_modules(svg), tmp_path) == f"http://testserver/shared/{first.token}/"
    assert revoked.token not in html  # a revoked link's address is not shown again
    # A revoked link asked for as the new one is not shown as such.
    page = alice_client.get(reverse("summary"), {"new": revoked.pk}).content.decode()
    assert "Your new link" not in page


def test_another_users_link_never_shows_as_the_new_one(alice_client, journal, bob):  # noqa: F811
    _, link = create_link(alice_client)
    client = Client()
    client.force_login(bob)
    html = client.get(reverse("summary"), {"new": link.pk}).content.decode()
    assert link.token not in html and "Your new link" not in html and not qr_svgs(html)

"""Read a form out of a served page the way a browser would submit it, untouched.

Tests that must prove "saving the form as shown saves nothing the person did not enter" post
exactly these values, rather than a dictionary written by hand.
"""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.buttons: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "image", "reset"):
                if kind == "submit":
                    self.buttons.append((name, attributes.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            else:
                self.fields.append((name, attributes.get("value", "")))
        elif tag == "button" and name and attributes.get("type", "submit") == "submit":
            self.buttons.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]  # a browser sends the first option
            self.fields += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser keeps the newline a browser drops right after <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_as_served(html: str, form_id: str, *, press: tuple[str, str]) -> dict[str, list[str]]:
    """The data a browser sends for form `form_id` of `html` when `press` (the submit button's
    name and value) is pressed without changing anything: each field's value as served."""
    reader = _FormReader(form_id)
    reader.feed(html)
    assert press in reader.buttons, f"no button {press} in form #{form_id}: {reader.buttons}"
    data: dict[str, list[str]] = {}
    for name, value in [*reader.fields, press]:
        data.setdefault(name, []).append(value)
    return data

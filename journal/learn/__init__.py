"""Learn: general, sourced information on night leg cramps, and tips chosen from the user's data.

- `content`: loads and validates the data files under content/learn/ (the text lives there,
  never in templates);
- `tips`: the plain rules that pick a few content items, and red flags, from a user's journal;
- `checklist`: how the red-flag checklist's questions relate to the content;
- `views` and `forms`: the public Learn pages and the signed-in checklist page.
"""

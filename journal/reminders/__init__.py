"""Reminders: when each is due (due.py), what it says (messages.py), how it goes out
(email.py, push.py), and sending each exactly once (sending.py). journal/tasks.py runs them."""

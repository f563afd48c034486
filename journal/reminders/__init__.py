"""Reminders: when each is due (due.py), what it says (messages.py), how it goes out
(mail.py, push.py), and sending each exactly once (sending.py). journal/tasks.py runs them."""

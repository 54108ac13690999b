"""The Textual app. It only calls into the other packages; nothing else imports it."""

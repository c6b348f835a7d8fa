"""Mailboxes, quarantined mail and other state of the email channel."""

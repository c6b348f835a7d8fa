"""Celery finds tasks in `<app>.tasks`; the integrations keep theirs in their own folders."""

from channels_integrations.chat.tasks import send_transcript_mail, send_verification_mail

__all__ = ["send_transcript_mail", "send_verification_mail"]

"""Models of the channel integrations, so that this app owns their tables and migrations."""

from channels_integrations.chat.models import ChatConversation, ChatWidget

__all__ = ["ChatConversation", "ChatWidget"]

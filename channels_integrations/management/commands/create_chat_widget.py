"""Django finds commands in the app's own management folder; the chat keeps its code in chat/."""

from channels_integrations.chat.management.commands.create_chat_widget import Command

__all__ = ["Command"]

"""Admin pages of the channel integrations."""

from channels_integrations.chat import admin as chat_admin  # noqa: F401  (registers the chat models)

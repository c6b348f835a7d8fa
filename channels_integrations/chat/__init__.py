"""Live chat: a script tag on the shop's pages, a visitor socket, and agent replies pushed back."""

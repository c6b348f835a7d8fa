"""Contacts logged at the store counter."""

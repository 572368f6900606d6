"""Test doubles: the fake Telegram Bot API server."""

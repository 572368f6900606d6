"""Telegram transport (handlers layer): thin callbacks that call one service and render the result."""

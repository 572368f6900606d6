"""Telegram transport (handlers layer): thin callbacks that call a service and render results."""

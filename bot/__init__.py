"""Pendamping Kepatuhan: a Telegram bot that helps service units prepare for Ombudsman RI."""

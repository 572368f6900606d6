"""Pendamping Kepatuhan: a Telegram bot for Ombudsman RI compliance preparation."""

"""Pendamping Kepatuhan: a Telegram bot that helps ASN prepare for the Ombudsman RI assessment."""

__version__ = "0.1.0"

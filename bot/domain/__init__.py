"""Pure domain rules: no I/O, no Telegram, no database."""

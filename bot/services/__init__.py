"""Use cases (services layer): async, no Telegram; they return data, not sentences."""

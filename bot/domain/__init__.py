"""Domain layer: pure rules with no I/O (stdlib only)."""

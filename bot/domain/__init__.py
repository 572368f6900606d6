"""Domain layer: pure rules, no I/O."""

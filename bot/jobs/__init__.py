"""JobQueue callbacks: transport for time, as thin as handlers."""

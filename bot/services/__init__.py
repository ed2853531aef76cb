"""Domain services: each change a service makes is a unit of its caller's transaction."""

"""The `nexus-ttx` command line: thin commands over the engine."""

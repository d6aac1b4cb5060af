"""nexus-ttx user interface: the Textual app and the `nexus-ttx` command line."""

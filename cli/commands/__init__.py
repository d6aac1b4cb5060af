"""One module per `nexus-ttx` command. Module level imports: standard library only."""

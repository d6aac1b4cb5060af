"""The live-session web server: participants vote from their own browsers (`nexus-ttx serve`)."""

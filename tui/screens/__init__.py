"""One screen per module: library, setup, play, debrief, toolkit, diagnostics, help, modals."""

"""CLI tier: the commands as users run them, with their exit codes and messages."""

"""Stage 4, naming: every Python identifier the generator emits is decided here."""

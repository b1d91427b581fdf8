"""Stage 6, output: writing the output directory safely, its manifest, and the drift check."""

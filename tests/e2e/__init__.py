"""End-to-end tier: the generated client, server and mock exercised together."""

"""Real-spec tier: every Vapi spec generated, imported and exercised with real-shaped payloads."""

"""Golden tier: regenerated output compared byte for byte with the committed packages, and formatting."""

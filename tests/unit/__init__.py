"""Unit tier: the intermediate model, resource detection, validation, diff rules and properties, on inline specs."""

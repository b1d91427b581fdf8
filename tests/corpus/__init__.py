"""The corpus tier: one small purpose-made spec per robustness case, each with its expected outcome."""

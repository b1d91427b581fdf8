"""Stage 3, the intermediate model: plain typed objects describing the API, built from the document."""

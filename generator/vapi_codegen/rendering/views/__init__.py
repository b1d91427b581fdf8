"""One view module per emitted file: each turns the intermediate model into what its template prints."""

"""Stage 5, rendering: the intermediate model -> Python source through Jinja templates, formatted."""

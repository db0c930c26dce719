"""The one application API that the CLI (and later the web app) call."""

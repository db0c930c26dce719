"""The web app: a FastAPI app factory, the JSON API under /api/v1, and (later) the pages."""

"""The web app: respondents' survey form and researchers' pages, over the library.

``create_app(settings)`` builds the FastAPI app; routes parse input, call stage
functions and render Jinja templates. See docs/web.md.
"""

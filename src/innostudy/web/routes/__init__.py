"""One router per area of the app."""

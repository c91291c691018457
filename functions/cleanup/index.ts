// Functions for scheduled cleanup register here.

"""The institutions pages (/staff/institutions/) and the public roster (/roster/).

Each view fetches through ``selectors`` (another county's record answers 404), checks the
permission of ``permissions`` (403 when seen but not maintained), calls one service, and renders
or redirects; the rules stay in the services.
"""

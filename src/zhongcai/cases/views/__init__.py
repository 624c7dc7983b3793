"""The staff pages of intake and acceptance: queues, the counter form, the case page, decisions.

Each view fetches through ``selectors`` (another county's case answers 404), calls one service,
and renders or redirects; the rules stay in ``services``, ``workflow`` and ``checks``.
"""

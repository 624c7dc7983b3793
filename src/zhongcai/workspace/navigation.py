def navigation(request):  # placeholder, replaced below
    return {}

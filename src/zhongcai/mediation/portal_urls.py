"""Public pages of mediation (/mediation/), one list per module that owns them."""

from . import views_agreement, views_apply, views_handover, views_pool, views_room

app_name = "mediation-portal"
urlpatterns = [
    *views_apply.party_urlpatterns,  # apply, my mediations
    *views_room.party_urlpatterns,  # the party's case page and room
    *views_agreement.party_urlpatterns,  # signing, review application, court package, breach
    *views_pool.party_urlpatterns,  # ask for another mediator, feedback
    *views_handover.party_urlpatterns,  # apply for arbitration from a failed mediation
]

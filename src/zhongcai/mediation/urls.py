"""Staff pages of mediation (/staff/mediation/), one list per module that owns them."""

from . import views_agreement, views_apply, views_handover, views_pool, views_room

app_name = "mediation"
urlpatterns = [
    *views_room.staff_urlpatterns,  # queue, case page, steps, messages, calls, files, proposals
    *views_agreement.staff_urlpatterns,  # agreement, seal, reviews by commissions
    *views_pool.staff_urlpatterns,  # mediators, conflicts, change requests, guides, figures
    *views_apply.staff_urlpatterns,  # walk-in applications
    *views_handover.staff_urlpatterns,  # hand-over to arbitration
]

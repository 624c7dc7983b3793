"""The organisation tree, the institutions on it and the people who work there.

One module per topic; everything is importable from ``zhongcai.orgs.models``.
"""

from .imports import PersonImport
from .institutions import CommissionDetail, CommissionMember, HearingRoom, MediationDetail, Tribunal
from .people import (
    AnnualAssessment,
    Appointment,
    EndReason,
    Person,
    QualificationRoute,
    TrainingRecord,
)
from .roster import RosterEntry
from .tree import Division, Organisation
from .verification import QuarterDecision, QuarterSubmission

__all__ = [
    "AnnualAssessment",
    "Appointment",
    "CommissionDetail",
    "CommissionMember",
    "Division",
    "EndReason",
    "HearingRoom",
    "MediationDetail",
    "Organisation",
    "Person",
    "PersonImport",
    "QualificationRoute",
    "QuarterDecision",
    "QuarterSubmission",
    "RosterEntry",
    "TrainingRecord",
    "Tribunal",
]

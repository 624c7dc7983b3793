"""The mediation app's models: the case (``case``), its room (``room``), its agreement and the
paths after it (``agreement``), and the mediator pool (``pool``)."""

from .agreement import Agreement, AgreementSignature, Review, ReviewStatus
from .case import (
    RUNNING_STATES,
    Channel,
    MediationCase,
    MediationClaim,
    MediationParty,
    Status,
)
from .pool import (
    ConflictDeclaration,
    Feedback,
    Guide,
    MediatorChangeRequest,
    MediatorProfile,
)
from .room import Audience, Meeting, Message, Proposal, ProposalResponse, SharedFile

__all__ = [
    "RUNNING_STATES",
    "Agreement",
    "AgreementSignature",
    "Audience",
    "Channel",
    "ConflictDeclaration",
    "Feedback",
    "Guide",
    "MediationCase",
    "MediationClaim",
    "MediationParty",
    "MediatorChangeRequest",
    "MediatorProfile",
    "Meeting",
    "Message",
    "Proposal",
    "ProposalResponse",
    "Review",
    "ReviewStatus",
    "SharedFile",
    "Status",
]

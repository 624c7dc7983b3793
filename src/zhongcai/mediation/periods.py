"""The statutory periods of a mediation case, each declared once with its source.

LDMAL art. 14 [V]: no agreement within 15 days of the organisation's receipt of the application
→ the parties may apply for arbitration. 企业劳动争议协商调解规定 (人社部令第17号, spec §9.1
[M]): the organisation accepts within 3 working days of receipt; both parties may agree to extend;
otherwise the mediation is deemed to have failed.
"""

from __future__ import annotations

from datetime import date

from zhongcai.core.calendar import add_calendar_days, add_working_days

ACCEPTANCE_WORKING_DAYS = 3
CONCLUSION_DAYS = 15
# [D] The rule sets no ceiling on an agreed extension; one more 15-day period keeps the dispute
# from idling in mediation while the arbitration limitation runs.
MAX_EXTENSION_DAYS = 15


def acceptance_due(received_on: date) -> date:
    return add_working_days(received_on, ACCEPTANCE_WORKING_DAYS).due


def conclusion_due(received_on: date, extension_days: int = 0) -> date:
    """LDMAL art. 14 [V]: no agreement within 15 days of the organisation's *receipt* of the
    application → the parties may apply for arbitration. The law wins over 企业劳动争议协商调解
    规定 [M], which counts from acceptance: the clock starts when the application arrives, and
    the 3 working days for acceptance run inside it."""
    # The extension lengthens the one period, so a due date that fell on a rest day and rolled
    # over is not rolled over twice.
    return add_calendar_days(received_on, CONCLUSION_DAYS + extension_days).due


# 办案规则 art. 69: mediation entrusted by the tribunal before the hearing; no agreement within
# "十日" of the parties' consent → the hearing is held. Art. 80 [M] reads "三日、五日、十日"
# in these rules as working days (spec §3.6, §11.2 row 23; unverified — change it here if the
# verified text reads otherwise).
ENTRUSTED_WORKING_DAYS = 10


def entrusted_due(consented_on: date) -> date:
    return add_working_days(consented_on, ENTRUSTED_WORKING_DAYS).due

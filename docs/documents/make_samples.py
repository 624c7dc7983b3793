"""Page 1 of a 受理通知书 and of a 裁决书 made from the demo data, as PNG, for the README.

    .venv/bin/python docs/documents/make_samples.py        (needs pdftoppm: poppler-utils)

Works on a scratch SQLite database in a temporary folder: loads the demo province, then takes the
demo case that waits for its hearing (陈晓雯 v 山东示例物业服务有限公司) through the hearing to the
award. The procedure cannot be hurried — a hearing opens on its day — so the clock is moved to the
hearing day with time-machine, in this scratch database only. The documents are produced exactly
as the platform produces them (frozen content, seal, PAdES signature) and checked with
``verify_document`` before their first pages are written next to this script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="zhongcai-samples-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhongcai.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'samples.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    from zhongcai.accounts.models import User
    from zhongcai.cases import award, hearings
    from zhongcai.cases.models import Case, DocumentKind, Status
    from zhongcai.documents.services import produce
    from zhongcai.documents.signing import verify_document

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    case = Case.objects.get(status=Status.HEARING_SCHEDULED, parties__name="陈晓雯")
    arbitrator = User.objects.get(username="lixia_arbitrator")
    hearing = case.hearings.get()
    day = timezone.localtime(hearing.starts_at).date()
    opening = timezone.make_aware(datetime.combine(day, time(9, 35)))
    with time_machine.travel(opening, tick=True):
        hearings.hearing_open(by=arbitrator, case=case)
        case.refresh_from_db()
        hearings.hearing_close(by=arbitrator, case=case)
        case.refresh_from_db()
    with time_machine.travel(opening + timedelta(days=1), tick=True):
        award.mediation_attempt_record(
            by=arbitrator, case=case, outcome="failed", note="双方对赔偿金数额分歧较大"
        )
        case.refresh_from_db()
        applicant = case.parties.get(role="applicant")
        respondent = case.parties.get(role="respondent")
        claims = list(case.claims.order_by("number"))
        award.award_make(
            by=arbitrator,
            case=case,
            items=[
                {
                    "claim": claims[0].pk,
                    "claim_class": "money",
                    "outcome": "granted",
                    "ruling": "被申请人山东示例物业服务有限公司支付申请人陈晓雯"
                    "违法解除劳动合同赔偿金36000元",
                    "obligor": respondent.pk,
                    "obligee": applicant.pk,
                    "amount": "36000",
                    "perform_within_days": 10,
                },
                {
                    "claim": claims[1].pk,
                    "claim_class": "other",
                    "outcome": "granted",
                    "ruling": "被申请人山东示例物业服务有限公司为申请人陈晓雯"
                    "出具解除劳动合同的证明",
                    "obligor": respondent.pk,
                    "obligee": applicant.pk,
                    "perform_within_days": 10,
                },
            ],
            facts="申请人于2021年3月入职被申请人处任客服专员，月工资6000元。2026年9月30日，"
            "被申请人以申请人不能胜任工作为由解除劳动合同，未提供培训或调岗的证据。",
            reasoning="用人单位以劳动者不能胜任工作为由解除劳动合同，应当举证证明经过培训或者调整"
            "工作岗位后仍不能胜任。被申请人未能举证，其解除行为违法，应支付赔偿金。",
            legal_basis="《中华人民共和国劳动合同法》第四十条第二项、第四十七条、第四十八条、"
            "第五十条、第八十七条",
        )
    out = {}
    for kind, name in (
        (DocumentKind.ACCEPTANCE_NOTICE, "acceptance-notice"),
        (DocumentKind.AWARD, "award"),
    ):
        document = case.documents.filter(kind=kind).latest("issued_at")
        rendition = produce(document.rendition.pk)
        pdf = scratch / f"{name}.pdf"
        pdf.write_bytes(rendition.pdf.read())
        report = verify_document(pdf.read_bytes())
        if not report.ok:
            raise SystemExit(f"{name}: does not verify: {report.problems}")
        pdftoppm = shutil.which("pdftoppm") or "pdftoppm"
        subprocess.run(  # noqa: S603 - our own arguments
            [
                pdftoppm,
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(HERE / name),
            ],
            check=True,
        )
        out[name] = HERE / f"{name}.png"
        shutil.copy(pdf, Path(tempfile.gettempdir()) / f"zhongcai-sample-{name}.pdf")
    shutil.rmtree(scratch, ignore_errors=True)
    for name, path in out.items():
        print(f"{name}: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

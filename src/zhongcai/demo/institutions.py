"""Demo institutions and people for Lixia and Licheng, built through the services.

Lixia: a complete commission (five members with a chair, tribunals, rooms, full- and part-time
arbitrators, a recorder, a case assistant, a mediator in the Lixia mediation centre); its last
quarter is approved, so the public roster lists its arbitrators, and its current quarter waits
for Jinan's review with a few changes to see in the diff. Licheng: short of full-time
arbitrators and without a case assistant, so the staffing warnings show; nothing submitted.
Runs once: a second call changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhongcai.accounts.models import User
from zhongcai.cases.numbering import profile_of
from zhongcai.core.identifiers import id_number_check_char
from zhongcai.orgs import institutions, people, verification
from zhongcai.orgs.models import (
    AnnualAssessment,
    CommissionMember,
    MediationDetail,
    Organisation,
    Person,
    Tribunal,
)

LIXIA, LICHENG = "370102", "370112"
M, K, E = CommissionMember, Person.Kind, Person.Employment


def _id(body: str) -> str:
    return body + id_number_check_char(body)


def _commission(code: str) -> Organisation:
    return Organisation.objects.get(division_id=code, type=Organisation.Type.COMMISSION)


def _person(
    organisation: Organisation,
    *,
    name: str,
    kind: str,
    sex: str,
    id_body: str,
    employment: str,
    starts_on: date,
    ends_on: date | None = None,
    user: str | None = None,
    **values: Any,
) -> Person:
    return people.person_create(
        by=None,
        organisation=organisation,
        values={
            "kind": kind,
            "name": name,
            "sex": sex,
            "id_number": _id(id_body),
            "mobile": "",
            "employment": employment,
            "user": User.objects.get(username=user) if user else None,
            **values,
        },
        starts_on=starts_on,
        ends_on=ends_on,
    )


def _lixia(today: date) -> list[Person]:
    commission = _commission(LIXIA)
    institutions.commission_detail_update(
        by=None,
        commission=commission,
        seat_address="济南市历下区龙奥西路 1 号",
        established_on=date(2009, 3, 1),
    )
    for name, category, position, unit in (
        ("王立新", M.Category.LABOR_ADMINISTRATION, M.Position.CHAIR, "历下区人社局局长"),
        ("刘红", M.Category.LABOR_ADMINISTRATION, M.Position.VICE_CHAIR, "历下区人社局副局长"),
        ("张国强", M.Category.UNION, M.Position.VICE_CHAIR, "历下区总工会副主席"),
        ("李秀梅", M.Category.EMPLOYER, M.Position.MEMBER, "历下区企业联合会秘书长"),
        ("陈军", M.Category.CADRE_MANAGEMENT, M.Position.MEMBER, "区委组织部干部科科长"),
    ):
        institutions.member_add(
            by=None,
            commission=commission,
            name=name,
            category=category,
            position=position,
            unit=unit,
        )
    seat = institutions.tribunal_add(
        by=None,
        commission=commission,
        name="历下区仲裁院第一仲裁庭",
        kind=Tribunal.Kind.SEAT,
        address="济南市历下区龙奥西路 1 号 3 楼",
        is_active=True,
    )
    institutions.tribunal_add(
        by=None,
        commission=commission,
        name="历下区仲裁院驻齐鲁软件园派驻仲裁庭",
        kind=Tribunal.Kind.RESIDENT,
        address="齐鲁软件园 C 座 1 楼",
        is_active=True,
    )
    institutions.room_add(
        by=None,
        commission=commission,
        name="第一仲裁庭室",
        tribunal=seat,
        address="3 楼 301",
        seats=30,
        has_recording=True,
        has_online_hearing=True,
        is_active=True,
    )
    start = date(today.year - 2, 1, 1)
    end = date(today.year + 2, 12, 31)
    cast = [
        _person(
            commission,
            name="李明远",
            kind=K.ARBITRATOR,
            sex="male",
            id_body="37010219780412003",
            employment=E.FULL_TIME,
            starts_on=start,
            ends_on=end,
            user="lixia_arbitrator",
            qualification_route="hr_or_union",
            qualification_evidence="人力资源管理工作证明（2003—2016）",
            specialties="劳动合同解除、经济补偿",
        ),
        _person(
            commission,
            name="陈雪梅",
            kind=K.ARBITRATOR,
            sex="female",
            id_body="37010219820923004",
            employment=E.FULL_TIME,
            starts_on=start,
            ends_on=end,
            user="lixia_arbitrator2",
            qualification_route="former_judge",
            qualification_evidence="原历下区人民法院审判员任职文件",
            specialties="工伤待遇、社会保险",
        ),
        _person(
            commission,
            name="刘志强",
            kind=K.ARBITRATOR,
            sex="male",
            id_body="37010219751130005",
            employment=E.FULL_TIME,
            starts_on=start,
            ends_on=end,
            user="lixia_arbitrator3",
            qualification_route="hr_or_union",
            qualification_evidence="工会工作证明（2005—2015）",
            specialties="集体争议",
        ),
        _person(
            commission,
            name="孙海燕",
            kind=K.ARBITRATOR,
            sex="female",
            id_body="37010219800614006",
            employment=E.PART_TIME,
            starts_on=start,
            ends_on=end,
            unit="山东泉城律师事务所",
            qualification_route="lawyer",
            qualification_evidence="律师执业证 13701200810000001",
            specialties="劳务派遣、竞业限制",
        ),
        _person(
            commission,
            name="周文博",
            kind=K.ARBITRATOR,
            sex="male",
            id_body="37010219700228007",
            employment=E.PART_TIME,
            starts_on=start,
            ends_on=end,
            unit="山东大学法学院",
            qualification_route="legal_research",
            qualification_evidence="副教授职称证书",
            specialties="劳动法理论",
        ),
        _person(
            commission,
            name="杨静",
            kind=K.RECORDER,
            sex="female",
            id_body="37010219950305008",
            employment=E.FULL_TIME,
            starts_on=start,
            user="lixia_clerk",
        ),
        _person(
            commission,
            name="马晓丽",
            kind=K.CASE_ASSISTANT,
            sex="female",
            id_body="37010219970817009",
            employment=E.FULL_TIME,
            starts_on=start,
        ),
    ]
    for person, hours in zip(cast[:5], (42, 36, 48, 16, 24), strict=True):
        people.training_add(
            by=None,
            person=person,
            completed_on=date(today.year - 1, 11, 20),
            hours=Decimal(hours),
            course="全省劳动人事争议仲裁员业务培训班",
            provider="山东省人力资源和社会保障厅",
        )
        people.assessment_record(
            by=None,
            person=person,
            year=today.year - 1,
            result=(
                AnnualAssessment.Result.EXCELLENT if hours >= 40 else AnnualAssessment.Result.PASS
            ),
        )
    mediation = Organisation.objects.filter(
        division_id=LIXIA, type=Organisation.Type.MEDIATION_ORGANISATION
    ).first()
    if mediation is not None:
        institutions.mediation_organisation_update(
            by=None,
            organisation=mediation,
            kind=MediationDetail.Kind.ARBITRATION_CENTRE,
            area="历下区各街道",
            address="济南市历下区龙奥西路 1 号 1 楼",
        )
        _person(mediation, name="赵春兰", kind=K.MEDIATOR, sex="female",
                id_body="37010219681009010", employment=E.FULL_TIME, starts_on=start,
                user="lixia_mediator")  # fmt: skip
    return cast


def _licheng(today: date) -> None:
    commission = _commission(LICHENG)
    institutions.commission_detail_update(
        by=None,
        commission=commission,
        seat_address="济南市历城区山大南路 1 号",
        established_on=None,
    )
    for name, category, position in (
        ("郭建华", M.Category.LABOR_ADMINISTRATION, M.Position.CHAIR),
        ("韩梅", M.Category.UNION, M.Position.MEMBER),
        ("冯涛", M.Category.EMPLOYER, M.Position.MEMBER),
    ):
        institutions.member_add(
            by=None, commission=commission, name=name, category=category, position=position,
            unit="",
        )  # fmt: skip
    start = date(today.year - 1, 7, 1)
    _person(commission, name="徐峰", kind=K.ARBITRATOR, sex="male",
            id_body="37011219790315011", employment=E.FULL_TIME, starts_on=start,
            user="licheng_arbitrator", qualification_route="hr_or_union",
            qualification_evidence="人力资源管理工作证明")  # fmt: skip
    _person(commission, name="高丽娟", kind=K.ARBITRATOR, sex="female",
            id_body="37011219830721012", employment=E.PART_TIME, starts_on=start,
            unit="济南市历城区总工会", qualification_route="hr_or_union",
            qualification_evidence="工会工作证明")  # fmt: skip
    _person(commission, name="许磊", kind=K.RECORDER, sex="male",
            id_body="37011219960101013", employment=E.FULL_TIME, starts_on=start)  # fmt: skip
    institutions.tribunal_add(
        by=None,
        commission=commission,
        name="历城区仲裁院巡回仲裁庭",
        kind=Tribunal.Kind.CIRCUIT,
        address="历城区各街道",
        is_active=True,
    )


def _contact(code: str, *, address: str, postcode: str, phone: str, office_hours: str) -> None:
    """What the public pages show: the counter's address, phone and hours (if none yet)."""
    profile = profile_of(_commission(code))
    values = {
        "address": address,
        "postcode": postcode,
        "phone": phone,
        "office_hours": office_hours,
    }
    changed = [name for name, value in values.items() if not getattr(profile, name)]
    for name in changed:
        setattr(profile, name, values[name])
    if changed:
        profile.save(update_fields=changed)


def is_loaded() -> bool:
    return Person.objects.filter(organisation__division_id=LIXIA).exists()


@transaction.atomic
def load_demo_institutions() -> bool:
    """Load once, after ``load_demo``. Returns False if it was already there."""
    if is_loaded():
        return False
    today = timezone.localdate()
    cast = _lixia(today)
    _licheng(today)
    hours = "周一至周五 9:00—12:00，13:30—17:00（法定节假日除外）"
    _contact(LIXIA, address="济南市历下区龙奥西路 1 号 1 楼", postcode="250101",
             phone="0531-66608000", office_hours=hours)  # fmt: skip
    _contact(LICHENG, address="济南市历城区山大南路 1 号", postcode="250100",
             phone="0531-88160000", office_hours=hours)  # fmt: skip
    # Lixia's last quarter: submitted by the county, reviewed by Jinan, approved by the province.
    lixia = _commission(LIXIA)
    accounts = {
        u.username: u
        for u in User.objects.filter(username__in=["lixia_admin", "jinan_admin", "province_admin"])
    }
    previous, current = verification.submittable_quarters(today)
    submission = verification.quarter_submit(
        by=accounts["lixia_admin"], commission=lixia, year=previous[0], quarter=previous[1]
    )
    verification.quarter_decide(
        by=accounts["jinan_admin"], submission=submission, outcome="forwarded"
    )
    verification.quarter_decide(
        by=accounts["province_admin"], submission=submission, outcome="approved"
    )
    # Since then: a new part-time arbitrator, a changed unit, a new hearing room.
    _person(lixia, name="吴建平", kind=K.ARBITRATOR, sex="male",
            id_body="37010219660505014", employment=E.PART_TIME, starts_on=today,
            unit="济南市历下区企业联合会", qualification_route="hr_or_union",
            qualification_evidence="人力资源管理工作证明（1998—2010）")  # fmt: skip
    people.person_update(by=None, person=cast[3], values={"unit": "北京德和衡（济南）律师事务所"})
    institutions.room_add(
        by=None,
        commission=lixia,
        name="调解室",
        tribunal=None,
        address="1 楼 105",
        seats=8,
        has_recording=True,
        has_online_hearing=False,
        is_active=True,
    )
    verification.quarter_submit(
        by=accounts["lixia_admin"], commission=lixia, year=current[0], quarter=current[1]
    )
    return True

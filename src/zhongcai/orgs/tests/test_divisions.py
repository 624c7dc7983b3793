import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhongcai.orgs.divisions import DivisionImportError, import_divisions
from zhongcai.orgs.models import Division, Organisation

T = Organisation.Type


@pytest.mark.django_db
def test_shandong_has_its_province_cities_and_counties(province):
    assert Division.objects.count() == 153
    assert Division.objects.filter(level="prefecture").count() == 16
    assert Division.objects.filter(level="county").count() == 136


@pytest.mark.django_db
def test_every_division_has_a_department_a_commission_and_an_institute(province):
    for org_type in (T.HRSS_DEPARTMENT, T.COMMISSION, T.ARBITRATION_INSTITUTE):
        assert Organisation.objects.filter(type=org_type).count() == 153


@pytest.mark.django_db
def test_bodies_are_named_as_the_public_knows_them(province):
    names = set(Organisation.objects.filter(division_id="370102").values_list("name", flat=True))
    assert {
        "济南市历下区人力资源和社会保障局",
        "济南市历下区劳动人事争议仲裁委员会",
        "济南市历下区劳动人事争议仲裁院",
    } <= names
    assert Organisation.objects.get(division_id="370000", type=T.HRSS_DEPARTMENT).name == (
        "山东省人力资源和社会保障厅"
    )
    # A county-level city keeps its own name.
    assert Organisation.objects.get(division_id="370781", type=T.COMMISSION).name == (
        "青州市劳动人事争议仲裁委员会"
    )


@pytest.mark.django_db
def test_the_tree_follows_the_divisions(province):
    jinan = Organisation.objects.get(division_id="370100", type=T.HRSS_DEPARTMENT)
    under_jinan = Organisation.objects.filter(path__startswith=jinan.path)
    assert under_jinan.filter(division_id="370102", type=T.ARBITRATION_INSTITUTE).exists()
    assert not under_jinan.filter(division_id="370202").exists()  # Qingdao's Shinan
    institute = Organisation.objects.get(division_id="370102", type=T.ARBITRATION_INSTITUTE)
    assert institute.parent.type == T.COMMISSION
    assert institute.parent.parent.type == T.HRSS_DEPARTMENT
    assert institute.is_within(jinan)
    assert not jinan.is_within(institute)


@pytest.mark.django_db
def test_importing_again_changes_nothing(province):
    before = Organisation.objects.count()
    call_command("import_divisions")
    assert Organisation.objects.count() == before
    assert Division.objects.count() == 153


@pytest.mark.django_db
def test_a_renamed_division_is_updated(province):
    import_divisions("code,name,level,parent_code\n370102,历下新区,county,370100\n")
    assert Division.objects.get(code="370102").name == "历下新区"


BAD_FILES = {
    "wrong header": ("code;name\n370000;山东省\n", "表头"),
    "short code": ("code,name,level,parent_code\n37000,山东省,province,\n", "6 位数字"),
    "unknown level": ("code,name,level,parent_code\n370000,山东省,state,\n", "未知层级"),
    "orphan": ("code,name,level,parent_code\n379900,某县,county,379800\n", "既不在文件中"),
    "wrong parent level": (
        "code,name,level,parent_code\n379901,某县,county,370000\n",
        "上级必须是",
    ),
    "duplicate": (
        "code,name,level,parent_code\n379901,甲,prefecture,370000\n379901,乙,prefecture,370000\n",
        "已出现",
    ),
    "empty": ("", "文件为空"),
}


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_whole_with_a_chinese_message(province, tmp_path, case):
    text, expected = BAD_FILES[case]
    path = tmp_path / "divisions.csv"
    path.write_text(text, encoding="utf-8")
    before = (Division.objects.count(), Organisation.objects.count())
    with pytest.raises(CommandError) as exc:
        call_command("import_divisions", str(path))
    assert expected in str(exc.value)
    assert "未导入任何数据" in str(exc.value)
    assert (Division.objects.count(), Organisation.objects.count()) == before


@pytest.mark.django_db
def test_every_error_of_a_file_is_listed(province):
    text = "code,name,level,parent_code\n37000,,state,\n3799,乙,county,1\n"
    with pytest.raises(DivisionImportError) as exc:
        import_divisions(text)
    assert len(exc.value.errors) >= 4


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_divisions", str(tmp_path / "nope.csv"))


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("code,name,level,parent_code\n370000,山东省,province,\n".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_divisions", str(path))

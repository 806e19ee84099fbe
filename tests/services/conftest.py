import pytest

from baocao_desktop.templates.model import parse_template

MINI_TEMPLATE = """
code: mini_tuan
version: 1
name: Báo cáo tuần thử
period: week
summary: "Khái quát tình hình từ ngày {start_dm} đến ngày {end}"
closing: "Trên đây là báo cáo của {unit_name}./."
recipients: ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng."]
indicators:
  - {code: lua, label: Diện tích lúa mùa, unit: ha, kind: area, plan: true, range: [0, 5000],
     sentence: "Diện tích lúa mùa thực hiện đạt {actual}/{plan} {unit}, bằng {percent}% kế hoạch"}
  - {code: thu_ns, label: Thu ngân sách trên địa bàn, unit: triệu đồng, kind: money, cumulative: true,
     range: [0, 100000], sentence: "Trong tuần, thu ngân sách trên địa bàn đạt {actual} {unit}; lũy kế từ đầu năm đạt {cumulative} {unit}"}
  - {code: thu_nsdp, label: Thu ngân sách địa phương, unit: triệu đồng, kind: money, actual: false, cumulative: true}
sections:
  - number: "I."
    title: KẾT QUẢ
    children:
      - {number: "1.", title: Nông nghiệp, required: true, indicators: [lua], guidance: "Nêu diện tích."}
      - {number: "2.", title: Ngân sách, indicators: [thu_ns, thu_nsdp]}
  - {number: "II.", title: PHƯƠNG HƯỚNG, required: true}
"""


@pytest.fixture
def mini(workspace):
    workspace.install_template(parse_template(MINI_TEMPLATE, origin="mini"))
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Lùng Phình",
                        symbol="ĐU", founded_on="2025-07-01")
    workspace.set_signers([{"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Giàng A Lử"}])
    return workspace

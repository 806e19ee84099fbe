"""Version 2 of the mini weekly template (MINI_TEMPLATE in tests/services/conftest.py): the same report kind reorganised,
so that matching by position would put content in the wrong place."""
from baocao_desktop.templates.model import parse_template

# I. is new (intro figures from the profile); the old I. KẾT QUẢ is now II. with its two sub-sections
# swapped and "Nông nghiệp" renamed; thu_nsdp is dropped; "PHƯƠNG HƯỚNG" became "NHIỆM VỤ TUẦN TỚI".
MINI_V2 = """
code: mini_tuan
version: 2
name: Báo cáo tuần thử
period: week
summary: "Khái quát tình hình từ ngày {start_dm} đến ngày {end}"
closing: "Trên đây là báo cáo của {unit_name}./."
recipients: ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng."]
indicators:
  - {code: dan_so, label: Dân số, unit: người, kind: count, profile_fact: dan_so}
  - {code: dien_tich_tu_nhien, label: Diện tích tự nhiên, unit: ha, kind: area, profile_fact: dien_tich_tu_nhien}
  - {code: lua, label: Diện tích lúa mùa, unit: ha, kind: area, plan: true, range: [0, 5000]}
  - {code: thu_ns, label: Thu ngân sách trên địa bàn, unit: triệu đồng, kind: money, cumulative: true}
sections:
  - {number: "I.", title: TÌNH HÌNH CHUNG, code: tinh_hinh, indicators: [dan_so, dien_tich_tu_nhien]}
  - number: "II."
    title: KẾT QUẢ
    children:
      - {number: "1.", title: Ngân sách, indicators: [thu_ns]}
      - {number: "2.", title: "Nông nghiệp, lâm nghiệp", indicators: [lua]}
  - {number: "III.", title: NHIỆM VỤ TUẦN TỚI}
"""


def install_v2(ws):
    ws.install_template(parse_template(MINI_V2, origin="mini v2"))


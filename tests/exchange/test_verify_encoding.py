"""Verifying a received report encodes its figures, texts and tables once for both its content digest and
its seal (exchange.content.SharedEncoding): the hashed and signed bytes must stay exactly what every earlier
version of the program made, or files already sent (and older senders' files) would no longer verify."""
import copy
import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest

from baocao_desktop.domain.dates import Period
from baocao_desktop.domain.model import Report
from baocao_desktop.exchange.content import SharedEncoding, digest_of, report_from_content, signed_content


def base_content(**over) -> dict:
    content = {
        "report_id": "r-1", "unit_id": "u-1",
        "template": {"code": "bc_tuan", "version": 3, "sha256": "ab" * 32},
        "period": {"kind": "week", "start": "2026-06-01", "end": "2026-06-07"},
        "header": {"number": "12", "report_date": "2026-06-07", "place": "Lùng Phình", "basis": "Căn cứ \"A\"",
                   "signer_id": "s-1", "recipients": ["Ban Thường vụ", "Lưu"], "subject": None, "closing": None,
                   "signed_by": None},
        "signer": {"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Nguyễn Văn A"},
        "status": "signed", "content_hash": "x", "signature": "sig", "signature_key": "k",
        "signed_at": "2026-06-07T10:00:00+07:00", "created_at": "2026-06-01T08:00:00+07:00",
        "updated_at": "2026-06-07T09:00:00+07:00",
        "values": {"lua": {"actual": "300.50", "plan": "400"}, "kham": {"actual": "1e3", "previous": None},
                   "rong": {}},
        "texts": {"I.1": "Tình hình <b>ổn định</b>.\nDòng \"hai\"\t\\ tab", "I.2": "", "II": "Văn bản ✓ \u0001"},
        "tables": {"bang": {"r1": {"c1": "5", "c2": None}, "r2": {}}, "trong": {}},
        "justifications": {"lua.actual": {"reason": "Mưa lớn", "author": "xa", "created_at": "t"},
                           "k2": {"reason": None}},
    }
    content.update(over)
    return content


def variants() -> list[dict]:
    """Contents that exercise each part both documents cover and each difference between them."""
    plain = base_content()
    document = base_content(header={**plain["header"], "subject": "Báo cáo tuần", "closing": "Trân trọng.",
                                     "signed_by": ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn A"]})
    rows = base_content(table_rows={"bang": {"r1": "Dòng một", "x_them": "Thêm"}, "rong": {}})
    unsigned = base_content(status="draft", signature=None, texts={}, values={}, tables={})
    no_date = base_content(header={**plain["header"], "report_date": None, "recipients": []})
    return [plain, document, rows, unsigned, no_date, copy.deepcopy(plain)]


# (content digest, SHA-256 of the signed content) of each variant, as the program made them before the
# shared encoding existed
GOLDEN = [
    ("eb55cee61a0e27918ba072f1628cb9294e39faef4ef4b6158cf85a7757b41608",
     "d96c8c69d27e6a7f34342972b6f6d7bee7fdfa0f99b1cdfa1ce0f0a18c3c4da4"),
    ("5b5e3e16ec17bd9b9722735572b8f50ed1d66a1ce6ceb75c8a342b460c5f365d",
     "db2fc49a5a5849e9055165c9c076e5652943233c24625aace98e4d637f9d8136"),
    ("2a745c2554ffc8de568043e92cbdc9e22902544a2d4f3f15aa018a91d3192f7e",
     "67b3833d7fba8ee0a50913247e18598e846395503c06894ef10c47da5ab25e35"),
    ("961599007cd4ac3ecc198fa8370cbbfe3853deaff60366df593cd53be3ef6e8a",
     "5bee2ba524b3443bd5d9a88f05991fc9e39c86814e2e6489727dd1956eecfdf0"),
    ("6df2c11080d6686e5c9a533a8842d02825604c21c6a20012b0e6d5e9d8306ce3",
     "00cc6fa3eeacd0d5429916438c72e532373cdd034a9bfcee1fbadaa70d9cb857"),
    ("eb55cee61a0e27918ba072f1628cb9294e39faef4ef4b6158cf85a7757b41608",
     "d96c8c69d27e6a7f34342972b6f6d7bee7fdfa0f99b1cdfa1ce0f0a18c3c4da4"),
]


@pytest.mark.parametrize("index", range(len(GOLDEN)))
def test_digest_and_seal_bytes_are_the_ones_made_before(index):
    content = variants()[index]
    report = report_from_content(content)
    shared = SharedEncoding()
    assert (digest_of(report, shared), hashlib.sha256(signed_content(content, report, shared)).hexdigest()) \
        == GOLDEN[index]
    # each alone, as signing at the commune makes them
    assert (report.content_digest(), hashlib.sha256(signed_content(content)).hexdigest()) == GOLDEN[index]


def test_a_part_that_differs_between_the_two_documents_is_encoded_for_each():
    """The digest keeps an indicator or table without figures, the signed content leaves it out: such a
    part must not be taken from the other document."""
    report = Report("r-1", "u-1", "bc_tuan", 3, Period("week", dt.date(2026, 6, 1), dt.date(2026, 6, 7)),
                    values={"lua": {"actual": Decimal("3")}, "rong": {}},
                    tables={"bang": {"r1": {"c1": Decimal("5")}, "r2": {}}, "trong": {"r": {}}},
                    texts={"I": "a", "II": ""})
    content = base_content()
    shared = SharedEncoding()
    assert digest_of(report, shared) == report.content_digest()
    signed = signed_content(content, report, shared)
    assert signed == signed_content(content, report)
    document = json.loads(signed)
    assert document["values"] == {"lua": {"actual": "3"}}
    assert document["tables"] == {"bang": {"r1": {"c1": "5"}}}
    assert document["texts"] == {"I": "a", "II": ""}  # the signed content keeps what the report holds


def test_shared_encoding_is_json_dumps():
    document = {"b": {"y": [1, None, "ổ\n\"\\"], "x": 2.5}, "a": "ư\u2028\x7f", "values": {"k": {"f": "1"}}}
    expected = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    shared = SharedEncoding()
    assert shared.encode(document) == expected
    assert shared.encode(copy.deepcopy(document)) == expected  # the part taken from the first
    changed = {**document, "values": {"k": {"f": "2"}}}
    assert shared.encode(changed) == json.dumps(changed, ensure_ascii=False, sort_keys=True,
                                                separators=(",", ":")).encode("utf-8")


def test_payload_hash_of_template_rows_is_their_canonical_json_each_time():
    """Template rows are the same in every file of a batch, so their encoding is kept; it must be taken only
    for rows that encode alike: 3 and 3.0 are equal but encode differently, and rows changed after hashing
    must not change what the kept encoding stands for."""
    from baocao_desktop.exchange.bundle import payload_sha256

    def direct(rows):
        text = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(b"\x00table templates\n" + text.encode("utf-8")).hexdigest()

    source = "mẫu: báo cáo tuần\n" * 1000
    row = {"id": "t1", "code": "bc_tuan", "version": 3, "source": source, "sha256": "x"}
    as_float = {**row, "version": 3.0}
    for rows in ([row], [as_float], [dict(row)], [as_float], [row, as_float]):
        assert payload_sha256(["templates"], {"templates": rows}) == direct(rows)
    hashed = [dict(row)]
    first = payload_sha256(["templates"], {"templates": hashed})
    hashed[0]["source"] = source + "đổi"
    assert payload_sha256(["templates"], {"templates": hashed}) == direct(hashed) != first

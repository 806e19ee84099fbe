import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from baocao_desktop.domain import richtext
from baocao_desktop.domain.richtext import Footnote, Run


def test_parse_formatting_and_footnotes():
    paragraphs = richtext.parse("Lúa **mùa** *đạt* __tốt__[^Chú thích **một**\nđoạn hai]\nĐoạn 2")
    assert len(paragraphs) == 2
    first = paragraphs[0]
    assert first[1] == Run("mùa", bold=True)
    assert first[3] == Run("đạt", italic=True)
    assert first[5] == Run("tốt", underline=True)
    note = first[6]
    assert isinstance(note, Footnote)
    assert note.plain_text() == "Chú thích một\nđoạn hai"
    assert note.paragraphs[0][1] == Run("một", bold=True)
    assert richtext.plain_text("a[^b]c") == "ac"
    assert richtext.plain_text("a[^b]c", with_footnotes=True) == "a (b)c"


def test_escapes_and_nfc():
    nfd = unicodedata.normalize("NFD", "Lùng Phình 5\\*3")
    paragraphs = richtext.parse(nfd)
    assert paragraphs[0][0].text == "Lùng Phình 5*3"
    assert unicodedata.is_normalized("NFC", paragraphs[0][0].text)
    assert richtext.serialize(paragraphs) == "Lùng Phình 5\\*3"
    assert richtext.is_empty("  \n ") and not richtext.is_empty("[^chỉ chú thích]")


# Vietnamese letters, digits and every markup character (so escaping is exercised); all NFC-stable.
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐ 0123456789.,;:%/-()*_[]^\\"
runs = st.builds(Run, st.text(alphabet=ALPHABET, min_size=1, max_size=8),
                 st.booleans(), st.booleans(), st.booleans())
footnotes = st.builds(lambda ps: Footnote(tuple(tuple(p) for p in ps)),
                      st.lists(st.lists(runs, min_size=1, max_size=3), min_size=1, max_size=2))
paragraphs = st.lists(st.lists(st.one_of(runs, runs, footnotes), min_size=1, max_size=5), min_size=1, max_size=3)


@given(paragraphs)
def test_serialize_parse_round_trip(paras):
    markup = richtext.serialize([tuple(p) for p in paras])
    again = richtext.serialize(richtext.parse(markup))
    assert again == markup
    assert richtext.plain_text(richtext.serialize(richtext.parse(markup)), True) == richtext.plain_text(markup, True)

"""The CSV reader over the shapes real spreadsheets write, and a round-trip property."""

import codecs
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.imports.csv_parser import CsvProblem, parse_contacts_csv, split_tags

ROWS = [["Ada Lovelace", "ada@example.com", "math; engines"], ["Zoë Ørsted", "zoe@example.dk", "design|ux"]]


def _write(header, rows, dialect="excel", **fmt) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect=dialect, **fmt)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _names(parsed):
    return [(r.name, r.email, split_tags(r.tags)) for r in parsed.rows]


EXPECTED = [
    ("Ada Lovelace", "ada@example.com", ["math", "engines"]),
    ("Zoë Ørsted", "zoe@example.dk", ["design", "ux"]),
]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("cp1252", b""),
    ],
)
@pytest.mark.parametrize(("dialect", "fmt"), [("excel", {}), ("excel-tab", {}), ("excel", {"delimiter": ";"})])
def test_encodings_and_delimiters(encoding, bom, dialect, fmt):
    data = bom + _write(["Name", "Email", "Tags"], ROWS, dialect, **fmt).encode(encoding)
    parsed = parse_contacts_csv(data)
    assert _names(parsed) == EXPECTED
    assert parsed.delimiter == {"excel-tab": "\t"}.get(dialect, fmt.get("delimiter", ","))


def test_aliases_any_order_extra_and_trailing_columns():
    text = "Skills,Phone,E-mail Address,Full Name,,\r\nux;ui,123,a@b.example,Ann,,\r\n"
    parsed = parse_contacts_csv(text.encode())
    assert _names(parsed) == [("Ann", "a@b.example", ["ux", "ui"])]


def test_quoted_fields_with_delimiters_quotes_and_newlines_and_blank_lines():
    text = 'name,email,tags\r\n\r\n"Smith, John ""JJ""",john@x.example,"a,b"\r\n\r\n"Multi\nLine",m@x.example,c\r\n'
    parsed = parse_contacts_csv(text.encode())
    assert _names(parsed) == [('Smith, John "JJ"', "john@x.example", ["a", "b"]), ("Multi\nLine", "m@x.example", ["c"])]
    assert [r.line for r in parsed.rows] == [3, 5]


def test_parse_rows_multiline_cells_numbered_as_spreadsheet_rows():
    text = 'name,email,tags\r\n"Ann\r\nAnders",a@x.example,"rust\nwasm"\r\nBo,b@x.example,\r\n\r\n"C\nD\nE",c@x.example,\r\nF,f@x.example,\r\n'
    parsed = parse_contacts_csv(text.encode())
    assert [(r.line, r.email) for r in parsed.rows] == [
        (2, "a@x.example"),
        (3, "b@x.example"),
        (5, "c@x.example"),
        (6, "f@x.example"),
    ]


def test_parse_rows_unterminated_quote_names_spreadsheet_row():
    text = 'name,email\r\n"A\nB",a@x.example\r\n"Open,o@x.example\r\nNext,n@x.example\r\n'
    with pytest.raises(CsvProblem, match="Row 3 ") as raised:
        parse_contacts_csv(text.encode())
    assert raised.value.code == "unterminated_quote"


@pytest.mark.parametrize(
    ("cell", "tags"),
    [("Rust\nWASM", ["Rust", "WASM"]), ("a\r\nb;c", ["a", "b", "c"]), ("x\r\r\ny | z", ["x", "y", "z"])],
)
def test_split_tags_line_breaks_separate(cell, tags):
    assert split_tags(cell) == tags


def test_mixed_line_endings_and_missing_cells():
    parsed = parse_contacts_csv(b"email,name\nx@y.example\r\nz@y.example,Zed\r")
    assert _names(parsed) == [("", "x@y.example", []), ("Zed", "z@y.example", [])]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"first,last\nAda,Lovelace\n", "No email column"),
        (b",,,\n,,\n", "no rows"),
    ],
)
def test_not_a_contacts_csv(data, message):
    with pytest.raises(CsvProblem, match=message):
        parse_contacts_csv(data)


def test_header_only_file_has_no_rows():
    assert parse_contacts_csv(b"Name,Email,Tags\r\n").rows == []


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.strip)
tag = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs"), blacklist_characters=";,|"), min_size=1, max_size=10
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(cell, cell.filter(bool), st.lists(tag, max_size=4)), min_size=1, max_size=20),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_csv_the_csv_module_writes_round_trips(rows, delimiter, encoding):
    text = _write(["Name", "Email", "Tags"], [[n, e, "; ".join(t)] for n, e, t in rows], delimiter=delimiter)
    parsed = parse_contacts_csv(text.encode(encoding))
    expected = [(n, e, t) for n, e, t in rows if n or e or t]
    assert _names(parsed) == expected

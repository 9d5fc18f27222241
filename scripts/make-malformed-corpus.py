#!/usr/bin/python3
"""Writes tests/fixtures/malformed/: one broken table per file plus EXPECTED.tsv, which maps
each file to a substring its error message must contain (naming the place at fault).
Standard library only; deterministic output. Usage: scripts/make-malformed-corpus.py"""
import io
import os
import struct
import warnings
import zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures",
                   "malformed")
EXPECTED = []

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def put(name, data, expected, check=False):
    """check=True: the table reads fine and task building must refuse it."""
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    EXPECTED.append((name, expected, check))


def cell(ref, text):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)


HEADER_ROW = '<row r="1">%s%s</row>' % (cell("A1", "name"), cell("B1", "lr"))


def sheet(rows, head=""):
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet %s>%s<sheetData>%s</sheetData>'
            "</worksheet>" % (NS, head, rows))


def xlsx_parts(sheet_xml, rid="rId1", sheets=True, shared=None):
    workbook = ('<workbook %s xmlns:r="%s"><sheets>%s</sheets></workbook>' %
                (NS, REL, '<sheet name="Sheet1" sheetId="1" r:id="%s"/>' % rid if sheets else ""))
    rels = ('<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/worksheet" '
            'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="%s/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>' % (PKG, REL, REL))
    root = ('<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>' % (PKG, REL))
    parts = {"[Content_Types].xml": "<Types/>", "_rels/.rels": root, "xl/workbook.xml": workbook,
             "xl/_rels/workbook.xml.rels": rels}
    if sheet_xml is not None:
        parts["xl/worksheets/sheet1.xml"] = sheet_xml
    if shared is not None:
        parts["xl/sharedStrings.xml"] = '<sst %s>%s</sst>' % (NS, shared)
    return parts


def zip_bytes(parts, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            z.writestr(info, data if isinstance(data, bytes) else data.encode())
    return buf.getvalue()


def claim_size(data, entry, size):
    """Rewrites the uncompressed size that the central directory and local header claim."""
    data = bytearray(data)
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len] == entry.encode():
            struct.pack_into("<I", data, pos + 24, size)
            local = struct.unpack_from("<I", data, pos + 42)[0]
            struct.pack_into("<I", data, local + 22, size)
        pos += 4
    return bytes(data)


def csv_cases():
    put("csv_unterminated_quote.csv", 'name,lr\na,"0.1\nb,2\n',
        "csv_unterminated_quote.csv:2:2: column 'lr': unterminated quoted field")
    put("csv_duplicate_column.csv", "name,lr,lr\na,1,2\n",
        "csv_duplicate_column.csv:1:3: column 'lr': duplicate column name")
    put("csv_empty_header.csv", "name,,lr\na,1,2\n", "csv_empty_header.csv:1:2: empty")
    put("csv_too_many_fields.csv", "a,b\n1,2\n1,2,3\n",
        "csv_too_many_fields.csv:3:3: more fields than the header")
    put("csv_invalid_utf8.csv", b"name,lr\nok,1\nbad\xff,2\n",
        "csv_invalid_utf8.csv:3:1: column 'name': invalid UTF-8")
    put("csv_invalid_utf8_header.csv", b"name,l\xe9r\n1,2\n",
        "csv_invalid_utf8_header.csv:1:2: header name is not valid UTF-8")
    put("csv_overlong_utf8.csv", b"name\n\xc0\xaf\n", "csv_overlong_utf8.csv:2:1: column 'name'")
    put("csv_surrogate_utf8.csv", b"name\nx\n\xed\xa0\x80\n", "csv_surrogate_utf8.csv:3:1")
    put("csv_quote_junk.csv", 'a,b\n"x"y,1\n',
        "csv_quote_junk.csv:2:1: column 'a': unexpected character after a closing quote")
    put("csv_empty.csv", b"", "csv_empty.csv: empty file")
    put("csv_bom_only.csv", b"\xef\xbb\xbf", "csv_bom_only.csv: empty file")
    put("csv_binary_garbage.csv", bytes(range(256)) * 2, "csv_binary_garbage.csv:1:")
    put("csv_zip_bytes.csv", zip_bytes(xlsx_parts(sheet(HEADER_ROW))), "csv_zip_bytes.csv:1:")


def json_cases():
    put("json_not_array.json", '{"name": "a"}', "json_not_array.json:1:1: a JSON "
        "table must be an array")
    put("json_string_top.json", '"tasks"', "must be an array of objects")
    put("json_element_not_object.json", '[{"a": 1},\n 2]',
        "json_element_not_object.json:2:2: element 2: array element is not")
    put("json_nested_object.json", '[{"name": "a", "cfg": {"x": 1}}]',
        ":1:23: column 'cfg': nested objects are not allowed")
    put("json_nested_array.json", '[{"name": "a"}, {"seeds": [1, 2]}]',
        ":1:27: column 'seeds': arrays are not allowed")
    put("json_invalid_utf8.json", b'[{"name": "a\xff"}]',
        "json_invalid_utf8.json:1:13: column 'name': invalid UTF-8")
    put("json_truncated.json", '[{"a": 1}, {"b"', "column 'b'")
    put("json_empty.json", b"", "json_empty.json: empty file")
    put("json_duplicate_key.json", '[{"a": 1, "a": 2}]', ":1:16: column 'a': "
        "duplicate key")
    put("json_trailing_garbage.json", '[{"a": 1}] [', ":1:12: unexpected text after")
    put("json_bad_number.json", '[{"a": 1.}]', ":1:8: column 'a': invalid number")
    put("json_control_char.json", '[{"a": "x\ty"}]', "control character in a string")


def xlsx_cases():
    good = zip_bytes(xlsx_parts(sheet(HEADER_ROW + '<row r="2">%s</row>' % cell("A2", "x"))))
    put("xlsx_truncated.xlsx", good[:len(good) // 2],
        "xlsx_truncated.xlsx: not a valid XLSX (zip) package, or it is truncated")
    put("xlsx_empty.xlsx", b"", "xlsx_empty.xlsx: empty file")
    put("xlsx_garbage.xlsx", bytes(range(256)) * 4, "not a valid XLSX (zip) package")
    put("xlsx_missing_sheet.xlsx", zip_bytes(xlsx_parts(None)),
        'first sheet "Sheet1" is missing: the package has no part xl/worksheets/sheet1.xml')
    parts = xlsx_parts(sheet(HEADER_ROW))
    del parts["xl/workbook.xml"]
    put("xlsx_missing_workbook.xlsx", zip_bytes(parts), "no workbook part xl/workbook.xml")
    put("xlsx_rels_nowhere.xlsx", zip_bytes(xlsx_parts(sheet(HEADER_ROW), rid="rId9")),
        'refers to relationship rId9, which xl/_rels/workbook.xml.rels lacks')
    put("xlsx_no_sheets.xlsx", zip_bytes(xlsx_parts(sheet(HEADER_ROW), sheets=False)),
        "the workbook (xl/workbook.xml) lists no sheets")
    parts = xlsx_parts(sheet(HEADER_ROW))
    del parts["xl/_rels/workbook.xml.rels"]
    put("xlsx_missing_rels.xlsx", zip_bytes(parts), "no part xl/_rels/workbook.xml.rels")
    put("xlsx_huge_claim.xlsx",
        claim_size(zip_bytes(xlsx_parts(sheet(HEADER_ROW))), "xl/worksheets/sheet1.xml",
                   0x80000000),
        "part xl/worksheets/sheet1.xml claims 2147483648 bytes uncompressed")
    stored = zip_bytes(xlsx_parts(sheet(HEADER_ROW + '<row r="2">%s</row>' % cell("A2", "x"))),
                       zipfile.ZIP_STORED)
    at = stored.find(b"<t>x</t>")
    put("xlsx_crc_corrupt.xlsx", stored[:at + 3] + b"y" + stored[at + 4:],
        "corrupt part xl/worksheets/sheet1.xml")
    put("xlsx_invalid_utf8.xlsx",
        zip_bytes(xlsx_parts(sheet(HEADER_ROW).encode().replace(
            b"</sheetData>", b'<row r="2"><c r="B2" t="inlineStr"><is><t>\xff</t></is></c></row>'
            b"</sheetData>"))),
        "xlsx_invalid_utf8.xlsx:2:2: column 'lr': cell B2: invalid UTF-8")
    put("xlsx_error_cell.xlsx",
        zip_bytes(xlsx_parts(sheet(HEADER_ROW + '<row r="3"><c r="B3" t="e"><v>#DIV/0!</v></c>'
                                   "</row>"))),
        "xlsx_error_cell.xlsx:3:2: column 'lr': cell B3: holds the spreadsheet error #DIV/0!")
    put("xlsx_duplicate_column.xlsx",
        zip_bytes(xlsx_parts(sheet('<row r="1">%s%s</row>' % (cell("A1", "lr"), cell("B1", "lr"))))),
        "xlsx_duplicate_column.xlsx:1:2: column 'lr': cell B1: duplicate column name")
    put("xlsx_empty_header.xlsx",
        zip_bytes(xlsx_parts(sheet('<row r="1">%s%s</row>' % (cell("A1", "a"), cell("C1", "c"))))),
        "xlsx_empty_header.xlsx:1:2: empty column name in the header (cell B1)")
    put("xlsx_cell_outside_header.xlsx",
        zip_bytes(xlsx_parts(sheet(HEADER_ROW + '<row r="2"><c r="D2"><v>1</v></c></row>'))),
        "xlsx_cell_outside_header.xlsx:2:4: cell D2 has a value but its column has no")
    put("xlsx_bad_xml.xlsx",
        zip_bytes(xlsx_parts(sheet(HEADER_ROW + '<row r="2"><c r="A2"><v>1</v></row>'))),
        'sheet "Sheet1" (xl/worksheets/sheet1.xml) invalid XML')
    put("xlsx_doctype_bomb.xlsx",
        zip_bytes(xlsx_parts('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaa">'
                             '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet %s><sheetData>'
                             '<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
                             "</sheetData></worksheet>" % NS)),
        "DOCTYPE and other declarations are not allowed")
    put("xlsx_shared_index.xlsx",
        zip_bytes(xlsx_parts(sheet(HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>5</v></c></row>'),
                             shared="<si><t>only</t></si>")),
        "xlsx_shared_index.xlsx:2:1: column 'name': cell A2: shared string index 5 is out of "
        "range")
    put("xlsx_bad_number.xlsx",
        zip_bytes(xlsx_parts(sheet(HEADER_ROW + '<row r="2"><c r="B2"><v>1,5</v></c></row>'))),
        "cell B2: invalid number 1,5")
    put("xlsx_rows_out_of_order.xlsx",
        zip_bytes(xlsx_parts(sheet(HEADER_ROW + '<row r="3"/><row r="2"/>'))),
        "has row 2 out of order")
    put("xlsx_bad_cell_ref.xlsx",
        zip_bytes(xlsx_parts(sheet(HEADER_ROW + '<row r="2"><c r="A9"><v>1</v></c></row>'))),
        'xlsx_bad_cell_ref.xlsx:2: invalid cell reference r="A9" in row 2')
    dup = io.BytesIO()
    with zipfile.ZipFile(dup, "w") as z:
        for name, data in xlsx_parts(sheet(HEADER_ROW)).items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the duplicate is the point
            z.writestr(zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2024, 1, 1, 0, 0, 0)),
                       sheet(""))
    put("xlsx_duplicate_part.xlsx", dup.getvalue(),
        "the package has two parts named xl/worksheets/sheet1.xml")
    put("xlsx_empty_sheet.xlsx", zip_bytes(xlsx_parts(sheet(""))),
        'sheet "Sheet1" (xl/worksheets/sheet1.xml) is empty')


JSON_GPUS_FRACTION = '[\n  {"lr": 0.1, "gpus": 1},\n  {"lr": 0.2, "gpus": 2.5}\n]\n'


def reserved_cases():
    """Tables that read fine but whose reserved columns task building refuses."""
    cases = [
        ("reserved_gpus_fraction.csv", "lr,gpus\n0.1,1\n0.2,1.5\n",
         "reserved_gpus_fraction.csv:3:2: column 'gpus': expected a whole number of GPUs ≥ 0 "
         "(0 = CPU only), got '1.5'"),
        ("reserved_gpus_negative.csv", "lr,gpus\n0.1,-1\n",
         "reserved_gpus_negative.csv:2:2: column 'gpus'"),
        ("reserved_gpus_text.csv", "gpus,lr\nmany,1\n", "reserved_gpus_text.csv:2:1: column 'gpus'"),
        ("reserved_gpus_overflow.csv", "lr,gpus\n1,99999999999999999999\n",
         "reserved_gpus_overflow.csv:2:2: column 'gpus'"),
        ("reserved_run_num_negative.csv", "lr,run_num\n1,-2\n",
         "reserved_run_num_negative.csv:2:2: column 'run_num'"),
        ("reserved_need_run_num_text.csv", "need_run_num,lr\nthree,1\n",
         "reserved_need_run_num_text.csv:2:1: column 'need_run_num'"),
        ("reserved_min_mem_unit.csv", "lr,min_mem\n1,8GB\n",
         "reserved_min_mem_unit.csv:2:2: column 'min_mem': expected a whole number of MiB ≥ 0 "
         "or auto, got '8GB'"),
        ("reserved_min_mem_negative.csv", "lr,min_mem\n1,-100\n",
         "reserved_min_mem_negative.csv:2:2: column 'min_mem'"),
        ("reserved_priority_fraction.csv", "lr,priority\n1,1.5\n",
         "reserved_priority_fraction.csv:2:2: column 'priority'"),
        ("reserved_timeout_zero.csv", "lr,timeout\n1,0\n",
         "reserved_timeout_zero.csv:2:2: column 'timeout': expected a positive number of seconds"),
        ("reserved_timeout_unit.csv", "lr,timeout\n1,1h\n",
         "reserved_timeout_unit.csv:2:2: column 'timeout'"),
        ("reserved_timeout_negative.csv", "lr,timeout\n1,-30\n",
         "reserved_timeout_negative.csv:2:2: column 'timeout'"),
        ("reserved_json_gpus_fraction.json", JSON_GPUS_FRACTION,
         "column 'gpus': expected a whole number of GPUs ≥ 0 (0 = CPU only), got '2.5'"),
    ]
    for name, data, expected in cases:
        put(name, data, expected, check=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    csv_cases()
    json_cases()
    xlsx_cases()
    put("wrong_extension.txt", "name,lr\na,1\n",
        "wrong_extension.txt: unsupported table format; use a .csv, .json or .xlsx file")
    reserved_cases()
    with open(os.path.join(OUT, "EXPECTED.tsv"), "w") as f:
        f.write("# file<TAB>substring the error message must contain[<TAB>check]. Lines "
                "without a third field must fail\n# in read_table (tests/unit/table); "
                "`check` marks tables that read fine but fail task building.\n"
                "# Made by scripts/make-malformed-corpus.py.\n")
        in_check_section = False
        for name, expected, check in EXPECTED:
            if check and not in_check_section:
                f.write("# Reserved-column cases (tasks helper): the tables read fine, task "
                        "building refuses them.\n")
                in_check_section = True
            f.write("%s\t%s%s\n" % (name, expected, "\tcheck" if check else ""))
    print("wrote %d malformed tables to %s" % (len(EXPECTED), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()

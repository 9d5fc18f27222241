#pragma once
// Builds small XLSX packages for tests, part by part, so each test states the XML it reads.
#include <zip.h>

#include <cstdlib>
#include <map>
#include <string>

namespace flowline::testing {

inline const char* kWorkbookRels =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>)";

inline const char* kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>)";

// Sheet order in the workbook: the second sheet part comes first, so tests see that order
// (not part names) decides which sheet is read.
inline const char* kWorkbook =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Tasks" sheetId="2" r:id="rId2"/><sheet name="Other" sheetId="1" r:id="rId1"/></sheets>
</workbook>)";

inline std::string sheet_xml(const std::string& rows, const std::string& extra_head = "") {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" +
         extra_head + "<sheetData>" + rows + "</sheetData></worksheet>";
}

inline std::string shared_strings_xml(const std::string& items) {
  return R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" +
         items + "</sst>";
}

using Parts = std::map<std::string, std::string>;

// A package whose first sheet (by workbook order) is xl/worksheets/sheet2.xml.
inline Parts basic_parts(const std::string& first_sheet, const std::string& shared = "") {
  Parts parts{{"[Content_Types].xml", "<Types/>"},
              {"_rels/.rels", kRootRels},
              {"xl/workbook.xml", kWorkbook},
              {"xl/_rels/workbook.xml.rels", kWorkbookRels},
              {"xl/worksheets/sheet1.xml", sheet_xml("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
                                                     "<is><t>wrong sheet</t></is></c></row>")},
              {"xl/worksheets/sheet2.xml", first_sheet},
              {"xl/styles.xml", "<styleSheet/>"}};
  if (!shared.empty()) parts["xl/sharedStrings.xml"] = shared;
  return parts;
}

inline void write_zip(const std::string& path, const Parts& parts) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (zip == nullptr) std::abort();
  for (const auto& [name, data] : parts) {
    zip_source_t* src = zip_source_buffer(zip, data.data(), data.size(), 0);
    if (src == nullptr || zip_file_add(zip, name.c_str(), src, 0) < 0) std::abort();
  }
  if (zip_close(zip) != 0) std::abort();
}

}  // namespace flowline::testing

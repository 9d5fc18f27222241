#include "table/xlsx_package.hpp"

#include <pugixml.hpp>

#include "core/utf8.hpp"
#include "table/table_error.hpp"
#include "table/xml_scanner.hpp"

namespace flowline {
namespace {

constexpr size_t kMaxPackageXmlBytes = size_t{16} << 20;

std::string_view local_name(std::string_view name) {
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

// Resolves a relationship target against the directory of the part that owns it.
std::string resolve_target(std::string_view base_dir, std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1))
                                               : std::string(base_dir) + std::string(target);
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t slash = joined.find('/', start);
    if (slash == std::string::npos) slash = joined.size();
    const std::string part = joined.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string directory_of(const std::string& part) {
  const size_t slash = part.rfind('/');
  return slash == std::string::npos ? "" : part.substr(0, slash + 1);
}

std::string rels_part_of(const std::string& part) {
  const size_t slash = part.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : part.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? part : part.substr(slash + 1);
  return dir + "_rels/" + base + ".rels";
}

Result<pugi::xml_document> load_xml(const ZipReader& zip, const std::string& part,
                                    const std::string& path) {
  Result<std::string> bytes = zip.read(part);
  if (!bytes.ok()) return bytes.error();
  // These parts are a few KB; a DOM of a huge one would cost gigabytes.
  if (bytes->size() > kMaxPackageXmlBytes) {
    return file_error(path, "part " + part + " is implausibly large (" +
                                std::to_string(bytes->size() >> 20) + " MiB)");
  }
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(bytes->data(), bytes->size());
  if (!parsed) {
    return file_error(path, "part " + part + " is not valid XML: " + parsed.description() +
                                " (byte " + std::to_string(parsed.offset) + ")");
  }
  return doc;
}

// Relationship element children of <Relationships>, whatever their prefix.
template <class Visit>
void for_each_relationship(const pugi::xml_document& rels, Visit&& visit) {
  for (const pugi::xml_node node : rels.document_element().children()) {
    if (local_name(node.name()) == "Relationship") visit(node);
  }
}

Result<std::string> find_workbook(const ZipReader& zip, const std::string& path) {
  if (!zip.contains("_rels/.rels")) return std::string("xl/workbook.xml");
  Result<pugi::xml_document> rels = load_xml(zip, "_rels/.rels", path);
  if (!rels.ok()) return rels.error();
  std::string target;
  for_each_relationship(*rels, [&](const pugi::xml_node node) {
    if (target.empty() && ends_with(node.attribute("Type").value(), "/officeDocument")) {
      target = resolve_target("", node.attribute("Target").value());
    }
  });
  if (target.empty()) target = "xl/workbook.xml";
  return target;
}

struct FirstSheet {
  std::string name;
  std::string relationship_id;
};

Result<FirstSheet> find_first_sheet(const pugi::xml_document& workbook, const std::string& part,
                                    const std::string& path) {
  for (const pugi::xml_node section : workbook.document_element().children()) {
    if (local_name(section.name()) != "sheets") continue;
    for (const pugi::xml_node sheet : section.children()) {
      if (local_name(sheet.name()) != "sheet") continue;
      FirstSheet first{sheet.attribute("name").value(), ""};
      for (const pugi::xml_attribute a : sheet.attributes()) {
        const std::string_view name = a.name();
        if (name != "id" && local_name(name) == "id") first.relationship_id = a.value();
      }
      if (first.relationship_id.empty()) {
        return file_error(
            path, "sheet \"" + first.name + "\" in " + part + " has no relationship id (r:id)");
      }
      return first;
    }
  }
  return file_error(path, "the workbook (" + part + ") lists no sheets");
}

}  // namespace

Result<XlsxPackage> open_xlsx_package(std::string_view bytes, const std::string& path) {
  XlsxPackage package;
  Result<std::unique_ptr<ZipReader>> zip = ZipReader::open(bytes, path);
  if (!zip.ok()) return zip.error();
  package.zip = std::move(*zip);
  Result<std::string> workbook_part = find_workbook(*package.zip, path);
  if (!workbook_part.ok()) return workbook_part.error();
  if (!package.zip->contains(*workbook_part)) {
    return file_error(path,
                      "not a spreadsheet: the package has no workbook part " + *workbook_part);
  }
  Result<pugi::xml_document> workbook = load_xml(*package.zip, *workbook_part, path);
  if (!workbook.ok()) return workbook.error();
  Result<FirstSheet> first = find_first_sheet(*workbook, *workbook_part, path);
  if (!first.ok()) return first.error();
  package.sheet_name = first->name;
  const std::string rels_part = rels_part_of(*workbook_part);
  Result<pugi::xml_document> rels = load_xml(*package.zip, rels_part, path);
  if (!rels.ok()) return rels.error();
  const std::string base = directory_of(*workbook_part);
  for_each_relationship(*rels, [&](const pugi::xml_node node) {
    const std::string_view type = node.attribute("Type").value();
    if (node.attribute("Id").value() == first->relationship_id) {
      package.sheet_part = resolve_target(base, node.attribute("Target").value());
    } else if (ends_with(type, "/sharedStrings")) {
      package.shared_strings_part = resolve_target(base, node.attribute("Target").value());
    }
  });
  if (package.sheet_part.empty()) {
    return file_error(path, "first sheet \"" + first->name + "\" refers to relationship " +
                                first->relationship_id + ", which " + rels_part + " lacks");
  }
  if (!package.zip->contains(package.sheet_part)) {
    return file_error(path, "first sheet \"" + first->name +
                                "\" is missing: the package has no "
                                "part " +
                                package.sheet_part);
  }
  return package;
}

Result<std::vector<std::string>> read_shared_strings(const XlsxPackage& package,
                                                     const std::string& path) {
  std::vector<std::string> strings;
  if (package.shared_strings_part.empty() || !package.zip->contains(package.shared_strings_part)) {
    return strings;
  }
  Result<std::string> xml = package.zip->read(package.shared_strings_part);
  if (!xml.ok()) return xml.error();
  XmlScanner scanner(*xml);
  int phonetic_depth = 0;  // inside <rPh>: reading aids, not part of the value
  bool in_t = false;
  auto bad = [&](const std::string& why) {
    return file_error(path, "shared strings (" + package.shared_strings_part + "), string " +
                                std::to_string(strings.size()) + ": " + why);
  };
  while (true) {
    const XmlScanner::Token token = scanner.next();
    if (token == XmlScanner::Token::kDone) break;
    if (token == XmlScanner::Token::kError) return bad(scanner.error());
    const std::string_view name = scanner.local_name();
    if (token == XmlScanner::Token::kStart) {
      if (name == "si") strings.emplace_back();
      if (name == "rPh") ++phonetic_depth;
      if (name == "t") in_t = true;
    } else if (token == XmlScanner::Token::kEnd) {
      if (name == "rPh") --phonetic_depth;
      if (name == "t") in_t = false;
      if (name == "si" && !is_valid_utf8(strings.back())) return bad("invalid UTF-8");
    } else if (in_t && phonetic_depth == 0 && !strings.empty()) {
      if (scanner.raw_text_is_cdata()) {
        strings.back() += scanner.raw_text();
      } else if (!decode_xml_text(scanner.raw_text(), strings.back())) {
        return bad("invalid XML entity");
      }
    }
  }
  return strings;
}

}  // namespace flowline

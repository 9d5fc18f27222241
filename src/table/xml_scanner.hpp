#pragma once
// A small pull tokenizer for the XML inside XLSX packages. Sheets of 100,000 rows are too
// big for a DOM (pugixml would need ~250 bytes per cell), so sheets and shared strings are
// read token by token from one buffer, without copying, and every token carries its byte
// span so the writer can splice single cells. DOCTYPEs are refused (no entity expansion).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flowline {

class XmlScanner {
 public:
  enum class Token { kStart, kEnd, kText, kDone, kError };

  explicit XmlScanner(std::string_view doc) : doc_(doc) {}

  Token next();

  // The current start/end tag: local name (prefix stripped) and the prefix with its colon.
  std::string_view local_name() const { return local_; }
  std::string_view prefix() const { return prefix_; }
  bool self_closing() const { return self_closing_; }
  // Raw (entity-encoded) value of an attribute of the current start tag, by local name.
  std::optional<std::string_view> attribute(std::string_view local) const;
  // Text or CDATA content of the current text token; raw_text_is_cdata says which.
  std::string_view raw_text() const { return text_; }
  bool raw_text_is_cdata() const { return cdata_; }
  // Byte span of the current token in the document.
  size_t token_begin() const { return begin_; }
  size_t token_end() const { return end_; }
  const std::string& error() const { return error_; }

 private:
  Token fail(std::string message);
  Token scan_markup();
  Token scan_start_tag();
  Token scan_end_tag();
  bool skip_past(std::string_view terminator);
  std::string_view scan_name();
  void split_name(std::string_view qname);

  std::string_view doc_;
  size_t pos_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
  std::string_view local_;
  std::string_view prefix_;
  std::string_view text_;
  bool cdata_ = false;
  bool self_closing_ = false;
  bool pending_end_ = false;  // a self-closing tag still owes its end token
  std::vector<std::pair<std::string_view, std::string_view>> attributes_;
  std::vector<std::string_view> open_;  // qualified names of open elements
  std::string error_;
};

// Appends raw XML text with its entities (&lt; &#65; ...) resolved; false on a bad entity.
bool decode_xml_text(std::string_view raw, std::string& out);
// Escapes text for element content or attribute values.
std::string escape_xml(std::string_view text);

}  // namespace flowline

#include "table/xml_scanner.hpp"

#include "core/utf8.hpp"

namespace flowline {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool is_name_char(char c) {
  return !is_space(c) && c != '>' && c != '/' && c != '=' && c != '<' && c != '"' && c != '\'';
}

bool parse_char_ref(std::string_view body, char32_t& cp) {
  const bool hex = body.size() > 1 && body[0] == 'x';
  const std::string_view digits = body.substr(hex ? 1 : 0);
  if (digits.empty() || digits.size() > 8) return false;
  cp = 0;
  for (const char c : digits) {
    int v = -1;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (hex && c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if (hex && c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    if (v < 0) return false;
    cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(v);
    if (cp > 0x10FFFF) return false;
  }
  return cp != 0 && !(cp >= 0xD800 && cp <= 0xDFFF);
}

}  // namespace

XmlScanner::Token XmlScanner::fail(std::string message) {
  error_ = std::move(message) + " (byte " + std::to_string(pos_) + ")";
  return Token::kError;
}

std::optional<std::string_view> XmlScanner::attribute(std::string_view local) const {
  for (const auto& [name, value] : attributes_) {
    const size_t colon = name.find(':');
    const std::string_view name_local =
        colon == std::string_view::npos ? name : name.substr(colon + 1);
    if (name_local == local) return value;
  }
  return std::nullopt;
}

XmlScanner::Token XmlScanner::next() {
  if (!error_.empty()) return Token::kError;
  if (pending_end_) {
    pending_end_ = false;
    self_closing_ = false;
    begin_ = end_;
    return Token::kEnd;
  }
  attributes_.clear();
  self_closing_ = false;
  cdata_ = false;
  begin_ = pos_;
  if (pos_ >= doc_.size()) {
    if (!open_.empty()) {
      return fail("unexpected end of XML: <" + std::string(open_.back()) + "> is not closed");
    }
    return Token::kDone;
  }
  if (doc_[pos_] == '<') return scan_markup();
  const size_t lt = doc_.find('<', pos_);
  pos_ = lt == std::string_view::npos ? doc_.size() : lt;
  text_ = doc_.substr(begin_, pos_ - begin_);
  end_ = pos_;
  return Token::kText;
}

bool XmlScanner::skip_past(std::string_view terminator) {
  const size_t at = doc_.find(terminator, pos_);
  if (at == std::string_view::npos) return false;
  pos_ = at + terminator.size();
  return true;
}

XmlScanner::Token XmlScanner::scan_markup() {
  const std::string_view rest = doc_.substr(pos_);
  if (rest.starts_with("<?")) {
    if (!skip_past("?>")) return fail("unterminated processing instruction");
    return next();
  }
  if (rest.starts_with("<!--")) {
    if (!skip_past("-->")) return fail("unterminated comment");
    return next();
  }
  if (rest.starts_with("<![CDATA[")) {
    const size_t start = pos_ + 9;
    pos_ = start;
    if (!skip_past("]]>")) return fail("unterminated CDATA section");
    text_ = doc_.substr(start, pos_ - 3 - start);
    cdata_ = true;
    end_ = pos_;
    return Token::kText;
  }
  if (rest.starts_with("<!")) return fail("DOCTYPE and other declarations are not allowed");
  if (rest.starts_with("</")) return scan_end_tag();
  return scan_start_tag();
}

std::string_view XmlScanner::scan_name() {
  const size_t start = pos_;
  while (pos_ < doc_.size() && is_name_char(doc_[pos_])) ++pos_;
  return doc_.substr(start, pos_ - start);
}

void XmlScanner::split_name(std::string_view qname) {
  const size_t colon = qname.find(':');
  if (colon == std::string_view::npos) {
    prefix_ = {};
    local_ = qname;
  } else {
    prefix_ = qname.substr(0, colon + 1);
    local_ = qname.substr(colon + 1);
  }
}

XmlScanner::Token XmlScanner::scan_end_tag() {
  pos_ += 2;
  const std::string_view qname = scan_name();
  while (pos_ < doc_.size() && is_space(doc_[pos_])) ++pos_;
  if (pos_ >= doc_.size() || doc_[pos_] != '>') return fail("malformed end tag");
  ++pos_;
  if (open_.empty() || open_.back() != qname) {
    return fail("end tag </" + std::string(qname) + "> does not match the open element");
  }
  open_.pop_back();
  split_name(qname);
  end_ = pos_;
  return Token::kEnd;
}

XmlScanner::Token XmlScanner::scan_start_tag() {
  ++pos_;
  const std::string_view qname = scan_name();
  if (qname.empty()) return fail("malformed start tag");
  while (true) {
    while (pos_ < doc_.size() && is_space(doc_[pos_])) ++pos_;
    if (pos_ >= doc_.size()) return fail("unterminated start tag <" + std::string(qname) + ">");
    if (doc_[pos_] == '>') {
      ++pos_;
      break;
    }
    if (doc_.substr(pos_, 2) == "/>") {
      pos_ += 2;
      self_closing_ = true;
      break;
    }
    const std::string_view name = scan_name();
    if (name.empty() || pos_ >= doc_.size() || doc_[pos_] != '=') {
      return fail("malformed attribute in <" + std::string(qname) + ">");
    }
    ++pos_;
    if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) {
      return fail("attribute value must be quoted in <" + std::string(qname) + ">");
    }
    const char quote = doc_[pos_++];
    const size_t close = doc_.find(quote, pos_);
    if (close == std::string_view::npos) return fail("unterminated attribute value");
    attributes_.emplace_back(name, doc_.substr(pos_, close - pos_));
    pos_ = close + 1;
  }
  split_name(qname);
  end_ = pos_;
  if (self_closing_) {
    pending_end_ = true;
  } else {
    open_.push_back(qname);
  }
  return Token::kStart;
}

bool decode_xml_text(std::string_view raw, std::string& out) {
  size_t pos = 0;
  while (true) {
    const size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) {
      out.append(raw.substr(pos));
      return true;
    }
    out.append(raw.substr(pos, amp - pos));
    const size_t semi = raw.find(';', amp);
    if (semi == std::string_view::npos || semi - amp > 12) return false;
    const std::string_view name = raw.substr(amp + 1, semi - amp - 1);
    if (name == "lt")
      out += '<';
    else if (name == "gt")
      out += '>';
    else if (name == "amp")
      out += '&';
    else if (name == "quot")
      out += '"';
    else if (name == "apos")
      out += '\'';
    else if (!name.empty() && name[0] == '#') {
      char32_t cp = 0;
      if (!parse_char_ref(name.substr(1), cp)) return false;
      append_utf8(out, cp);
    } else {
      return false;
    }
    pos = semi + 1;
  }
}

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace flowline

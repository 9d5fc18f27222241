#include "table/json_reader.hpp"

#include <unordered_map>

#include "core/utf8.hpp"
#include "table/file_io.hpp"
#include "table/table_error.hpp"

namespace flowline {
namespace {

// A recursive-descent parser for exactly the JSON a table may hold; it keeps byte spans so
// the writer can replace one value and leave the rest of the file as it was.
class JsonTableParser {
 public:
  JsonTableParser(std::string_view text, const std::string& path) : text_(text), path_(path) {
    doc_.table.path = path;
    doc_.table.format = TableFormat::kJson;
  }

  Result<JsonDocument> parse() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // Notepad's byte order mark
    skip_space();
    if (pos_ == text_.size()) return file_error(path_, "empty file: expected a JSON array");
    if (text_[pos_] != '[') {
      return syntax("a JSON table must be an array of objects, `[{...}, ...]`");
    }
    ++pos_;
    skip_space();
    if (peek() == ']') {
      ++pos_;
    } else {
      while (true) {
        if (!parse_element()) return std::move(*error_);
        skip_space();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        if (peek() == ']') {
          ++pos_;
          break;
        }
        return syntax("expected `,` or `]` after an array element");
      }
    }
    skip_space();
    if (pos_ != text_.size()) return syntax("unexpected text after the closing `]`");
    for (auto& row : doc_.table.rows) row.resize(doc_.table.columns.size());
    return std::move(doc_);
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // 1-based line and character column of a byte offset, counted on from the last offset
  // asked for (offsets only grow while parsing; an earlier one starts again from the top).
  std::pair<int64_t, int64_t> line_and_column(size_t offset) {
    if (offset < counted_to_) counted_to_ = 0, counted_line_ = 1, counted_line_start_ = 0;
    for (; counted_to_ < offset && counted_to_ < text_.size(); ++counted_to_) {
      if (text_[counted_to_] == '\n') {
        ++counted_line_;
        counted_line_start_ = counted_to_ + 1;
      }
    }
    return {counted_line_, static_cast<int64_t>(offset - counted_line_start_) + 1};
  }

  Error syntax(std::string_view message) {
    const auto [line, column] = line_and_column(pos_);
    return cell_error(path_, line, column, "", message);
  }

  bool fail(size_t offset, std::string_view message) {
    const auto [line, column] = line_and_column(offset);
    const std::string element = "element " + std::to_string(element_ + 1);
    if (key_.empty())
      error_ = cell_error(path_, line, column, "", element + ": " + std::string(message));
    else
      error_ = cell_error(path_, line, column, key_, std::string(message) + " (" + element + ")");
    return false;
  }

  bool parse_element() {
    skip_space();
    element_ = doc_.elements.size();
    key_.clear();
    if (peek() != '{') {
      return fail(
          pos_, pos_ == text_.size() ? "unexpected end of file" : "array element is not an object");
    }
    JsonElementSpan span;
    span.open = pos_++;
    row_has_.assign(doc_.table.columns.size(), false);
    std::vector<CellValue> row(doc_.table.columns.size());
    skip_space();
    if (peek() == '}') {
      span.close = pos_++;
      return finish_element(std::move(span), std::move(row));
    }
    while (true) {
      skip_space();
      key_.clear();
      if (peek() != '"') return fail(pos_, "expected a key in double quotes");
      std::string key;
      if (!parse_string(key)) return false;
      key_ = key;
      if (key.empty()) return fail(pos_, "empty key name");
      skip_space();
      if (peek() != ':') return fail(pos_, "expected `:` after the key");
      ++pos_;
      skip_space();
      const size_t column = column_for(key);
      if (column >= row.size()) row.resize(column + 1);
      if (row_has_[column]) return fail(pos_, "duplicate key in the same object");
      row_has_[column] = true;
      JsonValueSpan value_span{column, pos_, 0, false};
      if (!parse_value(row[column], value_span.is_string)) return false;
      value_span.end = pos_;
      span.values.push_back(value_span);
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        span.close = pos_++;
        break;
      }
      key_.clear();
      return fail(pos_, "expected `,` or `}` in the object");
    }
    return finish_element(std::move(span), std::move(row));
  }

  bool finish_element(JsonElementSpan span, std::vector<CellValue> row) {
    doc_.elements.push_back(std::move(span));
    doc_.table.rows.push_back(std::move(row));
    // Where the user finds the row: the line its object starts on.
    doc_.table.source_rows.push_back(line_and_column(doc_.elements.back().open).first);
    return true;
  }

  size_t column_for(const std::string& key) {
    const auto [it, fresh] = column_index_.emplace(key, doc_.table.columns.size());
    if (fresh) doc_.table.columns.push_back(key);
    if (row_has_.size() < doc_.table.columns.size()) row_has_.resize(doc_.table.columns.size());
    return it->second;
  }

  bool parse_value(CellValue& out, bool& is_string) {
    const char c = peek();
    if (c == '"') {
      is_string = true;
      std::string value;
      if (!parse_string(value)) return false;
      if (!value.empty()) out = std::move(value);
      return true;
    }
    if (c == '{' || c == '[') {
      return fail(pos_, c == '{' ? "nested objects are not allowed; values must be text, "
                                   "numbers, true/false or null"
                                 : "arrays are not allowed; values must be text, numbers, "
                                   "true/false or null");
    }
    for (const std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        if (word != "null") out = std::string(word);
        return true;
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number(out);
    return fail(pos_, pos_ == text_.size() ? "unexpected end of file" : "invalid value");
  }

  bool digits() {
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool parse_number(CellValue& out) {
    const size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (!digits()) {
      return fail(start, "invalid number");
    }
    if (peek() == '.') {
      ++pos_;
      if (!digits()) return fail(start, "invalid number: digits must follow `.`");
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digits()) return fail(start, "invalid number: digits must follow the exponent");
    }
    out = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool parse_hex4(char32_t& out) {
    if (pos_ + 4 > text_.size()) return fail(pos_, "truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hex_value(text_[pos_ + i]);
      if (h < 0) return fail(pos_, "invalid \\u escape");
      out = out * 16 + static_cast<char32_t>(h);
    }
    pos_ += 4;
    return true;
  }

  bool parse_unicode_escape(std::string& out) {
    char32_t cp = 0;
    if (!parse_hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(pos_, "lone low surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      char32_t low = 0;
      if (text_.substr(pos_, 2) != "\\u") return fail(pos_, "lone high surrogate in \\u escape");
      pos_ += 2;
      if (!parse_hex4(low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return fail(pos_, "invalid surrogate pair");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, cp);
    return true;
  }

  bool parse_string(std::string& out) {
    const size_t start = pos_++;
    size_t run = pos_;  // start of the bytes not yet copied
    while (true) {
      if (pos_ >= text_.size()) return fail(start, "unterminated string");
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') break;
      if (c < 0x20) return fail(pos_, "control character in a string (use \\n, \\t...)");
      if (c != '\\') {
        ++pos_;
        continue;
      }
      out.append(text_.substr(run, pos_ - run));
      ++pos_;
      const char e = peek();
      ++pos_;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          if (!parse_unicode_escape(out)) return false;
          break;
        default:
          return fail(pos_ - 1, "invalid escape sequence in a string");
      }
      run = pos_;
    }
    out.append(text_.substr(run, pos_ - run));
    ++pos_;
    if (const size_t bad = find_invalid_utf8(text_.substr(start, pos_ - start));
        bad != std::string_view::npos) {
      return fail(start + bad, "invalid UTF-8 in a string");
    }
    return true;
  }

  std::string_view text_;
  const std::string& path_;
  size_t pos_ = 0;
  size_t element_ = 0;
  std::string key_;  // key being parsed, for messages
  JsonDocument doc_;
  std::unordered_map<std::string, size_t> column_index_;
  std::vector<bool> row_has_;
  std::optional<Error> error_;
  size_t counted_to_ = 0, counted_line_start_ = 0;
  int64_t counted_line_ = 1;
};

}  // namespace

Result<JsonDocument> parse_json_document(std::string_view text, const std::string& path) {
  return JsonTableParser(text, path).parse();
}

Result<RawTable> parse_json(std::string_view text, const std::string& path) {
  Result<JsonDocument> doc = parse_json_document(text, path);
  if (!doc.ok()) return doc.error();
  return std::move(doc->table);
}

Result<RawTable> read_json(const std::string& path) {
  Result<std::string> text = read_whole_file(path);
  if (!text.ok()) return text.error();
  return parse_json(*text, path);
}

}  // namespace flowline

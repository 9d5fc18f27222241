#pragma once
// Byte-range replacements applied to a document in one pass: the writers change only the
// bytes of the cells they touch and copy everything else verbatim.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flowline {

struct TextEdit {
  size_t begin = 0;  // replace text[begin, end) ...
  size_t end = 0;
  std::string replacement;  // ... with this
};

// Edits must be sorted by begin and not overlap (insertions have begin == end).
std::string apply_edits(std::string_view text, const std::vector<TextEdit>& edits);

// The edited text read in pieces, never built whole: a large sheet streams into the
// compressor instead of being copied once more. Holds references: `text` and `edits` must
// outlive it.
class EditedText {
 public:
  EditedText(std::string_view text, const std::vector<TextEdit>& edits);

  size_t size() const { return size_; }  // of the whole edited text
  void rewind();
  // Copies the next bytes into `out`; fewer than `capacity` only at the end, 0 after it.
  size_t read(char* out, size_t capacity);

 private:
  std::string_view text_;
  const std::vector<TextEdit>& edits_;
  size_t size_ = 0;
  size_t next_edit_ = 0;
  size_t pos_ = 0;               // in text_, while copying it
  bool in_replacement_ = false;  // copying edits_[next_edit_].replacement
  size_t offset_ = 0;            // in that replacement
};

}  // namespace flowline

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

}  // namespace flowline

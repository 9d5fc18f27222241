#include "table/edit_list.hpp"

#include <cstdlib>

namespace flowline {

std::string apply_edits(std::string_view text, const std::vector<TextEdit>& edits) {
  size_t extra = 0;
  for (const TextEdit& e : edits) extra += e.replacement.size();
  std::string out;
  out.reserve(text.size() + extra);
  size_t pos = 0;
  for (const TextEdit& e : edits) {
    if (e.begin < pos || e.end < e.begin || e.end > text.size()) std::abort();  // writer bug
    out.append(text.substr(pos, e.begin - pos));
    out += e.replacement;
    pos = e.end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace flowline

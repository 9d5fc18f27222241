#include "table/edit_list.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace flowline {

std::string apply_edits(std::string_view text, const std::vector<TextEdit>& edits) {
  EditedText edited(text, edits);
  std::string out(edited.size(), '\0');
  if (edited.read(out.data(), out.size()) != out.size()) std::abort();  // size() is exact
  return out;
}

EditedText::EditedText(std::string_view text, const std::vector<TextEdit>& edits)
    : text_(text), edits_(edits), size_(text.size()) {
  size_t pos = 0;
  for (const TextEdit& e : edits) {
    if (e.begin < pos || e.end < e.begin || e.end > text.size()) std::abort();  // writer bug
    size_ += e.replacement.size();
    size_ -= e.end - e.begin;
    pos = e.end;
  }
}

void EditedText::rewind() {
  next_edit_ = 0;
  pos_ = 0;
  in_replacement_ = false;
  offset_ = 0;
}

size_t EditedText::read(char* out, size_t capacity) {
  size_t written = 0;
  while (written < capacity) {
    if (in_replacement_) {
      const TextEdit& edit = edits_[next_edit_];
      const size_t n = std::min(capacity - written, edit.replacement.size() - offset_);
      std::memcpy(out + written, edit.replacement.data() + offset_, n);
      written += n;
      offset_ += n;
      if (offset_ < edit.replacement.size()) continue;
      pos_ = edit.end;
      ++next_edit_;
      in_replacement_ = false;
      continue;
    }
    const size_t stop = next_edit_ < edits_.size() ? edits_[next_edit_].begin : text_.size();
    if (pos_ == stop) {
      if (next_edit_ == edits_.size()) break;  // the end
      in_replacement_ = true;
      offset_ = 0;
      continue;
    }
    const size_t n = std::min(capacity - written, stop - pos_);
    std::memcpy(out + written, text_.data() + pos_, n);
    written += n;
    pos_ += n;
  }
  return written;
}

}  // namespace flowline

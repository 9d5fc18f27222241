#include "core/task_params.hpp"

namespace flowline {

TaskParams::TaskParams(Names names, std::vector<std::string> values)
    : names_(std::move(names)), values_(std::move(values)) {}

TaskParams::TaskParams(std::initializer_list<std::pair<std::string, std::string>> entries) {
  auto names = std::make_shared<std::vector<std::string>>();
  names->reserve(entries.size());
  values_.reserve(entries.size());
  for (const auto& [name, value] : entries) {
    names->push_back(name);
    values_.push_back(value);
  }
  names_ = std::move(names);
}

const std::string* TaskParams::find(std::string_view name) const {
  for (size_t i = 0; i < size(); ++i)
    if ((*names_)[i] == name) return &values_[i];
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> TaskParams::entries() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(size());
  for (size_t i = 0; i < size(); ++i) out.emplace_back((*names_)[i], values_[i]);
  return out;
}

bool operator==(const TaskParams& a, const TaskParams& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a.name(i) != b.name(i) || a.value(i) != b.value(i)) return false;
  return true;
}

}  // namespace flowline

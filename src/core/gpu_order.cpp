#include "core/gpu_order.hpp"

#include <cmath>
#include <optional>
#include <utility>

namespace flowline {
namespace {

constexpr std::pair<std::string_view, GpuField> kFields[] = {
    {"index", GpuField::kIndex},
    {"free_memory", GpuField::kFreeMemory},
    {"total_memory", GpuField::kTotalMemory},
    {"utilization", GpuField::kUtilization},
    {"user_process_num", GpuField::kUserProcessNum},
    {"all_process_num", GpuField::kAllProcessNum},
    {"temperature", GpuField::kTemperature},
    {"power", GpuField::kPower},
    {"max_power", GpuField::kMaxPower},
};

std::string_view field_name(GpuField field) {
  for (const auto& [name, f] : kFields) {
    if (f == field) return name;
  }
  return "?";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Error order_error(std::string_view text, const std::string& what) {
  return Error{"--order '" + std::string(text) + "': " + what};
}

Result<GpuOrderKey> parse_term(std::string_view whole, std::string_view term) {
  term = trim(term);
  if (term.empty()) return order_error(whole, "empty sort key (expected 'field [asc|desc]')");
  const auto space = term.find_first_of(" \t");
  const std::string_view name = term.substr(0, space);
  std::string_view direction =
      space == std::string_view::npos ? std::string_view() : trim(term.substr(space));
  GpuOrderKey key;
  bool found = false;
  for (const auto& [n, f] : kFields) {
    if (n == name) key.field = f, found = true;
  }
  if (!found) {
    return order_error(whole, "unknown GPU field '" + std::string(name) +
                                  "'; valid fields: " + gpu_order_fields());
  }
  if (direction == "desc") {
    key.descending = true;
  } else if (!direction.empty() && direction != "asc") {
    return order_error(whole, "unknown direction '" + std::string(direction) + "' after '" +
                                  std::string(name) + "'; valid directions: asc, desc");
  }
  return key;
}

// A field's value as a number; nullopt when unknown. MiB and percents fit a double exactly.
std::optional<double> field_value(GpuField field, const GpuInfo& gpu) {
  auto from = [](const auto& v) -> std::optional<double> {
    if (!v) return std::nullopt;
    return static_cast<double>(*v);
  };
  switch (field) {
    case GpuField::kIndex:
      return gpu.index;
    case GpuField::kFreeMemory:
      return from(gpu.free_memory_mib);
    case GpuField::kTotalMemory:
      return from(gpu.total_memory_mib);
    case GpuField::kUtilization:
      return from(gpu.utilization);
    case GpuField::kTemperature:
      return from(gpu.temperature);
    case GpuField::kPower:
      return from(gpu.power_w);
    case GpuField::kMaxPower:
      return from(gpu.max_power_w);
    case GpuField::kUserProcessNum:
      if (!gpu.processes) return std::nullopt;
      return static_cast<double>(gpu.user_process_num());
    case GpuField::kAllProcessNum:
      if (!gpu.processes) return std::nullopt;
      return static_cast<double>(gpu.all_process_num());
  }
  return std::nullopt;
}

// -1: a first, 1: b first, 0: tie on this key.
int compare_key(const GpuOrderKey& key, const GpuInfo& a, const GpuInfo& b) {
  auto va = field_value(key.field, a);
  auto vb = field_value(key.field, b);
  if (va && std::isnan(*va)) va.reset();
  if (vb && std::isnan(*vb)) vb.reset();
  if (!va || !vb) return va ? -1 : vb ? 1 : 0;  // unknown last, whatever the direction
  if (*va == *vb) return 0;
  const bool a_first = key.descending ? *va > *vb : *va < *vb;
  return a_first ? -1 : 1;
}

}  // namespace

std::string gpu_order_fields() {
  std::string list;
  for (const auto& [name, field] : kFields) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

GpuOrder default_gpu_order() {
  return GpuOrder{
      {{GpuField::kFreeMemory, true}, {GpuField::kUtilization, false}, {GpuField::kIndex, false}}};
}

Result<GpuOrder> parse_gpu_order(std::string_view text) {
  GpuOrder order;
  if (trim(text).empty()) {
    return order_error(text, "no sort keys (expected e.g. 'free_memory desc, utilization asc')");
  }
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    auto key =
        parse_term(text, text.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                            : comma - start));
    if (!key) return key.error();
    for (const auto& existing : order.keys) {
      if (existing.field == key->field) {
        return order_error(text,
                           "field '" + std::string(field_name(key->field)) + "' is given twice");
      }
    }
    order.keys.push_back(*key);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return order;
}

std::string to_string(const GpuOrder& order) {
  std::string text;
  for (const auto& key : order.keys) {
    if (!text.empty()) text += ", ";
    text += field_name(key.field);
    text += key.descending ? " desc" : " asc";
  }
  return text;
}

bool gpu_less(const GpuOrder& order, const GpuInfo& a, const GpuInfo& b) {
  for (const auto& key : order.keys) {
    const int c = compare_key(key, a, b);
    if (c != 0) return c < 0;
  }
  return a.index < b.index;
}

}  // namespace flowline

#include "core/saved_settings.hpp"

#include <charconv>

namespace flowline::saved {

std::string number_text(int64_t n) { return std::to_string(n); }

Result<int64_t> parse_number(const std::string& text, int64_t min) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < min)
    return Error{"'" + text + "' is not a whole number ≥ " + std::to_string(min)};
  return v;
}

std::string order_text(const std::optional<GpuOrder>& order) {
  return order ? to_string(*order) : "default";
}

Result<std::optional<GpuOrder>> parse_order(const std::string& text) {
  if (text == "default") return std::optional<GpuOrder>();
  Result<GpuOrder> order = parse_gpu_order(text);
  if (!order.ok()) return order.error();
  return std::optional<GpuOrder>(*order);
}

std::string gpu_set_text(const std::set<int>& gpus) {
  std::string out;
  for (int g : gpus) {
    if (!out.empty()) out += ",";
    out += std::to_string(g);
  }
  return out;
}

Result<std::set<int>> parse_gpu_set(const std::string& text) {
  std::set<int> gpus;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    Result<int64_t> id = parse_number(text.substr(start, comma - start), 0);
    if (!id.ok() || *id > 1'000'000)
      return Error{"'" + text + "' is not a list of GPU indices like 1,3"};
    gpus.insert(static_cast<int>(*id));
    start = comma + 1;
    if (comma + 1 == text.size())
      return Error{"'" + text + "' is not a list of GPU indices like 1,3"};
  }
  return gpus;
}

std::string on_off_text(bool on) { return on ? "on" : "off"; }

Result<bool> parse_on_off(const std::string& text) {
  if (text == "on") return true;
  if (text == "off") return false;
  return Error{"'" + text + "' is neither on nor off"};
}

}  // namespace flowline::saved

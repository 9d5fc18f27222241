#include "core/run_memory.hpp"

#include <algorithm>
#include <charconv>

namespace flowline {
namespace {

std::string escape_field(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\\') out += "\\\\";
    else if (ch == '\t') out += "\\t";
    else if (ch == '\n') out += "\\n";
    else out += ch;
  }
  return out;
}

std::string unescape_field(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char next = text[++i];
    out += next == 't' ? '\t' : next == 'n' ? '\n' : next;
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at; (at = text.find(sep, start)) != std::string::npos; start = at + 1)
    parts.push_back(text.substr(start, at - start));
  parts.push_back(text.substr(start));
  return parts;
}

std::optional<int64_t> number(const std::string& text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

void MemoryTrace::add(Millis time_ms, int64_t mib) {
  if (!points_.empty() && time_ms < points_.back().time_ms + step_ms_) {
    points_.back().mib = std::max(points_.back().mib, mib);  // the step keeps its peak
    return;
  }
  if (points_.size() == kMaxPoints) {
    std::vector<MemoryPoint> halved;
    for (size_t i = 0; i < points_.size(); i += 2) {
      MemoryPoint merged = points_[i];
      if (i + 1 < points_.size()) merged.mib = std::max(merged.mib, points_[i + 1].mib);
      halved.push_back(merged);
    }
    points_ = std::move(halved);
    step_ms_ *= 2;
  }
  points_.push_back({time_ms, mib});
}

std::string with_thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string describe_holders(const std::vector<MemoryHolder>& others) {
  std::vector<MemoryHolder> sorted = others;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const MemoryHolder& a, const MemoryHolder& b) { return a.mib > b.mib; });
  std::string out;
  constexpr size_t kNamed = 3;
  for (size_t i = 0; i < sorted.size() && i < kNamed; ++i) {
    const MemoryHolder& h = sorted[i];
    out += out.empty() ? "" : ", ";
    out += (h.user.empty() ? "another user" : h.user + "'s") + " " +
           (h.name.empty() ? "process" : h.name) + " (pid " + std::to_string(h.pid) + ") held " +
           with_thousands(h.mib) + " MiB on GPU " + std::to_string(h.gpu);
  }
  if (sorted.size() > kNamed) out += " and " + std::to_string(sorted.size() - kNamed) + " more";
  return out;
}

std::string encode_series(const std::vector<MemoryPoint>& series) {
  std::string out;
  for (const MemoryPoint& p : series) {
    if (!out.empty()) out += ',';
    out += std::to_string(p.time_ms) + ":" + std::to_string(p.mib);
  }
  return out;
}

std::vector<MemoryPoint> decode_series(const std::string& text) {
  std::vector<MemoryPoint> out;
  if (text.empty()) return out;
  for (const std::string& pair : split(text, ',')) {
    std::vector<std::string> parts = split(pair, ':');
    if (parts.size() != 2) continue;
    auto time = number(parts[0]);
    auto mib = number(parts[1]);
    if (time && mib) out.push_back({*time, *mib});
  }
  return out;
}

std::string encode_holders(const std::vector<MemoryHolder>& holders) {
  std::string out;
  for (const MemoryHolder& h : holders) {
    out += std::to_string(h.gpu) + "\t" + std::to_string(h.pid) + "\t" + escape_field(h.user) +
           "\t" + escape_field(h.name) + "\t" + std::to_string(h.mib) + "\n";
  }
  return out;
}

std::vector<MemoryHolder> decode_holders(const std::string& text) {
  std::vector<MemoryHolder> out;
  for (const std::string& line : split(text, '\n')) {
    std::vector<std::string> f = split(line, '\t');
    if (f.size() != 5) continue;
    auto gpu = number(f[0]);
    auto pid = number(f[1]);
    auto mib = number(f[4]);
    if (!gpu || !pid || !mib) continue;
    out.push_back({static_cast<int>(*gpu), *pid, unescape_field(f[2]), unescape_field(f[3]), *mib});
  }
  return out;
}

}  // namespace flowline

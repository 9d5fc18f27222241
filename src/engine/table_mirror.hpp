#pragma once
// Mirrors run_num into the table file. The database is the source of truth; the file follows
// promptly, with a burst of completions coalesced into one atomic rewrite (DESIGN.md §3).
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/table_model.hpp"

namespace flowline {

using CellWriter = std::function<Status(const std::string& path, const std::vector<CellUpdate>&)>;

class TableMirror {
 public:
  TableMirror(std::string path, CellWriter writer, Millis coalesce_ms)
      : path_(std::move(path)), writer_(std::move(writer)), coalesce_ms_(coalesce_ms) {}

  void set_run_num(int64_t row, int64_t run_num, Millis now);
  // Writes if the oldest pending change is old enough (or `force`). Keeps pending changes on
  // failure so the next flush retries them.
  Status flush(Millis now, bool force = false);
  std::optional<Millis> next_flush() const;

 private:
  std::string path_;
  CellWriter writer_;
  Millis coalesce_ms_;
  std::map<int64_t, int64_t> pending_;
  Millis first_pending_ = 0;
};

}  // namespace flowline

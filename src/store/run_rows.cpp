#include "store/run_rows.hpp"

namespace flowline {
namespace {

Result<StoredRun> read_run(const sqlite::Statement& s, const std::string& db_path) {
  StoredRun r;
  r.run_id = s.int_at(0);
  r.task_id = s.int_at(1);
  r.attempt = s.int_at(2);
  auto state = run_state_from(s.text_at(3));
  if (!state) {
    return Error{db_path + ": run " + std::to_string(r.run_id) + " has unknown state '" +
                 s.text_at(3) + "'"};
  }
  r.state = *state;
  r.start_ms = s.optional_int_at(4);
  r.end_ms = s.optional_int_at(5);
  r.gpus = gpus_from_text(s.text_at(6));
  r.exit_code = s.optional_int_at(7);
  r.signal = s.optional_int_at(8);
  r.classification = s.text_at(9);
  r.out_path = s.text_at(10);
  r.err_path = s.text_at(11);
  r.handle = s.text_at(12);
  r.message = s.text_at(13);
  r.peak_mem_mib = s.optional_int_at(14);
  r.mem_series = s.text_at(15);
  r.mem_holders = s.text_at(16);
  return r;
}

}  // namespace

Result<std::vector<StoredRun>> read_runs(sqlite::Statement& s, const std::string& db_path) {
  std::vector<StoredRun> runs;
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return runs;
    auto r = read_run(s, db_path);
    if (!r) return r.error();
    runs.push_back(std::move(*r));
  }
}

}  // namespace flowline

// LocalExecutor's side of the executor seam: its RunRecord travels as a handle's text.
#include "exec/local/local_executor.hpp"

namespace flowline {

Result<RunHandle> LocalExecutor::launch(const LaunchSpec& spec) {
  Result<RunRecord> record = start(spec);
  if (!record) return record.error();
  return RunHandle{spec.run_id, local_handle_text(*record)};
}

Result<RunHandle> LocalExecutor::adopt(const RunHandle& handle) {
  std::optional<RunRecord> record = local_record_of(handle.run_id, handle.text);
  if (!record) {
    return Error{"run " + std::to_string(handle.run_id) + " was started by the " +
                 handle_kind(handle.text) + " executor, not by this machine's: '" + handle.text +
                 "'"};
  }
  Result<RunRecord> adopted = readopt(*record);
  if (!adopted) return adopted.error();
  return RunHandle{handle.run_id, local_handle_text(*adopted)};
}

}  // namespace flowline

#pragma once
// The command template language (DESIGN.md §2 "Commands"), parsed once at load time so that an
// unknown placeholder is refused before anything starts.
//
//   {args}      every non-empty parameter as `--key value`, in column order, shell-quoted
//   {<column>}  that parameter's (or reserved column's) value, shell-quoted
//   {gpu}       the first assigned GPU index; `''` (an empty word) for a CPU-only run
//   {gpus}      the assigned GPU indices joined by commas; `''` for a CPU-only run
//   {name}      the task's name, shell-quoted
//   {cmd}       the row's `cmd`, inserted unquoted because it is shell code
//   {task_id}   the 0-based row index
//   {run}       the number of the run being started: run_num + 1 when FlowLine launches it
//   {{  }}      literal braces
//
// The built-in names win over a column of the same name ({gpus} is the GPU list, not the
// `gpus` column). {cmd} and {args} are the only placeholders that may expand to nothing; when
// they do, one adjacent space goes with them so `{cmd} {args}` never leaves stray spaces.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"

namespace flowline {

inline constexpr std::string_view kDefaultCommandTemplate = "{cmd} {args}";

class CommandTemplate {
 public:
  // `columns` are the table's columns; reserved columns are always known. An unknown
  // placeholder, an unmatched brace or an empty `{}` is an error naming the 1-based character
  // column, followed by the template and a caret under the fault.
  static Result<CommandTemplate> parse(std::string_view text,
                                       const std::vector<std::string>& columns);

  // `run` is what {run} shows; FlowLine passes the task's run_num + 1.
  std::string expand(const Task& task, const std::vector<int>& gpus, int64_t run) const;

  const std::string& text() const { return text_; }

 private:
  enum class Kind { kLiteral, kArgs, kColumn, kGpu, kGpus, kName, kCmd, kTaskId, kRun };
  struct Piece {
    Kind kind;
    std::string text;  // literal text, or the column name for kColumn
  };

  void append_piece(std::string& out, const Piece& piece, const Task& task,
                    const std::vector<int>& gpus, int64_t run) const;

  std::string text_;
  std::vector<Piece> pieces_;
};

}  // namespace flowline

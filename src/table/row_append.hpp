#pragma once
// Appending one row (a new task) to a table file in the file's own format, so that the file
// stays the one source of tasks: `add` and `copy` in the shell and ctl, and the HTTP API's
// task create/copy, all come here. Every existing byte (CSV, JSON) or cell, style and other
// sheet (XLSX) stays as it was; only the new row is added after the last one.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace flowline {

// One cell of a new row: column name and the text the user typed.
using NewRowCells = std::vector<std::pair<std::string, std::string>>;

// Appends one row at the end of the table file (CSV, JSON or XLSX, by extension), atomically
// (temp file + fsync + rename), keeping everything else as it was. Columns not named, and
// empty texts, are left blank; read_table gives back exactly the texts given. Refused, with
// the file unchanged: a column the header lacks (the message lists the header's columns; an
// empty JSON array `[]` has no header yet, so there the given columns are taken in order),
// an empty or repeated column name, a row with no value at all (it would be no task: the
// readers skip blank rows), text that is not UTF-8, and for XLSX control characters that
// XML cannot hold. A save of the file by someone else while the row is being added is never
// overwritten: the row is added to that new version instead (or, if the file keeps changing,
// refused with nothing written).
Status append_table_row(const std::string& path, const NewRowCells& cells);

// The same on the file's content: returns the new content. `path` picks the format and
// names the file in messages.
Result<std::string> append_row_to_content(std::string_view content, const std::string& path,
                                          const NewRowCells& cells);

}  // namespace flowline

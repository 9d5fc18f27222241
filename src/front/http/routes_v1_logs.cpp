// Runs' output for the web UI's Logs page, beyond following it from an offset (routes_v1.cpp):
// the whole file as a download, and a search through every run of a task. Paths come from the
// store, never from the request.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "front/http/http_reply.hpp"
#include "front/http/route_context.hpp"

namespace flowline::http {
namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

// "out" (the default) or "err"; nullopt and a 400 otherwise.
std::optional<std::string> stream_param(const Request& req, Response& res) {
  const std::string stream = req.has_param("stream") ? req.get_param_value("stream") : "out";
  if (stream == "out" || stream == "err") return stream;
  reply_error(res, 400, "query parameter stream: expected out or err, got '" + stream + "'");
  return std::nullopt;
}

// An open file that closes itself when the last copy of the answer's provider goes.
struct OpenFile {
  int fd = -1;
  ~OpenFile() {
    if (fd >= 0) close(fd);
  }
};

// GET /api/v1/runs/<id>/log/raw?stream=out: the file as it is now, bytes untouched, as an
// attachment called run-<id>.out (or .err).
void raw_log(RouteContext& c, const Request& req, Response& res) {
  auto id = path_number(req.matches[1], res, "run");
  if (!id) return;
  auto stream = stream_param(req, res);
  if (!stream) return;
  if (!c.history) return reply_error(res, 503, "the run history cannot be read");
  auto run = c.history->run(*id);
  if (!run.ok()) return reply_error(res, 500, run.error().message);
  if (!*run) return reply_error(res, 404, "no run " + std::to_string(*id));
  const std::string& path = *stream == "out" ? (*run)->out_path : (*run)->err_path;
  auto file = std::make_shared<OpenFile>();
  if (!path.empty()) file->fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (file->fd < 0 || fstat(file->fd, &st) != 0 || !S_ISREG(st.st_mode))
    return reply_error(res, 404, "run " + std::to_string(*id) + " has no std" + *stream +
                                     " file (it never started, or the file was removed)");
  res.set_header("Content-Disposition",
                 "attachment; filename=\"run-" + std::to_string(*id) + "." + *stream + "\"");
  res.set_header("X-Content-Type-Options", "nosniff");
  const auto size = static_cast<size_t>(st.st_size);
  if (size == 0) return res.set_content("", "text/plain; charset=utf-8");
  // The length is the size now: a run that is still writing gets what was there.
  res.set_content_provider(
      size, "text/plain; charset=utf-8",
      [file](size_t offset, size_t length, httplib::DataSink& sink) {
        char buf[64 * 1024];
        const size_t want = std::min(length, sizeof buf);
        ssize_t n = pread(file->fd, buf, want, static_cast<off_t>(offset));
        if (n <= 0) return false;  // the file shrank: end the answer short
        return sink.write(buf, static_cast<size_t>(n));
      });
}

bool contains_lower(std::string_view haystack, const std::string& needle_lower) {
  return std::search(haystack.begin(), haystack.end(), needle_lower.begin(), needle_lower.end(),
                     [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) == b;
                     }) != haystack.end();
}

// GET /api/v1/tasks/<id>/logs?q=text&stream=out,err&limit=200: the lines of every run of a
// task that contain `q` (case-insensitive), oldest run first:
// {task_id, q, matches: [{run_id, stream, line, offset, text}], runs, truncated}. `line` counts
// from 1; `offset` is the line's first byte, for /log?offset=. A file is read up to 64 MiB
// from its end; a longer line is cut at 1000 bytes in `text`.
void search_task_logs(RouteContext& c, const Request& req, Response& res) {
  auto id = path_number(req.matches[1], res, "task");
  if (!id) return;
  auto limit = number_param(req, res, "limit", 200, 1, 5000);
  if (!limit) return;
  std::string needle = req.has_param("q") ? req.get_param_value("q") : "";
  if (needle.empty()) return reply_error(res, 400, "query parameter q: expected the text to find");
  for (char& ch : needle) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::vector<std::string> streams;
  const std::string which = req.has_param("stream") ? req.get_param_value("stream") : "out,err";
  for (const char* s : {"out", "err"})
    if (which.find(s) != std::string::npos) streams.emplace_back(s);
  if (streams.empty())
    return reply_error(res, 400, "query parameter stream: expected out, err or out,err");
  if (!c.history) return reply_error(res, 503, "the run history cannot be read");
  auto runs = c.history->runs_of({*id});
  if (!runs.ok()) return reply_error(res, 500, runs.error().message);
  // Held while read: the engine may publish (and so free) the snapshot meanwhile.
  const auto snap = c.engine.snapshot();
  const bool known = snap->tasks.find(*id).has_value();
  if (!known && runs->empty()) return reply_error(res, 404, "no task " + std::to_string(*id));
  constexpr int64_t kMaxScan = 64 << 20;
  json found = json::array();
  bool truncated = false;
  for (const StoredRun& run : *runs) {
    for (const std::string& stream : streams) {
      if (truncated) break;
      const std::string& path = stream == "out" ? run.out_path : run.err_path;
      OpenFile file;
      if (!path.empty()) file.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      struct stat st {};
      if (file.fd < 0 || fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) continue;
      const int64_t start = std::max<int64_t>(0, st.st_size - kMaxScan);
      std::string text(static_cast<size_t>(st.st_size - start), '\0');
      ssize_t n = pread(file.fd, text.data(), text.size(), start);
      text.resize(n > 0 ? static_cast<size_t>(n) : 0);
      size_t begin = 0;
      int64_t line = start == 0 ? 1 : 0;  // 0: counted from a cut, not from the start
      while (begin < text.size()) {
        size_t nl = text.find('\n', begin);
        size_t end = nl == std::string::npos ? text.size() : nl;
        std::string_view one(text.data() + begin, end - begin);
        if (contains_lower(one, needle)) {
          if (static_cast<int64_t>(found.size()) >= *limit) {
            truncated = true;
            break;
          }
          found.push_back({{"run_id", run.run_id},
                           {"stream", stream},
                           {"line", line},
                           {"offset", start + static_cast<int64_t>(begin)},
                           {"text", std::string(one.substr(0, 1000))}});
        }
        if (line > 0) ++line;
        begin = end + 1;
      }
    }
  }
  reply_json(res, {{"task_id", *id},
                   {"q", req.get_param_value("q")},
                   {"runs", runs->size()},
                   {"truncated", truncated},
                   {"matches", std::move(found)}});
}

}  // namespace

void add_v1_log_routes(httplib::Server& server, RouteContext& c) {
  server.Get(R"(/api/v1/runs/([^/]+)/log/raw)",
             [&c](const Request& req, Response& res) { raw_log(c, req, res); });
  server.Get(R"(/api/v1/tasks/([^/]+)/logs)",
             [&c](const Request& req, Response& res) { search_task_logs(c, req, res); });
}

}  // namespace flowline::http

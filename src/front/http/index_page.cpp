#include "front/http/index_page.hpp"

namespace flowline::http {
namespace {

std::string escape_html(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace

// A plain page naming the table and linking the API, until the web UI is served here.
void add_index_page(httplib::Server& server, RouteContext& c) {
  server.Get("/", [&c](const httplib::Request&, httplib::Response& res) {
    auto snap = c.engine.snapshot();
    const Counts& n = snap->counts;
    std::string body =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>FlowLine: " +
        escape_html(c.table_path) + "</title></head><body><h1>FlowLine</h1><p>Table <code>" +
        escape_html(c.table_path) + "</code>: " + std::to_string(n.done) + " done, " +
        std::to_string(n.running) + " running, " + std::to_string(n.queued) + " queued, " +
        std::to_string(n.failed) + " failed.</p><p>API (JSON): " +
        "<a href=\"/api/v1/status\">status</a>, <a href=\"/api/v1/tasks\">tasks</a>, " +
        "<a href=\"/api/v1/runs\">runs</a>, <a href=\"/api/gpus\">GPUs</a>, " +
        "<a href=\"/api/log/list\">logs</a>, <a href=\"/metrics\">metrics</a>.</p></body></html>";
    res.set_content(body, "text/html; charset=utf-8");
  });
}

}  // namespace flowline::http

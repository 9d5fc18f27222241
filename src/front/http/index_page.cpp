#include "front/http/index_page.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "front/http/web_assets.hpp"

namespace flowline::http {
namespace {

using httplib::Request;
using httplib::Response;

// index.html is asked again each time (it names the current scripts); the scripts, named by
// content hash (app.js?v=HASH), may be kept as long as the browser likes.
constexpr const char* kRevalidate = "no-cache";
constexpr const char* kForever = "private, max-age=31536000, immutable";

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

// Without the web UI (-DFLOWLINE_WEB_UI=OFF): a plain page naming the table and linking the API.
void plain_page(RouteContext& c, Response& res) {
  auto snap = c.engine.snapshot();
  const Counts& n = snap->counts;
  std::string body =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>FlowLine: " +
      escape_html(c.table_path) + "</title></head><body><h1>FlowLine</h1><p>Table <code>" +
      escape_html(c.table_path) + "</code>: " + std::to_string(n.done) + " done, " +
      std::to_string(n.running) + " running, " + std::to_string(n.queued) + " queued, " +
      std::to_string(n.failed) + " failed.</p><p>This flowline was built without its web UI. "
      "API (JSON): <a href=\"/api/v1/status\">status</a>, <a href=\"/api/v1/tasks\">tasks</a>, "
      "<a href=\"/api/v1/runs\">runs</a>, <a href=\"/api/gpus\">GPUs</a>, "
      "<a href=\"/api/log/list\">logs</a>, <a href=\"/metrics\">metrics</a>.</p></body></html>";
  res.set_content(body, "text/html; charset=utf-8");
}

bool accepts_gzip(const Request& req) {
  const std::string accepted = req.get_header_value("Accept-Encoding");
  return accepted.find("gzip") != std::string::npos;
}

bool etag_matches(const Request& req, std::string_view etag) {
  const std::string wanted = req.get_header_value("If-None-Match");
  return !wanted.empty() && (wanted == "*" || wanted.find(etag) != std::string::npos);
}

// A body of known length goes out through a content provider: httplib then sends it as it
// is, where set_content() would have it compress text on the fly (a second time, here).
void send_bytes(Response& res, std::string_view bytes, const char* content_type) {
  res.set_content_provider(bytes.size(), content_type,
                           [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
                             return sink.write(bytes.data() + offset, length);
                           });
}

void serve_embedded(const WebAsset& asset, const Request& req, Response& res) {
  const bool versioned = asset.name != "index.html" && req.has_param("v");
  res.set_header("Cache-Control", versioned ? kForever : kRevalidate);
  res.set_header("ETag", std::string(asset.etag));
  res.set_header("Vary", "Accept-Encoding");
  if (etag_matches(req, asset.etag)) {
    res.status = 304;
    return;
  }
  const std::string type(asset.content_type);
  if (accepts_gzip(req) && !asset.gzip.empty()) {
    res.set_header("Content-Encoding", "gzip");
    send_bytes(res, asset.gzip, type.c_str());
  } else {
    send_bytes(res, asset.body, type.c_str());
  }
}

// FLOWLINE_WEB_DIR=web/dist: the files as they are on disk now, for working on the UI
// without rebuilding flowline (`node web/build.mjs --dev` and reload).
bool serve_from_dir(const std::string& dir, const std::string& name, Response& res) {
  std::ifstream in(dir + "/" + name, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  const char* type = name == "index.html" ? "text/html; charset=utf-8"
                     : name == "app.js"   ? "text/javascript; charset=utf-8"
                                          : "text/css; charset=utf-8";
  res.set_header("Cache-Control", "no-store");
  res.set_content(text.str(), type);
  return true;
}

}  // namespace

void add_index_page(httplib::Server& server, RouteContext& c) {
  const char* dev_dir = std::getenv("FLOWLINE_WEB_DIR");
  const std::string web_dir = dev_dir ? dev_dir : "";
  auto handler = [&c, web_dir](const std::string& name) {
    return [&c, web_dir, name](const Request& req, Response& res) {
      if (!web_dir.empty()) {
        if (!serve_from_dir(web_dir, name, res))
          res.status = 404;  // the error handler says which route
        return;
      }
      for (const WebAsset& asset : embedded_web_assets()) {
        if (asset.name == name) return serve_embedded(asset, req, res);
      }
      if (name == "index.html") return plain_page(c, res);
      res.status = 404;
    };
  };
  server.Get("/", handler("index.html"));
  server.Get("/index.html", handler("index.html"));
  server.Get("/app.js", handler("app.js"));
  server.Get("/app.css", handler("app.css"));
}

}  // namespace flowline::http

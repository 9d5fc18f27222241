#pragma once
// The web UI's files (web/, bundled by web/build.mjs), embedded into the binary at build time
// by cmake/web_ui.cmake: each with a gzipped copy to send as is and an ETag from its content.
#include <string_view>
#include <vector>

namespace flowline::http {

struct WebAsset {
  std::string_view name;          // "index.html", "app.js", "app.css"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view body;
  std::string_view gzip;  // the same bytes, gzipped
  std::string_view etag;  // "\"<sha256 prefix>\"", quoted as the header wants it
};

// Defined in the generated web_assets.cpp (CMake's binary dir).
const std::vector<WebAsset>& embedded_web_assets();

}  // namespace flowline::http

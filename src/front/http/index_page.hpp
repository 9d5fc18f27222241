#pragma once
// GET / (index.html), /app.js, /app.css: the web UI embedded at build time (web_assets.hpp),
// or read from FLOWLINE_WEB_DIR when set (for working on the UI). GET / is where a browser
// lands after trading ?token= for the cookie.
#include <httplib.h>

#include "front/http/route_context.hpp"

namespace flowline::http {

void add_index_page(httplib::Server& server, RouteContext& context);

}  // namespace flowline::http

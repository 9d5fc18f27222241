#pragma once
// GET /: where a browser lands after trading ?token= for the cookie.
#include <httplib.h>

#include "front/http/route_context.hpp"

namespace flowline::http {

void add_index_page(httplib::Server& server, RouteContext& context);

}  // namespace flowline::http

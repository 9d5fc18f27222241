// GET /api/v1/events: server-sent events, one per engine event (`event:` is its kind, `id:`
// its sequence number, `data:` front/json/engine_json.hpp's event()). A client that
// reconnects with Last-Event-ID gets what it missed while the ring still holds it, else an
// `event: reset` telling it to fetch the state afresh. A client too slow to keep up is
// dropped (its writes time out, or it falls a whole ring behind); the engine never waits.
#include <charconv>
#include <memory>
#include <set>

#include "front/http/http_reply.hpp"
#include "front/http/route_context.hpp"

namespace flowline::http {
namespace {

using httplib::DataSink;
using httplib::Request;
using httplib::Response;

constexpr std::chrono::seconds kKeepAlive{15};  // a comment line, so dead peers are noticed

std::optional<uint64_t> parse_seq(const std::string& text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::set<EventKind>> kinds_filter(const Request& req, Response& res) {
  std::set<EventKind> out;
  if (!req.has_param("kinds")) return out;
  const std::string text = req.get_param_value("kinds");
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string name = text.substr(start, comma == std::string::npos ? comma : comma - start);
    auto kind = event_kind_from_name(name);
    if (!kind) {
      reply_error(res, 400, "query parameter kinds: unknown event kind '" + name + "'");
      return std::nullopt;
    }
    out.insert(*kind);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

struct StreamState {
  uint64_t cursor = 0;
  bool resumed = false;  // the client gave Last-Event-ID: a gap is told, not fatal
  bool greeted = false;
  std::set<EventKind> kinds;
};

bool write_text(DataSink& sink, const std::string& text) {
  return text.empty() || sink.write(text.data(), text.size());
}

bool stream_more(events::EventRing& ring, StreamState& s, DataSink& sink) {
  std::string out;
  if (!s.greeted) {
    out = "retry: 2000\n: FlowLine events\n\n";
    s.greeted = true;
  }
  std::vector<events::RingItemPtr> items;
  switch (ring.wait_after(s.cursor, kKeepAlive, items)) {
    case events::RingWait::kClosed:
      write_text(sink, out);
      sink.done();
      return true;
    case events::RingWait::kFellBehind:
      if (!s.resumed) return false;  // too slow: dropped; it may reconnect and resume
      s.resumed = false;
      s.cursor = ring.last_seq();
      out += "id: " + std::to_string(s.cursor) + "\nevent: reset\ndata: {\"seq\": " +
             std::to_string(s.cursor) + "}\n\n";
      break;
    case events::RingWait::kTimeout:
      out += ": keep-alive\n\n";
      break;
    case events::RingWait::kEvents:
      s.resumed = false;
      for (const auto& item : items) {
        s.cursor = item->seq;
        if (!s.kinds.empty() && !s.kinds.count(item->kind)) continue;
        out += "id: " + std::to_string(item->seq) + "\nevent: " +
               std::string(event_kind_name(item->kind)) + "\ndata: " + item->json + "\n\n";
      }
      break;
  }
  return write_text(sink, out);
}

}  // namespace

void add_event_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/v1/events", [&c](const Request& req, Response& res) {
    auto kinds = kinds_filter(req, res);
    if (!kinds) return;
    auto state = std::make_shared<StreamState>();
    state->kinds = std::move(*kinds);
    state->cursor = c.events.last_seq();  // a new client: what happens from now on
    std::string resume = req.get_header_value("Last-Event-ID");
    if (resume.empty() && req.has_param("after")) resume = req.get_param_value("after");
    if (!resume.empty()) {
      auto seq = parse_seq(resume);
      if (!seq) return reply_error(res, 400, "Last-Event-ID: expected an event number, got '" + resume + "'");
      state->cursor = std::min(*seq, c.events.last_seq());
      state->resumed = true;
    }
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider(
        "text/event-stream", [&c, state](size_t, DataSink& sink) {
          return stream_more(c.events, *state, sink);
        });
  });
}

}  // namespace flowline::http

#pragma once
// What every route group reads: the engine (snapshots and commands), the GPU sampler's
// history, the store's run history, the event ring, and where FlowLine keeps its files.
#include <string>

#include <httplib.h>

#include "core/clock.hpp"
#include "engine/engine_api.hpp"
#include "front/events/event_ring.hpp"
#include "gpu/sampler.hpp"
#include "store/run_history.hpp"

namespace flowline::http {

struct RouteContext {
  EngineApi& engine;
  events::EventRing& events;
  const Sampler* sampler = nullptr;  // null without GPUs
  RunHistory* history = nullptr;     // null when the database could not be opened for reading
  std::string state_dir;
  std::string log_dir;
  std::string table_path;
  std::string version;
};

// One file per group: routes_original.cpp (the Python original's paths and shapes),
// routes_v1.cpp and routes_v1_tasks.cpp (FlowLine's own), routes_events.cpp (server-sent
// events), routes_metrics.cpp (/metrics, /healthz).
void add_original_routes(httplib::Server& server, RouteContext& context);
void add_v1_routes(httplib::Server& server, RouteContext& context);
void add_event_routes(httplib::Server& server, RouteContext& context);
void add_metrics_routes(httplib::Server& server, RouteContext& context);

// The wall clock, for times shown to people (the engine's clock is the same system clock).
Millis now_ms();
// "Linux 6.1.0-18-amd64, CPU: 16 cores, Memory: 62.5 GB" (GET /api/system/info).
std::string system_info();
// "2025-07-30 14:15:58" in local time, as the original wrote times.
std::string local_time_text(Millis epoch_ms);

}  // namespace flowline::http

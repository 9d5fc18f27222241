// GET /metrics in Prometheus' text format (version 0.0.4), and GET /healthz.
#include <cstdio>
#include <functional>

#include "front/http/http_reply.hpp"
#include "front/http/route_context.hpp"

namespace flowline::http {
namespace {

using httplib::Request;
using httplib::Response;

std::string label_value(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\\' || ch == '"') out += '\\';
    if (ch == '\n') {
      out += "\\n";
      continue;
    }
    out += ch;
  }
  return out;
}

class MetricsText {
 public:
  void family(const char* name, const char* type, const char* help) {
    out_ += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }
  void sample(const std::string& name, const std::string& labels, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", value);
    out_ += name + (labels.empty() ? "" : "{" + labels + "}") + " " + buf + "\n";
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

void gpu_metrics(MetricsText& m, const EngineSnapshot& snap) {
  struct Gauge {
    const char* name;
    const char* help;
    std::function<std::optional<double>(const GpuInfo&)> value;
  };
  const Gauge gauges[] = {
      {"flowline_gpu_memory_free_mib", "Free GPU memory (MiB).",
       [](const GpuInfo& g) { return g.free_memory_mib ? std::optional<double>(*g.free_memory_mib) : std::nullopt; }},
      {"flowline_gpu_memory_total_mib", "Total GPU memory (MiB).",
       [](const GpuInfo& g) { return g.total_memory_mib ? std::optional<double>(*g.total_memory_mib) : std::nullopt; }},
      {"flowline_gpu_utilization_percent", "GPU utilization (percent).",
       [](const GpuInfo& g) { return g.utilization ? std::optional<double>(*g.utilization) : std::nullopt; }},
      {"flowline_gpu_temperature_celsius", "GPU temperature (degrees Celsius).",
       [](const GpuInfo& g) { return g.temperature ? std::optional<double>(*g.temperature) : std::nullopt; }},
      {"flowline_gpu_power_watts", "GPU power draw (W).",
       [](const GpuInfo& g) { return g.power_w; }},
  };
  for (const Gauge& gauge : gauges) {
    m.family(gauge.name, "gauge", gauge.help);
    for (const GpuInfo& g : snap.gpus) {
      auto v = gauge.value(g);
      if (!v) continue;  // unknown is left out, never reported as 0
      m.sample(gauge.name,
               "gpu=\"" + std::to_string(g.index) + "\",name=\"" + label_value(g.name.value_or("")) + "\"",
               *v);
    }
  }
  m.family("flowline_gpu_enabled", "gauge", "1 when FlowLine may place runs on the GPU.");
  for (const GpuInfo& g : snap.gpus)
    m.sample("flowline_gpu_enabled", "gpu=\"" + std::to_string(g.index) + "\"",
             snap.settings.disabled_gpus.count(g.index) ? 0 : 1);
}

void task_metrics(MetricsText& m, const EngineSnapshot& snap) {
  const Counts& c = snap.counts;
  m.family("flowline_tasks", "gauge", "Tasks by state.");
  const std::pair<const char*, int64_t> states[] = {{"done", c.done},     {"running", c.running},
                                                    {"queued", c.queued}, {"failed", c.failed},
                                                    {"other", c.other}};
  for (const auto& [state, n] : states)
    m.sample("flowline_tasks", std::string("state=\"") + state + "\"", static_cast<double>(n));
  m.family("flowline_runs_running", "gauge", "Runs running now.");
  m.sample("flowline_runs_running", "", static_cast<double>(snap.runs.size()));
  m.family("flowline_runs_done", "gauge", "Successful runs so far, of runs wanted.");
  m.sample("flowline_runs_done", "", static_cast<double>(c.runs_done));
  m.family("flowline_runs_wanted", "gauge", "Runs the table wants in all.");
  m.sample("flowline_runs_wanted", "", static_cast<double>(c.runs_total));
  m.family("flowline_dispatching", "gauge", "1 while dispatch is on.");
  m.sample("flowline_dispatching", "", snap.settings.dispatching ? 1 : 0);
}

void event_metrics(MetricsText& m, const EngineSnapshot& snap) {
  const auto& counts = snap.events_told;
  struct Counter {
    const char* name;
    EventKind kind;
    const char* help;
  };
  const Counter counters[] = {
      {"flowline_run_launches_total", EventKind::kRunStarted, "Runs started since FlowLine started."},
      {"flowline_run_successes_total", EventKind::kRunFinished, "Runs that exited 0."},
      {"flowline_run_failures_total", EventKind::kRunFailed, "Runs that failed (not OOM)."},
      {"flowline_run_oom_requeues_total", EventKind::kRunOom, "Runs requeued after GPU out-of-memory."},
      {"flowline_run_kills_total", EventKind::kRunRequeued, "Runs stopped by the user and requeued."},
      {"flowline_run_lost_total", EventKind::kRunLost, "Runs whose end could not be learned."},
  };
  for (const Counter& c : counters) {
    m.family(c.name, "counter", c.help);
    m.sample(c.name, "", static_cast<double>(counts[static_cast<size_t>(c.kind)]));
  }
}

}  // namespace

void add_metrics_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/metrics", [&c](const Request&, Response& res) {
    auto snap = c.engine.snapshot();
    MetricsText m;
    gpu_metrics(m, *snap);
    task_metrics(m, *snap);
    event_metrics(m, *snap);
    m.family("flowline_uptime_seconds", "gauge", "Seconds since FlowLine started.");
    const Millis now = now_ms();
    m.sample("flowline_uptime_seconds", "",
             static_cast<double>(now > snap->started_ms ? now - snap->started_ms : 0) / 1000);
    res.set_content(m.take(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server.Get("/healthz", [](const Request&, Response& res) {
    reply_json(res, {{"status", "ok"}});
  });
}

}  // namespace flowline::http
